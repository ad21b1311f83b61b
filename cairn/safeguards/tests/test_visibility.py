"""Who sees safeguards' records, said once as querysets: a correction, the two people whose
evidence it concerns; a suspected ring, the organisation's admins; no other organisation."""

from cairn.safeguards.models import Correction, RingFlag
from cairn.testing import CairnTestCase


class SafeguardsVisibilityTest(CairnTestCase):
    ring: RingFlag
    correction: Correction

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ring = RingFlag.objects.create(organisation=cls.acme, key="1,2,3", evidence="x")
        cls.correction = Correction.objects.create(
            organisation=cls.acme,
            actor=cls.bob,
            subject=cls.carol,
            verb="thanked",
            reason=Correction.Reason.SERIAL,
            count=12,
        )

    def test_a_correction_is_seen_by_the_two_people_it_concerns(self) -> None:
        expected = {self.alice: False, self.bob: True, self.carol: True, self.oscar: False}
        for person, sees in expected.items():
            self.assertEqual(
                set(Correction.objects.visible_to(person)) == {self.correction}, sees, person
            )

    def test_a_ring_flag_is_seen_by_the_organisations_admins_only(self) -> None:
        expected = {self.alice: True, self.bob: False, self.carol: False, self.oscar: False}
        for person, sees in expected.items():
            self.assertEqual(set(RingFlag.objects.visible_to(person)) == {self.ring}, sees, person)

    def test_the_ring_page_answers_404_outside_the_rule(self) -> None:
        for person in (self.bob, self.oscar):
            self.client.force_login(person)
            response = self.client.get(self.ring.get_absolute_url())
            self.assertEqual(response.status_code, 404, person)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.ring.get_absolute_url()).status_code, 200)
