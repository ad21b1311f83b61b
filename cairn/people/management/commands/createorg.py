"""cairn createorg: create an organisation and its first admin, for operators."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from cairn.errors import ActionError
from cairn.people.actions import do_set_up_organisation


class Command(BaseCommand):
    help = (
        "Create an organisation and its first admin. The admin's address is taken as confirmed; "
        "they choose a password through 'Forgot your password?'. Each --domain lets people with "
        "an address there join without an invitation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The organisation's name.")
        parser.add_argument("--slug", required=True, help="Short name: letters, digits, hyphens.")
        parser.add_argument("--admin-email", required=True, help="The first admin's address.")
        parser.add_argument(
            "--admin-name", default="", help="The admin's name (default: from the address)."
        )
        parser.add_argument(
            "--domain",
            action="append",
            default=[],
            help="An email domain whose owners may join on their own (repeat for more).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["admin_email"]
        name = options["admin_name"] or email.split("@")[0].replace(".", " ").title()
        try:
            admin = do_set_up_organisation(
                options["name"],
                options["slug"],
                admin_email=email,
                admin_name=name,
                email_domains=options["domain"],
            )
        except ActionError as error:
            flag = (error.field or "").replace("_", "-").replace("domains", "domain")
            raise CommandError(f"--{flag}: {error.message}" if flag else error.message) from None
        org = admin.organisation
        assert org is not None
        domains = ", ".join(org.email_domains) or "none (invitations only)"
        reset = settings.SITE_URL.rstrip("/") + reverse("account_reset_password")
        self.stdout.write(
            self.style.SUCCESS(f"Created {org.name} ({org.slug}) with admin {admin.email}.")
        )
        self.stdout.write(f"Open email domains: {domains}.")
        self.stdout.write(f"The admin chooses a password at {reset}")
