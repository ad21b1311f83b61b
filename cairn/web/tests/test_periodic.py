"""``cairn periodic`` runs every scheduled job, and running it twice does no harm."""

from io import StringIO

from django.core.management import call_command

from cairn.testing import CairnTestCase


class PeriodicTest(CairnTestCase):
    def test_it_runs_every_job_and_can_run_again(self) -> None:
        out = StringIO()
        call_command("periodic", stdout=out)
        call_command("periodic", stdout=out)
        text = out.getvalue()
        for job in ("expire_requests", "expire_help_requests", "remind_commitments"):
            self.assertEqual(text.count(f"{job}:"), 2, text)
        self.assertIn("send_digests --period weekly:", text)
