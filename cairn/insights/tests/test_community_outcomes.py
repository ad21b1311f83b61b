"""A community's outcomes page: the figures, the charts, the CSV, and who may open it."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.communities import actions
from cairn.communities.models import Community, Thread
from cairn.exchange.actions import do_ask, do_share_post
from cairn.insights.communities import community_outcomes
from cairn.learning.actions import do_add_milestone, do_complete_milestone, do_set_goal
from cairn.testing import CairnTestCase, make_person
from cairn.trust.history import take_snapshots


class CommunityOutcomesTest(CairnTestCase):
    circle: Community
    question: Thread

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.circle = actions.do_create_community(cls.bob, "Data Circle", "SQL and friends")
        actions.do_join(cls.carol, cls.circle)
        cls.question = actions.do_start_thread(cls.carol, cls.circle, "Window functions?", "How")
        actions.do_reply(cls.carol, cls.question, "Anyone?")  # her own reply is no answer
        actions.do_reply(cls.bob, cls.question, "OVER (PARTITION BY ...)")
        actions.do_start_thread(cls.bob, cls.circle, "Reading list", "Ideas welcome")
        actions.do_share_resource(cls.carol, cls.circle, "SQL guide", "https://sql.example/")
        do_share_post(cls.bob, "Joins explained", "Inner and outer.", community=cls.circle)
        do_ask(cls.carol, "Pivot tables in SQL?", "Where do I start?", community=cls.circle)
        goal = do_set_goal(cls.carol, "Write window functions")
        first, *_ = [
            do_add_milestone(cls.carol, goal, step)
            for step in ("Read the docs", "Rewrite one report", "Teach it")
        ]
        do_complete_milestone(cls.carol, first)
        do_set_goal(cls.alice, "Not a member's goal")

    def test_the_figures_count_what_happened(self) -> None:
        out = community_outcomes(self.circle)
        self.assertEqual((out.members, out.facilitators, out.waiting), (2, 1, 0))
        self.assertEqual((out.joined, out.left), (2, 0))
        self.assertEqual((out.threads, out.answered), (2, 1))
        self.assertIsNotNone(out.median_hours_to_first_reply)
        self.assertEqual((out.replies, out.resources, out.posts), (2, 1, 1))
        self.assertEqual((out.requests, out.requests_answered), (1, 0))
        self.assertEqual((out.contributors, out.contributor_percent), (2, 100))
        self.assertEqual((out.goals_set, out.goals_progressed, out.goals_achieved), (1, 1, 0))
        self.assertEqual(sum(n for _, n in out.activity_by_week), 7)
        members, others = out.helping
        self.assertEqual((members[0], others[0]), ("members", "everyone else"))
        self.assertGreater(members[2], 0)  # bob shared know-how
        self.assertEqual(out.trust, [])  # no snapshot reaches back 90 days

    def test_trust_is_compared_once_snapshots_reach_back(self) -> None:
        take_snapshots(self.acme.pk, now=timezone.now() - timedelta(days=91))
        take_snapshots(self.acme.pk)
        (who, before, after), (rest, *_) = community_outcomes(self.circle).trust
        self.assertEqual(
            (who, rest, before.people, after.people), ("members", "everyone else", 2, 2)
        )

    def test_a_facilitator_reads_the_page_and_downloads_the_csv(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("community_outcomes", args=[self.circle.pk])
        page = self.client.get(url)
        self.assertContains(page, "What “Data Circle” does for its people")
        self.assertContains(page, 'aria-label="Contributions per week"')
        self.assertContains(page, 'aria-label="Help given per person per month"')
        self.assertContains(self.client.get(self.circle.get_absolute_url()), url)
        download = self.client.get(url + "?format=csv")
        self.assertEqual(download["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("data-circle-outcomes.csv", download["Content-Disposition"])
        rows = dict(csv.reader(io.StringIO(download.content.decode())))
        self.assertEqual(rows["Members"], "2")
        self.assertEqual(rows["Of them answered by someone else"], "1")

    def test_an_admin_may_read_it_members_may_not_and_outsiders_never_see_it(self) -> None:
        url = reverse("community_outcomes", args=[self.circle.pk])
        self.client.force_login(self.alice)  # an organisation admin, not a member
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(self.carol)  # a member
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertNotContains(self.client.get(self.circle.get_absolute_url()), url)
        self.client.force_login(self.oscar)  # another organisation
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(url + "?format=csv").status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_its_query_count_does_not_grow_with_the_community(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("community_outcomes", args=[self.circle.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for i in range(4):
            newcomer = make_person(self.acme, f"Newcomer {i}")
            actions.do_join(newcomer, self.circle)
            thread = actions.do_start_thread(newcomer, self.circle, f"Question {i}", "Help")
            actions.do_reply(self.bob, thread, "Here you go")
        with self.assertNumQueries(len(before.captured_queries)):
            self.client.get(url)
