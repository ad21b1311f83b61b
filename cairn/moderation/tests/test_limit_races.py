"""Twenty flags at the same moment are counted one after the other: the daily limit holds.

Runs where rows can be locked (PostgreSQL); SQLite runs each write transaction alone, so there
test_flag.py's single-threaded limit test says the same.
"""

from django.test import TransactionTestCase, override_settings, skipUnlessDBFeature

from cairn.errors import ActionError
from cairn.exchange.actions import do_share_post
from cairn.ledger.models import Event, Verb
from cairn.moderation.actions import do_flag
from cairn.moderation.models import Flag
from cairn.testing import at_once, make_organisation, make_person

THREADS = 20


@skipUnlessDBFeature("has_select_for_update")
@override_settings(CAIRN_LIMIT_FLAGS=10)
class FlagLimitUnderParallelRequestsTest(TransactionTestCase):
    def setUp(self) -> None:
        self.org = make_organisation("race", "Race")
        self.flagger = make_person(self.org, "Fran Flagger")
        authors = [make_person(self.org, f"Author {i}") for i in range(THREADS)]
        self.posts = [do_share_post(a, f"Post {i}", "x") for i, a in enumerate(authors)]

    def test_twenty_flags_at_once_make_ten(self) -> None:
        results = at_once(
            *(lambda post=post: do_flag(self.flagger, post, "spam") for post in self.posts)
        )
        refused = [r for r in results if isinstance(r, ActionError)]
        others = [r for r in results if isinstance(r, BaseException) and r not in refused]
        self.assertEqual(others, [])
        self.assertEqual({r.status for r in refused}, {429})
        self.assertEqual(Flag.objects.count(), 10)
        self.assertEqual(Event.objects.filter(verb=Verb.FLAGGED).count(), 10)

    def test_twenty_flags_on_one_post_at_once_make_one(self) -> None:
        results = at_once(
            *(lambda: do_flag(self.flagger, self.posts[0], "spam") for _ in range(THREADS))
        )
        self.assertEqual([r for r in results if isinstance(r, BaseException)], [])
        self.assertEqual(Flag.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.FLAGGED).count(), 1)
