"""Following colleagues: the actions, the buttons and the API."""

from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.notifications.actions import do_follow, do_unfollow
from cairn.notifications.models import Follow, Notification
from cairn.testing import CairnTestCase


class FollowActionTest(CairnTestCase):
    def test_following_records_it_once_even_when_repeated(self) -> None:
        do_follow(self.bob, self.alice)
        do_follow(self.bob, self.alice)
        self.assertEqual(Follow.objects.count(), 1)
        event = Event.objects.get(verb=Verb.FOLLOWED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_unfollowing_removes_it_and_records_it(self) -> None:
        do_follow(self.bob, self.alice)
        self.assertTrue(do_unfollow(self.bob, self.alice))
        self.assertFalse(do_unfollow(self.bob, self.alice))
        self.assertFalse(Follow.objects.exists())
        self.assertEqual(Event.objects.filter(verb=Verb.UNFOLLOWED).count(), 1)

    def test_the_followed_hears_of_a_follow_but_not_of_an_unfollow(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_follow(self.bob, self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            do_unfollow(self.bob, self.alice)
        texts = list(Notification.objects.values_list("text", flat=True))
        self.assertEqual(texts, ["Bob Baker started following you"])

    def test_no_one_follows_themself_or_an_outsider(self) -> None:
        with self.assertRaises(ActionError):
            do_follow(self.bob, self.bob)
        with self.assertRaises(ActionError) as caught:
            do_follow(self.bob, self.oscar)
        self.assertEqual(caught.exception.status, 404)


class FollowPageTest(CairnTestCase):
    def test_the_profile_offers_a_follow_button_that_works_without_js(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/people/alice.archer/")
        self.assertContains(page, "Follow")
        response = self.client.post("/people/alice.archer/follow/")
        self.assertRedirects(response, "/people/alice.archer/")
        self.assertTrue(Follow.objects.filter(follower=self.bob, followed=self.alice).exists())
        self.assertContains(self.client.get("/people/alice.archer/"), "Unfollow")
        self.client.post("/people/alice.archer/unfollow/")
        self.assertFalse(Follow.objects.exists())

    def test_htmx_gets_the_button_back(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/people/alice.archer/follow/", headers={"HX-Request": "true"})
        self.assertContains(response, "Unfollow")
        self.assertNotContains(response, "<html")

    def test_an_outsider_cannot_follow(self) -> None:
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post("/people/alice.archer/follow/").status_code, 404)
        self.assertFalse(Follow.objects.exists())

    def test_no_follow_button_on_my_own_profile(self) -> None:
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get("/people/alice.archer/"), "follow/")


class FollowApiTest(CairnTestCase):
    def test_follow_and_unfollow(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/api/v1/people/alice.archer/follow")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"handle": "alice.archer", "following": True})
        response = self.client.delete("/api/v1/people/alice.archer/follow")
        self.assertEqual(response.json()["following"], False)
        self.assertFalse(Follow.objects.exists())

    def test_following_oneself_is_a_422_on_the_handle(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/api/v1/people/bob.baker/follow")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "handle"])

    def test_an_outsider_gets_404(self) -> None:
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post("/api/v1/people/alice.archer/follow").status_code, 404)
