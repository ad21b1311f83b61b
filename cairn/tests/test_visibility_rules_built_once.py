"""A viewer's visibility rule is built once per user object and stays a live query."""

from cairn.communities.actions import do_create_community, do_join, do_start_thread
from cairn.communities.models import Community, Thread
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
        self.assertFalse(Thread.objects.visible_to(self.bob).filter(pk=self.thread.pk).exists())
        membership = do_join(self.bob, self.closed)
        membership.status = membership.Status.ACTIVE
        membership.save(update_fields=["status"])
        self.assertTrue(Thread.objects.visible_to(self.bob).filter(pk=self.thread.pk).exists())

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
