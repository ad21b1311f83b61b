"""My learning journey: everything mine is private until I share it; colleagues see only what I
shared and what they may see anyway."""

from cairn.exchange.actions import do_share_post, do_thank
from cairn.exchange.models import Post
from cairn.journey.actions import do_share_moment
from cairn.journey.models import SharedMoment
from cairn.journey.timeline import journey_of
from cairn.learning.actions import do_set_goal
from cairn.learning.models import Goal
from cairn.ledger.models import Event, Verb
from cairn.testing import CairnTestCase


class JourneyTest(CairnTestCase):
    public_goal: Goal
    private_goal: Goal
    post: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.public_goal = do_set_goal(cls.bob, "Write good SQL", visibility="organisation")
        cls.private_goal = do_set_goal(cls.bob, "Quokka-private-goal", visibility="private")
        cls.post = do_share_post(cls.bob, "Joins explained", "Inner and outer.")
        do_thank(cls.alice, cls.bob, "Thanks for the joins!")

    def _event(self, verb: str, **filters: object) -> Event:
        return Event.objects.filter(verb=verb, **filters).latest("pk")

    def test_my_journey_has_what_i_did_and_what_others_did_for_me(self) -> None:
        words = [m.words for m in journey_of(self.bob, self.bob)]
        self.assertIn("Set a learning goal", words)
        self.assertIn("Shared know-how", words)
        self.assertIn("Thanked by Alice Archer", words)
        self.assertFalse(any(m.shared for m in journey_of(self.bob, self.bob)))

    def test_a_colleague_sees_only_shared_moments_they_may_see_anyway(self) -> None:
        self.assertEqual(journey_of(self.bob, self.carol), [])
        public = self._event(Verb.GOAL_SET, object_id=str(self.public_goal.pk))
        private = self._event(Verb.GOAL_SET, object_id=str(self.private_goal.pk))
        do_share_moment(self.bob, public.pk, True)
        do_share_moment(self.bob, private.pk, True)
        seen = journey_of(self.bob, self.carol)
        self.assertEqual([m.title for m in seen], ["Write good SQL"])
        self.client.force_login(self.carol)
        page = self.client.get(f"/people/{self.bob.profile.handle}/journey/")
        self.assertContains(page, "Write good SQL")
        self.assertNotContains(page, "Quokka-private-goal")

    def test_sharing_is_my_own_switch_and_taking_it_back_hides_it(self) -> None:
        thanked = self._event(Verb.THANKED)
        self.client.force_login(self.bob)
        response = self.client.post(f"/me/journey/{thanked.pk}/share/", {"shared": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(SharedMoment.objects.filter(owner=self.bob, event=thanked).exists())
        self.client.post(f"/me/journey/{thanked.pk}/share/", {"shared": "0"})
        self.assertFalse(SharedMoment.objects.exists())
        self.assertEqual(Event.objects.filter(verb=Verb.JOURNEY_SHARED).count(), 2)
        # Not a moment of Carol's journey: she cannot share it.
        self.client.force_login(self.carol)
        response = self.client.post(f"/me/journey/{thanked.pk}/share/", {"shared": "1"})
        self.assertEqual(response.status_code, 404)

    def test_an_outsider_sees_nothing(self) -> None:
        goal_set = self._event(Verb.GOAL_SET, object_id=str(self.public_goal.pk))
        do_share_moment(self.bob, goal_set.pk, True)
        self.client.force_login(self.oscar)
        response = self.client.get(f"/people/{self.bob.profile.handle}/journey/")
        self.assertEqual(response.status_code, 404)

    def test_my_page_lists_every_moment_with_its_switch(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/me/journey/")
        self.assertContains(page, "Private · share", count=len(journey_of(self.bob, self.bob)))

    def test_its_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.bob)

        def add(count: int) -> None:
            for n in range(count):
                event = Event.objects.filter(verb=Verb.GOAL_SET).count()
                goal = do_set_goal(self.bob, f"Goal {event}-{n}", visibility="organisation")
                moment = self._event(Verb.GOAL_SET, object_id=str(goal.pk))
                do_share_moment(self.bob, moment.pk, True)

        self.client.force_login(self.carol)
        self.assertConstantQueries(
            lambda: self.rows_on_page(f"/people/{self.bob.profile.handle}/journey/", 'id="moment-'),
            add,
        )
