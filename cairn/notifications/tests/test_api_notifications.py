"""The notifications API: list, unread count, mark read, email settings."""

from cairn.notifications.actions import Note, do_notify
from cairn.notifications.models import Category, Notification
from cairn.testing import CairnTestCase


class NotificationApiTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_notify(
            cls.acme.pk,
            [Note(cls.alice.pk, f"k{i}", Category.PEOPLE, f"Note {i}", "/home/") for i in range(3)],
        )

    def test_listing_and_counting(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.get("/api/v1/notifications/unread-count").json(), {"unread": 3}
        )
        items = self.client.get("/api/v1/notifications").json()["items"]
        self.assertEqual(len(items), 3)
        self.assertEqual(set(items[0]), {"id", "text", "url", "category", "created_at", "read_at"})

    def test_marking_one_and_all_read(self) -> None:
        self.client.force_login(self.alice)
        note = Notification.objects.filter(recipient=self.alice)[0]
        response = self.client.post(f"/api/v1/notifications/{note.pk}/read")
        self.assertIsNotNone(response.json()["read_at"])
        self.assertEqual(self.client.post("/api/v1/notifications/read-all").json(), {"marked": 2})
        unread = self.client.get("/api/v1/notifications", {"unread": True}).json()["items"]
        self.assertEqual(unread, [])

    def test_others_see_none_of_mine(self) -> None:
        note = Notification.objects.filter(recipient=self.alice)[0]
        for someone in (self.bob, self.oscar):
            self.client.force_login(someone)
            self.assertEqual(self.client.get("/api/v1/notifications").json()["items"], [])
            response = self.client.post(f"/api/v1/notifications/{note.pk}/read")
            self.assertEqual(response.status_code, 404)

    def test_email_settings(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.get("/api/v1/notifications/settings").json()["digest"], "weekly"
        )
        response = self.client.put(
            "/api/v1/notifications/settings",
            {"digest": "never", "categories": []},
            content_type="application/json",
        )
        self.assertEqual(response.json(), {"digest": "never", "categories": []})

    def test_an_unknown_category_is_422_on_categories(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.put(
            "/api/v1/notifications/settings",
            {"digest": "daily", "categories": ["gossip"]},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "categories"])

    def test_a_visitor_gets_401(self) -> None:
        self.assertEqual(self.client.get("/api/v1/notifications").status_code, 401)
