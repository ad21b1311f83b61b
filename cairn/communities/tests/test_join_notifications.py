"""Asking to join an approval-only community tells its facilitators, who are the ones to answer."""

from cairn.communities.actions import do_create_community, do_join
from cairn.notifications.models import Notification
from cairn.testing import CairnTestCase


class JoinRequestNotificationTest(CairnTestCase):
    def test_the_facilitators_hear_of_a_join_request(self) -> None:
        circle = do_create_community(self.alice, "New managers", "Safe room.", "approval")
        with self.captureOnCommitCallbacks(execute=True):
            do_join(self.bob, circle, "I'd like to join.")
        self.assertEqual(
            list(Notification.objects.values_list("recipient_id", flat=True)), [self.alice.pk]
        )

    def test_joining_an_open_community_bothers_nobody(self) -> None:
        club = do_create_community(self.alice, "Speakers", "Talks.", "open")
        with self.captureOnCommitCallbacks(execute=True):
            do_join(self.bob, club, "")
        self.assertFalse(Notification.objects.exists())
