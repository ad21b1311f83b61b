"""Notification pages: the bell, the list, marking read, email settings."""

from cairn.notifications.actions import Note, do_notify
from cairn.notifications.models import Category, EmailSettings, Notification
from cairn.testing import CairnTestCase


def notify(user, n: int = 1, prefix: str = "Hello") -> None:
    do_notify(
        user.organisation_id,
        [
            Note(user.pk, f"{prefix}:{i}", Category.PEOPLE, f"{prefix} {i}", "/home/")
            for i in range(n)
        ],
    )


class NotificationPagesTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        notify(cls.alice, 2)

    def test_the_bell_shows_the_unread_count_on_every_page(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get("/people/")
        self.assertContains(page, 'class="badge">2<')
        self.assertContains(page, 'href="/notifications/"')
        self.assertContains(page, 'hx-trigger="every 60s')

    def test_the_bell_is_marked_current_on_the_notifications_page(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get("/notifications/")
        self.assertContains(page, 'id="bell" href="/notifications/"')
        self.assertContains(page, 'aria-current="page"><svg')

    def test_the_bell_alone_for_htmx(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/notifications/bell/")
        self.assertContains(response, 'class="badge">2<')
        self.assertNotContains(response, "<html")

    def test_no_badge_when_all_is_read(self) -> None:
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get("/notifications/bell/"), "badge")

    def test_the_list_shows_my_notifications_only(self) -> None:
        notify(self.bob, 1, prefix="For Bob")
        self.client.force_login(self.alice)
        page = self.client.get("/notifications/")
        self.assertContains(page, "Hello 1")
        self.assertNotContains(page, "For Bob")

    def test_an_empty_list_invites(self) -> None:
        self.client.force_login(self.carol)
        self.assertContains(self.client.get("/notifications/"), "Nothing new.")

    def test_marking_one_read_with_and_without_htmx(self) -> None:
        self.client.force_login(self.alice)
        first, second = Notification.objects.filter(recipient=self.alice)
        response = self.client.post(f"/notifications/{first.pk}/read/")
        self.assertRedirects(response, "/notifications/")
        response = self.client.post(
            f"/notifications/{second.pk}/read/", headers={"HX-Request": "true"}
        )
        self.assertContains(response, f'id="note-{second.pk}"')
        self.assertEqual(response["HX-Trigger"], "notifications-read")
        self.assertFalse(Notification.objects.filter(read_at__isnull=True).exists())

    def test_opening_one_follows_its_link_and_marks_it_read(self) -> None:
        self.client.force_login(self.alice)
        note = Notification.objects.filter(recipient=self.alice)[0]
        response = self.client.get(f"/notifications/{note.pk}/open/")
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)

    def test_opening_never_leads_off_site(self) -> None:
        Notification.objects.filter(recipient=self.alice).update(url="https://evil.example/")
        self.client.force_login(self.alice)
        note = Notification.objects.filter(recipient=self.alice)[0]
        response = self.client.get(f"/notifications/{note.pk}/open/")
        self.assertRedirects(response, "/notifications/")

    def test_marking_all_read(self) -> None:
        self.client.force_login(self.alice)
        self.client.post("/notifications/read/")
        self.assertFalse(Notification.objects.filter(read_at__isnull=True).exists())

    def test_someone_else_cannot_mark_mine(self) -> None:
        note = Notification.objects.filter(recipient=self.alice)[0]
        for someone in (self.bob, self.oscar):
            self.client.force_login(someone)
            self.assertEqual(self.client.post(f"/notifications/{note.pk}/read/").status_code, 404)
            self.assertEqual(self.client.get(f"/notifications/{note.pk}/open/").status_code, 404)
        note.refresh_from_db()
        self.assertIsNone(note.read_at)

    def test_the_list_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        self.assertSameQueries("/notifications/", lambda: notify(self.alice, 20, prefix="More"))

    def test_email_settings(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/notifications/settings/")
        self.assertContains(page, "A weekly digest")
        response = self.client.post(
            "/notifications/settings/", {"digest": "daily", "categories": ["commitments"]}
        )
        self.assertRedirects(response, "/notifications/settings/")
        saved = EmailSettings.objects.get(user=self.bob)
        self.assertEqual((saved.digest, saved.categories), ("daily", ["commitments"]))

    def test_email_settings_reject_nonsense(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/notifications/settings/", {"digest": "hourly"})
        self.assertIn("digest", response.context["form"].errors)
        self.assertFalse(EmailSettings.objects.exists())

    def test_a_visitor_is_asked_to_sign_in(self) -> None:
        self.assertEqual(self.client.get("/notifications/").status_code, 302)
