"""Twenty requests at the same moment are counted one after the other: every limit holds exactly.

These run where rows can be locked (PostgreSQL); SQLite runs each write transaction alone
(``BEGIN IMMEDIATE``), so there the single-threaded tests in test_checks.py say the same.
"""

from collections.abc import Sequence

from django.test import Client, TransactionTestCase, skipUnlessDBFeature

from cairn.communities.actions import do_create_community
from cairn.errors import ActionError
from cairn.exchange.actions import do_ask, do_share_post, do_thank
from cairn.exchange.models import Post
from cairn.ledger.models import Event, Verb
from cairn.testing import at_once, make_organisation, make_person

THREADS = 20


@skipUnlessDBFeature("has_select_for_update")
class LimitsUnderParallelRequestsTest(TransactionTestCase):
    def setUp(self) -> None:
        self.org = make_organisation("race", "Race")
        self.newcomer = make_person(self.org, "Nora Newcomer")
        self.colleague = make_person(self.org, "Colin Colleague")

    def assert_refused_politely(self, results: Sequence[object], made: int) -> None:
        """Every call either made something or was refused with 429; none failed otherwise."""
        refused = [r for r in results if isinstance(r, ActionError)]
        others = [r for r in results if isinstance(r, BaseException) and r not in refused]
        self.assertEqual(others, [])
        self.assertEqual({r.status for r in refused}, {429} if refused else set())
        self.assertEqual(len(results) - len(refused), made)

    def test_twenty_thanks_to_one_colleague_make_five(self) -> None:
        results = at_once(
            *(
                lambda i=i: do_thank(self.newcomer, self.colleague, f"Thanks number {i}")
                for i in range(THREADS)
            )
        )
        self.assertEqual(Event.objects.filter(verb=Verb.THANKED).count(), 5)
        self.assert_refused_politely(results, 5)

    def test_twenty_posts_make_ten(self) -> None:
        results = at_once(
            *(
                lambda i=i: do_share_post(self.newcomer, f"Tip {i}", f"Body {i}")
                for i in range(THREADS)
            )
        )
        self.assertEqual(Event.objects.filter(verb=Verb.SHARED).count(), 10)
        self.assert_refused_politely(results, 10)

    def test_twenty_requests_make_ten(self) -> None:
        results = at_once(*(lambda i=i: do_ask(self.newcomer, f"Help {i}") for i in range(THREADS)))
        self.assertEqual(Event.objects.filter(verb=Verb.ASKED).count(), 10)
        self.assert_refused_politely(results, 10)

    def test_twenty_new_communities_make_five(self) -> None:
        results = at_once(
            *(lambda i=i: do_create_community(self.newcomer, f"Circle {i}") for i in range(THREADS))
        )
        self.assertEqual(Event.objects.filter(verb=Verb.COMMUNITY_CREATED).count(), 5)
        self.assert_refused_politely(results, 5)

    def test_twenty_identical_posts_make_one(self) -> None:
        results = at_once(
            *(lambda: do_share_post(self.newcomer, "Same", "Same body") for _ in range(THREADS))
        )
        self.assertEqual(Post.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.SHARED).count(), 1)
        posts = [r for r in results if isinstance(r, Post)]
        self.assertEqual(len(posts), len(results))
        self.assertEqual({p.pk for p in posts}, {Post.objects.get().pk})

    def test_a_double_click_on_the_last_allowed_post_is_answered_kindly(self) -> None:
        for i in range(9):
            do_share_post(self.newcomer, f"Earlier {i}", "Body")
        clients = [Client() for _ in range(2)]
        for client in clients:
            client.force_login(self.newcomer)
        body = {"title": "The tenth", "body": "Last one today"}
        responses = at_once(
            *(
                lambda c=c: c.post("/api/v1/posts", body, content_type="application/json")
                for c in clients
            )
        )
        first, second = responses
        assert not isinstance(first, BaseException) and not isinstance(second, BaseException)
        self.assertEqual([first.status_code, second.status_code], [201, 201])
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(Event.objects.filter(verb=Verb.SHARED).count(), 10)
        eleventh = clients[0].post(
            "/api/v1/posts", {"title": "Eleventh", "body": "x"}, content_type="application/json"
        )
        self.assertEqual(eleventh.status_code, 429)
