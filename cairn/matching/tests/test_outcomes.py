"""A programme's outcomes page: the figures, the charts, the CSV, and who may open it."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from cairn.exchange.actions import do_share_post
from cairn.learning.actions import (
    do_close_relationship,
    do_give_feedback,
    do_log_session,
    do_set_goal,
)
from cairn.learning.models import Relationship
from cairn.matching.actions import do_publish, do_run_matching
from cairn.matching.models import Match
from cairn.matching.outcomes import programme_outcomes
from cairn.matching.tests.helpers import ProgramTestCase
from cairn.trust.history import take_snapshots


def scores(*values: int) -> dict[str, int]:
    return dict(zip(("helpfulness", "responsiveness", "openness", "presence"), values, strict=True))


class OutcomesTest(ProgramTestCase):
    relationships: list[Relationship]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sign_up_everyone()
        cls.close()
        cls.program = do_publish(cls.alice, do_run_matching(cls.alice, cls.program))
        cls.relationships = list(
            Relationship.objects.filter(
                pk__in=Match.objects.filter(program=cls.program).values("relationship_id")
            ).order_by("pk")
        )
        first, second, third = cls.relationships
        now = timezone.now()
        for relationship in (first, second):
            mentor = relationship.mentors()[0].user
            session = do_log_session(mentor, relationship, now - timedelta(hours=2), 60)
            learner = relationship.learners()[0].user
            do_give_feedback(learner, mentor, session, scores(5, 4, 4, 5))
            do_give_feedback(mentor, learner, session, scores(4, 4, 4, 4))
        do_close_relationship(third.learners()[0].user, third, "not_a_fit")
        do_set_goal(cls.bob, "Lead a retro")
        do_share_post(cls.bob, "Joins explained", "Inner and outer.")

    def test_the_figures_count_what_happened(self) -> None:
        out = programme_outcomes(self.program)
        self.assertEqual((out.mentees, out.mentors, out.matched, out.relationships), (3, 2, 3, 3))
        self.assertEqual(out.without_session, 1)
        self.assertEqual(out.median_days_to_first_session, 0.0)
        self.assertEqual(dict(out.health)["On track"], 2)
        self.assertEqual(dict(out.health)["Closed"], 1)
        self.assertEqual(out.sessions_per_pair, 0.7)
        self.assertEqual(out.feedback_count, 4)
        self.assertEqual(dict(out.feedback)["helpfulness"], 4.5)
        self.assertGreaterEqual(out.goals_set, 1)
        participants, others = out.helping
        self.assertGreater(participants[2], 0)  # bob shared know-how after publication
        self.assertEqual(others[0], "everyone else")

    def test_an_admin_reads_the_page_with_charts_and_downloads_the_csv(self) -> None:
        self.client.force_login(self.alice)
        url = f"/programs/{self.program.pk}/outcomes/"
        page = self.client.get(url)
        self.assertContains(page, "What “Spring mentoring” achieved")
        self.assertContains(page, 'aria-label="Relationships by health"')
        self.assertContains(page, "Helping others, before and after")
        download = self.client.get(url + "?format=csv")
        self.assertEqual(download["Content-Type"], "text/csv; charset=utf-8")
        rows = dict(csv.reader(io.StringIO(download.content.decode())))
        self.assertEqual(rows["Mentees matched"], "3")
        self.assertEqual(rows["Relationships closed"], "1")

    def test_trust_before_and_after_reads_the_weekly_snapshots(self) -> None:
        url = f"/programs/{self.program.pk}/outcomes/"
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(url), "Earned trust, before and after")
        take_snapshots(self.program.organisation_id)
        out = programme_outcomes(self.program)
        (who, before, after), (rest, _, _) = out.trust
        self.assertEqual((who, rest), ("participants", "everyone else"))
        self.assertEqual(before.people, out.mentees + out.mentors)
        page = self.client.get(url)
        self.assertContains(page, "Earned trust, before and after")
        self.assertContains(page, 'aria-label="Share whose trust is known (%)"')
        rows = dict(csv.reader(io.StringIO(self.client.get(url + "?format=csv").content.decode())))
        self.assertIn("Trust known, participants, before (%)", rows)

    def test_members_and_outsiders_cannot_open_it(self) -> None:
        url = f"/programs/{self.program.pk}/outcomes/"
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_its_query_count_does_not_grow_with_the_programme(self) -> None:
        self.client.force_login(self.alice)

        def add() -> None:
            for day in range(1, 6):
                for relationship in self.relationships[:2]:
                    mentor = relationship.mentors()[0].user
                    do_log_session(mentor, relationship, timezone.now() - timedelta(days=day), 30)

        self.assertSameQueries(f"/programs/{self.program.pk}/outcomes/", add)
