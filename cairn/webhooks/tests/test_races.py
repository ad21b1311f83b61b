"""Two senders at once (two workers, or the worker and ``cairn periodic``) deliver each message
once: the lease on the endpoint row lets one of them send."""

from django.test import TransactionTestCase, override_settings, skipUnlessDBFeature

from cairn.exchange.actions import do_ask
from cairn.people.models import User
from cairn.testing import at_once, make_organisation, make_person
from cairn.webhooks.actions import SendReport, do_add_webhook, send_pending
from cairn.webhooks.tests.receiver import Receiver


@skipUnlessDBFeature("has_select_for_update")
@override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
class SendersAtOnceOnPostgresTest(TransactionTestCase):
    def test_two_senders_at_once_deliver_each_message_once(self) -> None:
        receiver = Receiver()
        self.addCleanup(receiver.stop)
        receiver.delay = 0.2  # both senders are under way at the same time
        org = make_organisation("race", "Race")
        admin = make_person(org, "Admin Race", User.Role.ADMIN)
        endpoint, _ = do_add_webhook(admin, url=receiver.url, event_types=["asked"])
        for n in range(3):
            do_ask(admin, f"Question {n}")
        reports = at_once(lambda: send_pending(endpoint.pk), lambda: send_pending(endpoint.pk))
        sent = [r.sent for r in reports if isinstance(r, SendReport)]
        self.assertEqual(sorted(sent), [0, 3])
        ids = [r.headers["webhook-id"] for r in receiver.received]
        self.assertEqual(len(ids), 3)
        self.assertEqual(len(set(ids)), 3)
