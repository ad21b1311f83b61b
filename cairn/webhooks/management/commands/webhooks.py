"""``cairn webhooks send [--org SLUG]``: send what switched-on webhooks and chat channels are
owed. The task worker does this within seconds of each event; this is the periodic safety net."""

from django.core.management.base import BaseCommand, CommandParser

from cairn.commands import organisation_named
from cairn.webhooks import actions
from cairn.webhooks.models import Endpoint


class Command(BaseCommand):
    help = "Send pending events to webhooks and community chat channels."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["send"])
        parser.add_argument("--org", help="The organisation's slug (all if omitted).")

    def handle(self, *args: object, **options: str) -> None:
        endpoints = Endpoint.objects.filter(enabled=True).select_related("organisation")
        if options["org"]:
            endpoints = endpoints.filter(organisation=organisation_named(options["org"]))
        pruned = actions.prune_log()
        if pruned:
            self.stdout.write(f"{pruned} delivery log rows older than 30 days deleted")
        for endpoint in endpoints.order_by("pk"):
            if not endpoint.is_due():
                continue
            report = actions.send_pending(endpoint.pk)
            where = f"{endpoint.organisation.slug}: {endpoint.shown_url()}"
            if report.error:
                self.stdout.write(f"{where}: {report.sent} sent, stopped: {report.error}")
            else:
                self.stdout.write(f"{where}: {report.sent} sent")
