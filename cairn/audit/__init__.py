"""The audit log: who signed in, changed a role, created a token, decided a dispute, exported."""
