"""Cairn: a social learning network where trust is earned from what people do."""
