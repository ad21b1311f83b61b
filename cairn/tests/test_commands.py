from django.core.management import call_command
from django.core.management.base import CommandError

from cairn.commands import organisation_named
from cairn.testing import CairnTestCase


class OrganisationNamedTest(CairnTestCase):
    def test_it_finds_the_organisation_by_slug(self) -> None:
        self.assertEqual(organisation_named("globex"), self.globex)

    def test_it_refuses_an_unknown_slug_and_names_the_known_ones(self) -> None:
        with self.assertRaisesMessage(CommandError, "No organisation 'nope' (known: acme, globex)"):
            organisation_named("nope")

    def test_every_command_with_an_organisation_option_refuses_an_unknown_one(self) -> None:
        for command in (
            ("webhooks", "send", "--org", "nope"),
            ("xapi", "send", "--org", "nope"),
            ("search_index", "--organisation", "nope"),
        ):
            with self.subTest(command[0]), self.assertRaisesMessage(CommandError, "'nope'"):
                call_command(*command)
