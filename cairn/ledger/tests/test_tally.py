"""Each person's tally of giving and recognition equals a recount of the ledger."""

from django.db import transaction

from cairn.exchange.actions import do_ask, do_credit, do_mark_response, do_respond, do_thank
from cairn.ledger import tally
from cairn.ledger.models import Tally, Verb
from cairn.ledger.record import erase_organisation, record
from cairn.testing import CairnTestCase, mentoring


class TallyTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        asked = do_ask(cls.bob, "Stuck on a join")
        for responder in (cls.alice, cls.carol):
            response = do_respond(responder, asked, "Try a left join")
            do_mark_response(cls.bob, response, helpful=True)
        do_thank(cls.bob, cls.carol, "That join saved my afternoon")
        do_credit(cls.bob, asked, [(cls.alice, "the left join")])
        relationship = mentoring(cls.bob, cls.alice)
        with transaction.atomic():
            record(Verb.MENTORED, actor=cls.alice, subject=cls.bob, obj=relationship)
            # Help given to nobody in particular is not counted as giving.
            record(Verb.HELPED, actor=cls.carol)
            record(Verb.THANKED, actor=cls.oscar, subject=cls.oscar)

    def test_the_tally_equals_a_recount_of_the_ledger(self) -> None:
        for org in (self.acme, self.globex):
            with self.subTest(org=org.slug):
                self.assertEqual(tally.kept(org.pk), tally.from_ledger(org.pk))

    def test_it_counts_giving_to_someone_and_recognition(self) -> None:
        self.assertEqual(
            tally.kept(self.acme.pk),
            {
                # Responded and helped, answered the mentoring request and mentored; credited.
                self.alice.pk: (4, 1),
                # Responded and helped; thanked.
                self.carol.pk: (2, 1),
            },
        )
        self.assertEqual(tally.kept(self.globex.pk), {self.oscar.pk: (0, 1)})

    def test_a_recount_changes_nothing(self) -> None:
        kept = tally.kept(self.acme.pk)
        self.assertEqual(tally.recount(self.acme.pk), 2)
        self.assertEqual(tally.kept(self.acme.pk), kept)

    def test_a_rolled_back_event_is_not_counted(self) -> None:
        kept = tally.kept(self.acme.pk)
        with self.assertRaises(RuntimeError), transaction.atomic():
            record(Verb.THANKED, actor=self.carol, subject=self.bob)
            raise RuntimeError("the change failed")
        self.assertEqual(tally.kept(self.acme.pk), kept)

    def test_an_erased_organisation_takes_its_tallies(self) -> None:
        erase_organisation(self.globex)
        self.assertFalse(Tally.objects.filter(user=self.oscar).exists())
        self.assertTrue(Tally.objects.filter(organisation=self.acme).exists())
