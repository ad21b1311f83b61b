"""Two submissions at the same moment, on real threads, end in one consistent state."""

from django.test import TransactionTestCase, skipUnlessDBFeature

from cairn.communities.actions import do_answer_join_request, do_create_community, do_join
from cairn.communities.models import Membership
from cairn.exchange.actions import do_ask, do_mark_response, do_respond
from cairn.exchange.models import Response
from cairn.ledger.models import Event, Verb
from cairn.testing import at_once, make_organisation, make_person


@skipUnlessDBFeature("has_select_for_update")
class RacesOnPostgresTest(TransactionTestCase):
    """Runs where rows can be locked (PostgreSQL); on SQLite the same calls with stale objects
    are covered by the single-threaded tests (test_requests.py, test_community_actions.py)."""

    def test_two_clicks_on_accept_record_helped_once(self) -> None:
        org = make_organisation("race", "Race")
        asker, helper = make_person(org, "Asker Race"), make_person(org, "Helper Race")
        response = do_respond(helper, do_ask(asker, "Help"), "Here")
        at_once(
            lambda: do_mark_response(asker, Response.objects.get(pk=response.pk), accepted=True),
            lambda: do_mark_response(asker, Response.objects.get(pk=response.pk), helpful=True),
        )
        self.assertEqual(Event.objects.filter(verb=Verb.HELPED).count(), 1)

    def test_two_facilitators_welcoming_at_once_record_one_join(self) -> None:
        org = make_organisation("race", "Race")
        alice, bob = make_person(org, "Alice Race"), make_person(org, "Bob Race")
        community = do_create_community(alice, "Circle", policy="approval")
        pending = do_join(bob, community)
        at_once(
            lambda: do_answer_join_request(
                alice, Membership.objects.get(pk=pending.pk), approve=True
            ),
            lambda: do_answer_join_request(
                alice, Membership.objects.get(pk=pending.pk), approve=True
            ),
        )
        self.assertEqual(Event.objects.filter(verb=Verb.COMMUNITY_JOINED).count(), 1)
