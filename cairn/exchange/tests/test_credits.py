"""Credits on anything closed or published, and thanks notes."""

from cairn.errors import ActionError
from cairn.exchange import actions
from cairn.exchange.models import Credit, Post, Thanks
from cairn.learning.actions.goals import do_set_goal
from cairn.ledger.models import Event, Verb
from cairn.testing import CairnTestCase
from cairn.visibility import can_see


class CreditTest(CairnTestCase):
    post: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.post = actions.do_share_post(cls.alice, "Indexes", "Use them.")

    def test_the_owner_credits_several_people(self) -> None:
        made = actions.do_credit(
            self.alice, self.post, [(self.bob, "Reviewed it"), (self.carol, "The diagram")]
        )
        self.assertEqual(len(made), 2)
        events = Event.objects.filter(verb=Verb.CREDITED, actor=self.alice)
        self.assertEqual({e.subject for e in events}, {self.bob, self.carol})

    def test_a_recipient_is_credited_once_per_target(self) -> None:
        actions.do_credit(self.alice, self.post, [(self.bob, "Reviewed it")])
        actions.do_credit(self.alice, self.post, [(self.bob, "Reviewed it")])
        self.assertEqual(Credit.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.CREDITED).count(), 1)

    def test_only_the_owner_credits(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_credit(self.bob, self.post, [(self.carol, "x")])
        self.assertEqual(caught.exception.status, 403)

    def test_not_oneself_and_not_outsiders(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_credit(self.alice, self.post, [(self.alice, "Me")])
        self.assertEqual(caught.exception.field, "recipient")
        with self.assertRaises(ActionError) as caught:
            actions.do_credit(self.alice, self.post, [(self.oscar, "Spy")])
        self.assertEqual(caught.exception.field, "recipient")

    def test_each_credit_says_what_was_given(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_credit(self.alice, self.post, [(self.bob, "  ")])
        self.assertEqual(caught.exception.field, "line")

    def test_it_works_on_a_learning_goal_without_importing_it(self) -> None:
        goal = do_set_goal(self.bob, "Learn SQL", visibility="organisation")
        actions.do_credit(self.bob, goal, [(self.alice, "Weekly pairing")])
        credit = Credit.objects.get()
        self.assertEqual(credit.target, goal)
        self.assertTrue(can_see(self.carol, credit))
        self.assertFalse(can_see(self.oscar, credit))

    def test_outsiders_cannot_credit_on_what_they_cannot_see(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_credit(self.oscar, self.post, [(self.bob, "x")])
        self.assertEqual(caught.exception.status, 404)


class ThanksTest(CairnTestCase):
    def test_a_thanks_note_records_thanked(self) -> None:
        actions.do_thank(self.bob, self.alice, "For the SQL session")
        event = Event.objects.get(verb=Verb.THANKED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_a_double_submission_thanks_once(self) -> None:
        actions.do_thank(self.bob, self.alice, "Same")
        actions.do_thank(self.bob, self.alice, "Same")
        self.assertEqual(Thanks.objects.count(), 1)

    def test_thanks_about_a_post(self) -> None:
        post = actions.do_share_post(self.alice, "Indexes", "Use them.")
        thanks = actions.do_thank(self.bob, self.alice, "Great post", about=post)
        self.assertEqual(thanks.about, post)
        self.assertEqual(
            Event.objects.get(verb=Verb.THANKED).context["about"], f"exchange.post:{post.pk}"
        )

    def test_a_second_thanks_for_the_same_thing_is_refused_kindly(self) -> None:
        post = actions.do_share_post(self.alice, "Indexes", "Use them.")
        actions.do_thank(self.bob, self.alice, "Great post", about=post)
        with self.assertRaises(ActionError) as caught:
            actions.do_thank(self.bob, self.alice, "Really great post", about=post)
        self.assertEqual((caught.exception.status, caught.exception.field), (409, "note"))
        self.assertIn("already thanked Alice Archer for this", caught.exception.message)
        self.assertEqual(Thanks.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.THANKED).count(), 1)
        other = actions.do_share_post(self.alice, "Joins", "Mind the keys.")
        actions.do_thank(self.bob, self.alice, "And this one", about=other)  # another thing
        actions.do_thank(self.carol, self.alice, "Great post", about=post)  # someone else
        self.assertEqual(Thanks.objects.count(), 3)

    def test_not_oneself_and_not_outsiders(self) -> None:
        with self.assertRaises(ActionError):
            actions.do_thank(self.bob, self.bob, "Me")
        with self.assertRaises(ActionError):
            actions.do_thank(self.bob, self.oscar, "Spy")
        with self.assertRaises(ActionError) as caught:
            actions.do_thank(self.bob, self.alice, "")
        self.assertEqual(caught.exception.field, "note")
