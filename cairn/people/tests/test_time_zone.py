"""Every time on a page is shown in the viewer's own time zone, and a time typed into a form is
read in it; the API answers in UTC with the offset written out."""

from datetime import UTC, datetime

from django.urls import reverse

from cairn.commitments.actions import do_commit
from cairn.commitments.models import Commitment
from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.learning.models import Relationship
from cairn.matching.models import Program
from cairn.people.actions import do_update_profile
from cairn.people.middleware import zone_of
from cairn.people.models import Profile
from cairn.testing import CairnTestCase

#: 22:59 UTC on a winter evening is 23:59 in Berlin (UTC+1).
DUE = datetime(2030, 3, 2, 22, 59, tzinfo=UTC)
#: 13:00 UTC is 14:00 in Berlin.
HELD = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)


class TimeZoneTest(CairnTestCase):
    commitment: Commitment
    relationship: Relationship

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_update_profile(cls.bob, timezone="Europe/Berlin")
        goal = do_set_goal(cls.bob, "Write good SQL")
        cls.relationship = do_request_relationship(
            cls.bob, cls.alice, "mentoring", goal, "Would you?"
        )
        do_accept(cls.alice, cls.relationship)
        do_log_session(cls.alice, cls.relationship, HELD, 60, shared_notes="Window functions")
        cls.commitment = do_commit(cls.bob, cls.alice, "Send the query plan", DUE)

    def test_a_berlin_colleague_sees_a_commitment_due_in_berlin_time(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.commitment.get_absolute_url())
        self.assertContains(response, "Saturday 2 March 2030, 23:59")
        self.assertNotContains(response, "22:59")

    def test_a_colleague_in_utc_sees_the_same_commitment_in_utc(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.commitment.get_absolute_url())
        self.assertContains(response, "Saturday 2 March 2030, 22:59")

    def test_a_berlin_colleague_sees_a_session_in_berlin_time(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.relationship.get_absolute_url())
        self.assertContains(response, "Sunday 1 March 2026, 14:00")
        self.assertNotContains(response, "13:00")

    def test_a_time_typed_into_a_form_is_read_in_the_persons_zone(self) -> None:
        do_update_profile(self.alice, timezone="Europe/Berlin")
        self.client.force_login(self.alice)
        self.client.post(
            reverse("program_new"),
            {
                "name": "Spring mentoring",
                "opens_at": "2030-01-07T09:00",
                "closes_at": "2030-01-31T17:00",
                "same_department": Program.DepartmentRule.ALLOW,
                "objective": Program.Objective.TOTAL,
            },
        )
        program = Program.objects.get(name="Spring mentoring")
        self.assertEqual(program.opens_at, datetime(2030, 1, 7, 8, 0, tzinfo=UTC))

    def test_the_api_answers_in_utc_with_the_offset(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/api/v1/commitments/{self.commitment.pk}")
        self.assertEqual(response.json()["due_at"], "2030-03-02T22:59:00Z")

    def test_an_unknown_zone_name_falls_back_to_the_site_zone(self) -> None:
        self.assertIsNone(zone_of(Profile(timezone="Mars/Olympus_Mons")))
        self.assertIsNone(zone_of(None))
        self.assertEqual(str(zone_of(Profile(timezone="Europe/Berlin"))), "Europe/Berlin")
