from django.test import override_settings

from cairn.errors import ActionError
from cairn.exchange.actions import do_credit, do_thank
from cairn.exchange.models import Thanks
from cairn.learning.actions import do_set_goal
from cairn.testing import CairnTestCase


class PairCapTest(CairnTestCase):
    def test_the_sixth_thanks_to_the_same_person_in_a_day_is_refused(self):
        for n in range(5):
            do_thank(self.bob, self.carol, f"Thanks {n}")
        with self.assertRaises(ActionError) as caught:
            do_thank(self.bob, self.carol, "Thanks again")
        self.assertEqual(caught.exception.status, 429)
        self.assertEqual(caught.exception.field, "recipient")
        self.assertIn("5 times a day", caught.exception.message)
        do_thank(self.bob, self.alice, "You too")  # someone else is fine
        self.assertEqual(Thanks.objects.filter(sender=self.bob).count(), 6)

    def test_a_double_click_on_thanks_sends_one(self):
        do_thank(self.bob, self.carol, "Same")
        do_thank(self.bob, self.carol, "Same")
        self.assertEqual(Thanks.objects.count(), 1)

    @override_settings(CAIRN_PAIR_CAPS={"credited": 1})
    def test_credits_to_the_same_person_are_capped_too(self):
        first = do_set_goal(self.alice, "One", visibility="organisation")
        second = do_set_goal(self.alice, "Two", visibility="organisation")
        do_credit(self.alice, first, [(self.bob, "helped")])
        with self.assertRaises(ActionError) as caught:
            do_credit(self.alice, second, [(self.carol, "x"), (self.bob, "helped")])
        self.assertEqual(caught.exception.status, 429)
