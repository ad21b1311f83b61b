"""Who sees a dispute, said once as ``Dispute.objects.visible_to``: the person who opened it,
its reviewer and the organisation's admins; nobody else, and no other organisation."""

from cairn.disputes.actions import do_open_dispute
from cairn.disputes.models import Dispute
from cairn.disputes.tests.helpers import missed_commitment
from cairn.testing import CairnTestCase, make_person


class DisputeVisibilityTest(CairnTestCase):
    dispute: Dispute

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _, missed = missed_commitment(cls.bob, cls.carol, "Send the plan")
        cls.dispute = do_open_dispute(cls.bob, missed, "I did send it")

    def test_each_persona_sees_exactly_what_the_rule_says(self) -> None:
        expected = {self.alice: True, self.bob: True, self.carol: True, self.oscar: False}
        for person, sees in expected.items():
            visible = set(Dispute.objects.visible_to(person))
            self.assertEqual(visible == {self.dispute}, sees, person)
            self.assertEqual(bool(visible), sees, person)

    def test_a_colleague_not_involved_sees_nothing(self) -> None:
        dave = make_person(self.acme, "Dave Doe")
        self.assertFalse(Dispute.objects.visible_to(dave).exists())

    def test_the_page_answers_404_to_anyone_outside_the_rule(self) -> None:
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(self.dispute.get_absolute_url()).status_code, 404)
