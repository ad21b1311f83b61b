"""Notifications are their recipient's only, and their lists cost a constant number of
queries."""

from cairn.notifications.models import Notification
from cairn.testing import CairnTestCase


class NotificationVisibilityTest(CairnTestCase):
    def add_notifications(self, n: int) -> None:
        start = Notification.objects.count()
        Notification.objects.bulk_create(
            Notification(
                organisation=self.acme,
                recipient=self.bob,
                key=f"test:{i}",
                category="requests",
                text="Something happened",
            )
            for i in range(start, start + n)
        )

    def test_only_the_recipient_sees_them(self) -> None:
        self.add_notifications(2)
        mine = set(Notification.objects.values_list("pk", flat=True))
        expected = {self.bob: mine, self.alice: set(), self.oscar: set()}
        seen = {
            user: set(Notification.objects.visible_to(user).values_list("pk", flat=True))
            for user in expected
        }
        self.assertEqual(seen, expected)

    def test_list_page(self) -> None:
        self.assertPageListConstant(
            self.bob, "/notifications/", "Something happened", self.add_notifications
        )

    def test_list_api(self) -> None:
        self.assertApiListConstant(self.bob, "/notifications", self.add_notifications)
