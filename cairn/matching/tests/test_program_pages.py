"""Program pages: list, create, sign up, close, run, review (htmx), adjust, publish, my match."""

from datetime import timedelta

from django.utils import timezone

from cairn.learning.actions import do_set_goal
from cairn.matching.actions import do_create_program, do_run_matching, do_sign_up
from cairn.matching.models import Participant, Program
from cairn.matching.tests.helpers import ProgramTestCase, participant
from cairn.testing import make_person


class ProgramListTest(ProgramTestCase):
    def test_colleagues_see_the_programs_of_their_organisation(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/programs/")
        self.assertContains(response, "Spring mentoring")
        self.assertNotContains(response, "Start a program")

    def test_outsiders_see_none(self) -> None:
        self.client.force_login(self.oscar)
        self.assertNotContains(self.client.get("/programs/"), "Spring mentoring")
        self.assertEqual(self.client.get(f"/programs/{self.program.pk}/").status_code, 404)

    def test_the_list_keeps_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        now = timezone.now()

        def add() -> None:
            for n in range(5):
                do_create_program(
                    self.alice, name=f"Cohort {n}", opens_at=now, closes_at=now + timedelta(days=3)
                )

        self.assertContains(self.assertSameQueries("/programs/", add), "Cohort 4")


class CreateProgramPageTest(ProgramTestCase):
    def test_an_admin_creates_a_program_from_the_form(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            "/programs/new/",
            {
                "name": "Autumn cohort",
                "description": "For new managers.",
                "opens_at": "2026-09-01T09:00",
                "closes_at": "2026-09-15T17:00",
                "questions": "Why join?\nHow often: Weekly | Monthly",
                "same_department": "forbid",
                "objective": "fair",
            },
        )
        program = Program.objects.get(name="Autumn cohort")
        self.assertRedirects(response, f"/programs/{program.pk}/")
        self.assertEqual(program.questions[1]["choices"], ["Weekly", "Monthly"])
        self.assertEqual(program.same_department, "forbid")

    def test_bad_input_shows_on_the_field(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            "/programs/new/",
            {
                "name": "Backwards",
                "opens_at": "2026-09-15T09:00",
                "closes_at": "2026-09-01T17:00",
                "same_department": "allow",
                "objective": "total",
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertFormError(
            response.context["form"], "closes_at", "Sign-ups close after they open."
        )

    def test_members_may_not_create_programs(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/programs/new/").status_code, 403)


class SignUpPageTest(ProgramTestCase):
    def test_a_colleague_signs_up_as_a_mentee_with_answers_and_picks(self) -> None:
        do_sign_up(self.alice, self.program, role="mentor", capacity=2)
        goal = do_set_goal(self.bob, "Write faster SQL")
        self.client.force_login(self.bob)
        page = self.client.get(f"/programs/{self.program.pk}/")
        self.assertContains(page, "What would make this a success?")
        self.assertContains(page, "Alice Archer")  # a mentor to pick
        response = self.client.post(
            f"/programs/{self.program.pk}/signup/",
            {
                "role": "mentee",
                "goal": goal.pk,
                "goal_text": "",
                "picks": [str(self.alice.pk)],
                "q1": "Shipping a dashboard",
                "q2": "Weekly",
            },
        )
        self.assertRedirects(response, f"/programs/{self.program.pk}/")
        me = participant(self.program, self.bob)
        self.assertEqual(me.picks, [self.alice.pk])
        self.assertEqual(me.answers, {"q1": "Shipping a dashboard", "q2": "Weekly"})
        self.assertIn("Write faster SQL", me.goal_text)

    def test_the_program_page_keeps_a_constant_number_of_queries(self) -> None:
        self.sign_up_everyone()
        self.client.force_login(self.bob)

        def add() -> None:
            for n in range(5):
                do_sign_up(make_person(self.acme, f"Mentor {n}"), self.program, role="mentor")

        response = self.assertSameQueries(f"/programs/{self.program.pk}/", add)
        self.assertContains(response, "Mentor 4")

    def test_a_double_submission_signs_up_once(self) -> None:
        self.client.force_login(self.carol)
        data = {"role": "mentor", "capacity": 2}
        for _ in range(2):
            self.client.post(f"/programs/{self.program.pk}/signup/", data)
        self.assertEqual(Participant.objects.filter(user=self.carol).count(), 1)

    def test_a_mentee_without_a_goal_is_asked_for_one(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(f"/programs/{self.program.pk}/signup/", {"role": "mentee"})
        self.assertFormError(
            response.context["form"], "goal_text", "Say what you want to grow, or pick a goal."
        )

    def test_outsiders_cannot_sign_up(self) -> None:
        self.client.force_login(self.oscar)
        response = self.client.post(
            f"/programs/{self.program.pk}/signup/", {"role": "mentor", "capacity": 1}
        )
        self.assertEqual(response.status_code, 404)


class RunAndReviewPageTest(ProgramTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sign_up_everyone()

    def test_members_cannot_run_or_review(self) -> None:
        self.close()
        self.client.force_login(self.bob)
        for url in ("close", "run", "publish", "reassign", "swap", "exclude"):
            response = self.client.post(f"/programs/{self.program.pk}/{url}/")
            self.assertEqual(response.status_code, 403, url)
        self.assertEqual(self.client.get(f"/programs/{self.program.pk}/review/").status_code, 403)

    def test_an_admin_closes_runs_reviews_and_publishes(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(f"/programs/{self.program.pk}/close/")
        response = self.client.post(f"/programs/{self.program.pk}/run/", {"objective": "total"})
        self.assertRedirects(response, f"/programs/{self.program.pk}/review/")
        review = self.client.get(f"/programs/{self.program.pk}/review/")
        self.assertContains(review, "Worst-matched mentee")
        self.assertContains(review, "Erin Evans")
        self.assertContains(review, "your 1st pick")
        self.assertContains(review, "Rerun to lift the worst-matched mentee")
        response = self.client.post(f"/programs/{self.program.pk}/publish/")
        self.assertRedirects(response, f"/programs/{self.program.pk}/")
        self.client.force_login(self.erin)
        page = self.client.get(f"/programs/{self.program.pk}/")
        self.assertContains(page, "Your match")
        self.assertContains(page, "Alice Archer")
        self.assertContains(page, "Go to your mentoring")

    def test_a_refused_reassignment_shows_why_in_the_htmx_fragment(self) -> None:
        self.close()
        do_run_matching(self.alice, self.program)
        self.client.force_login(self.alice)
        erin, dan = participant(self.program, self.erin), participant(self.program, self.dan)
        response = self.client.post(
            f"/programs/{self.program.pk}/reassign/",
            {"mentee": erin.pk, "mentor": dan.pk},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, "already has 1 mentee in this program")

    def test_after_closing_sign_ups_the_program_no_longer_says_it_collects_them(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(f"/programs/{self.program.pk}/"), "Collecting sign-ups")
        self.client.post(f"/programs/{self.program.pk}/close/")
        for url in (f"/programs/{self.program.pk}/", "/programs/"):
            page = self.client.get(url)
            self.assertContains(page, "Sign-ups closed, waiting to be matched")
            self.assertNotContains(page, "Collecting sign-ups")

    def test_after_a_swap_the_summary_shown_is_the_new_one(self) -> None:
        self.close()
        do_run_matching(self.alice, self.program)
        self.client.force_login(self.alice)
        bob, carol = participant(self.program, self.bob), participant(self.program, self.carol)
        response = self.client.post(
            f"/programs/{self.program.pk}/swap/",
            {"mentee": bob.pk, "other": carol.pk},
            headers={"HX-Request": "true"},
        )
        self.program.refresh_from_db()
        worst = self.program.matches.get(mentee_id=self.program.summary["worst_mentee"])
        assert worst.mentee is not None and worst.mentor is not None
        self.assertContains(
            response,
            f"{worst.mentee.user.profile.name}: {worst.score_percent()}% fit with "
            f"{worst.mentor.user.profile.name}",
        )
        self.assertNotContains(response, "The other way")

    def test_the_review_page_keeps_a_constant_number_of_queries(self) -> None:
        self.close()
        do_run_matching(self.alice, self.program)
        self.client.force_login(self.alice)

        def add() -> None:
            for user in [make_person(self.acme, f"Newcomer {n}") for n in range(4)]:
                Participant.objects.create(
                    program=self.program, user=user, role="mentee", goal_text="SQL"
                )
            Program.objects.filter(pk=self.program.pk).update(status="matching")
            do_run_matching(self.alice, self.program)

        self.assertSameQueries(f"/programs/{self.program.pk}/review/", add)

    def test_while_matching_the_review_page_refreshes_itself(self) -> None:
        self.close()
        Program.objects.filter(pk=self.program.pk).update(status="matching")
        self.client.force_login(self.alice)
        response = self.client.get(f"/programs/{self.program.pk}/review/")
        self.assertContains(response, 'hx-trigger="every 2s"')
        self.assertContains(response, "Matching in progress")
