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

    def test_a_hundred_thanks_to_one_person_in_a_day_are_capped_at_five(self):
        for n in range(100):
            try:
                do_thank(self.bob, self.carol, f"Thanks {n}")
            except ActionError:
                pass
        self.assertEqual(Thanks.objects.filter(sender=self.bob, recipient=self.carol).count(), 5)

    def test_feedback_to_the_same_person_is_capped(self):
        from cairn.ledger.models import Verb
        from cairn.safeguards.actions import check_pair_cap
        from cairn.safeguards.tests.test_scan import happened

        for n in range(5):
            happened(Verb.RATED, self.bob, self.alice, 1 + n, value=1.0)
        check_pair_cap(self.bob, [self.carol], Verb.RATED)
        with self.assertRaises(ActionError) as caught:
            check_pair_cap(self.bob, [self.alice], Verb.RATED)
        self.assertEqual((caught.exception.status, caught.exception.field), (429, "receiver"))
