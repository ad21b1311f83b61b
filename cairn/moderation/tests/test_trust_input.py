"""Hidden content leaves the trust engine's input, as corrected evidence does, and the stored
trust is marked behind so the worker recomputes it."""

from cairn.exchange.actions import do_ask, do_credit, do_respond
from cairn.ledger.models import Event, Verb
from cairn.moderation.actions import do_dismiss, do_flag, do_hide, do_restore
from cairn.moderation.tests.helpers import ModerationTestCase
from cairn.trust.adapter import ledger_events
from cairn.trust.models import TrustState


def hidden_event_ids(organisation_id: int) -> set[int]:
    return Event.objects.filter(organisation_id=organisation_id).hidden_content_ids()


class TrustInputTest(ModerationTestCase):
    def input_version(self) -> int:
        return TrustState.objects.get(organisation=self.acme).input_version

    def test_the_sharing_of_a_hidden_post_no_longer_counts(self):
        shared = Event.objects.get(verb=Verb.SHARED, object_id=str(self.post.pk))
        item = do_flag(self.carol, self.post, "spam").item
        self.assertEqual(hidden_event_ids(self.acme.pk), set())
        do_hide(self.alice, item, "Spam.")
        self.assertEqual(hidden_event_ids(self.acme.pk), {shared.pk})
        before = len(ledger_events(self.acme.pk).actor)
        do_restore(self.alice, item, "Not spam after all.")
        self.assertEqual(hidden_event_ids(self.acme.pk), set())
        self.assertEqual(len(ledger_events(self.acme.pk).actor), before + 1)

    def test_a_hidden_response_takes_its_help_and_a_hidden_request_its_credits(self):
        request = do_ask(self.dave, "Printer?")
        response = do_respond(self.bob, request, "Try turning it off")
        do_credit(self.dave, request, [(self.bob, "Fixed the printer")])
        for obj in (response, request):  # the response first: hiding a request hides its answers
            do_hide(self.alice, do_flag(self.carol, obj, "spam").item, "Spam.")
        hidden = set(
            Event.objects.filter(verb__in=[Verb.ASKED, Verb.RESPONDED, Verb.CREDITED]).values_list(
                "pk", flat=True
            )
        )
        self.assertEqual(hidden_event_ids(self.acme.pk), hidden)

    def test_hiding_and_showing_again_mark_the_stored_trust_behind(self):
        item = do_flag(self.carol, self.post, "spam").item
        with self.captureOnCommitCallbacks(execute=True):
            do_hide(self.alice, item, "Spam.")
        hidden = self.input_version()
        with self.captureOnCommitCallbacks(execute=True):
            do_restore(self.alice, item, "Fine.")
        self.assertEqual(self.input_version(), hidden + 1)

    def test_dismissing_flags_on_something_never_hidden_leaves_trust_alone(self):
        item = do_flag(self.carol, self.post, "spam").item
        TrustState.objects.get_or_create(organisation=self.acme)
        before = self.input_version()
        with self.captureOnCommitCallbacks(execute=True):
            do_dismiss(self.alice, item, "Fine.")
        self.assertEqual(self.input_version(), before)
