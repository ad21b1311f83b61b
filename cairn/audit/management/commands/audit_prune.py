"""``cairn audit_prune``: delete audit entries older than CAIRN_AUDIT_RETENTION_DAYS."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cairn.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Delete audit entries older than the retention period (CAIRN_AUDIT_RETENTION_DAYS)."

    def handle(self, *args: object, **options: object) -> None:
        days = settings.CAIRN_AUDIT_RETENTION_DAYS
        pruned = AuditEntry.objects.prune(timezone.now() - timedelta(days=days))
        self.stdout.write(f"Pruned {pruned} audit entries older than {days} days.")
