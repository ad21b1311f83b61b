"""``cairn periodic``: every scheduled job, each safe to run as often as you like.

Run it from cron (e.g. every 15 minutes); ``cairn serve`` runs it for you in development.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cairn.web.tasks import heartbeat

#: (command, arguments): each is idempotent, so a missed or doubled run does no harm.
JOBS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("expire_requests", ()),
    ("relationship_health", ()),
    ("trust_snapshots", ()),
    ("expire_help_requests", ()),
    ("remind_commitments", ()),
    ("send_digests", ("--period", "daily")),
    ("send_digests", ("--period", "weekly")),
    ("safeguards_scan", ()),
    ("xapi", ("send",)),
    ("webhooks", ("send",)),
    ("audit_prune", ()),
    ("prune_data_exports", ()),
)


class Command(BaseCommand):
    help = (
        "Run every scheduled job once: expiries, reminders, email digests and audit log "
        "retention; then enqueue the worker's heartbeat for the health check."
    )

    def handle(self, *args: object, **options: object) -> None:
        for name, arguments in JOBS:
            self.stdout.write(f"{name} {' '.join(arguments)}".strip() + ":")
            call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
        # Proof of life for the health check: the worker picks this up within seconds.
        heartbeat.enqueue()
