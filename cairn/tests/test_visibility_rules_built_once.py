"""A viewer's visibility rule is built once per user object and stays a live query of the rows;
what it holds of the person (their communities) is read once per user object."""

from cairn.communities.actions import do_create_community, do_join, do_start_thread
from cairn.communities.models import Community, Membership, Thread
from cairn.people.models import User
from cairn.testing import CairnTestCase
from cairn.visibility import _is_plain


def kept_for(user: User, model: type) -> int:
    """Return how many rules about ``model`` are kept on ``user``."""
    return sum(1 for key in user.__dict__.get("_visibility_rules", {}) if key[1] is model)


class BuiltOncePerViewerTest(CairnTestCase):
    closed: Community
    thread: Thread

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        approval = Community.Policy.APPROVAL
        cls.closed = do_create_community(cls.carol, "Closed circle", policy=approval)
        cls.thread = do_start_thread(cls.carol, cls.closed, "Members only", "Hello members")

    def test_the_second_ask_builds_nothing(self) -> None:
        first = Thread.objects.visible_to(self.bob)
        second = Thread.objects.visible_to(self.bob)
        self.assertIsNot(first, second)  # each caller gets its own copy to filter
        self.assertEqual(str(first.query), str(second.query))
        self.assertEqual(kept_for(self.bob, Thread), 1)

    def test_a_kept_rule_reads_the_database_afresh(self) -> None:
        self.assertFalse(Thread.objects.visible_to(self.carol).exclude(pk=self.thread.pk))
        later = do_start_thread(self.carol, self.closed, "Later", "Written after the rule")
        self.assertTrue(Thread.objects.visible_to(self.carol).filter(pk=later.pk).exists())

    def test_what_it_holds_of_the_person_lasts_as_long_as_the_user_object(self) -> None:
        membership = do_join(self.bob, self.closed)  # asked to join: not a member yet
        self.assertFalse(Thread.objects.visible_to(self.bob).filter(pk=self.thread.pk).exists())
        Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.ACTIVE)
        # Changed behind the actions' back, as another request would: this request's rules
        # keep what they read, as a request that began a moment earlier would have.
        self.assertFalse(Thread.objects.visible_to(self.bob).filter(pk=self.thread.pk).exists())
        next_request = User.objects.get(pk=self.bob.pk)
        self.assertTrue(Thread.objects.visible_to(next_request).filter(pk=self.thread.pk).exists())

    def test_what_rules_read_in_python_is_part_of_the_key(self) -> None:
        before = Thread.objects.visible_to(self.bob)
        self.bob.role = self.bob.Role.ADMIN
        after = Thread.objects.visible_to(self.bob)
        self.assertNotEqual(str(before.query), str(after.query))  # an admin sees hidden rows
        self.assertEqual(kept_for(self.bob, Thread), 2)

    def test_a_queryset_already_shaped_is_asked_anew(self) -> None:
        self.assertFalse(_is_plain(Thread.objects.filter(author=self.carol)))
        self.assertFalse(_is_plain(Thread.objects.order_by("pk")))
        self.assertTrue(_is_plain(Thread.objects.all()))
        Thread.objects.filter(author=self.carol).visible_to(self.alice)
        self.assertEqual(kept_for(self.alice, Thread), 0)

    def test_each_viewer_has_their_own(self) -> None:
        self.assertTrue(Thread.objects.visible_to(self.carol).filter(pk=self.thread.pk).exists())
        self.assertFalse(Thread.objects.visible_to(self.bob).filter(pk=self.thread.pk).exists())
        self.assertFalse(Thread.objects.visible_to(self.oscar).exists())
