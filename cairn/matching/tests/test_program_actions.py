"""Programs: create, sign up, close, run the matching, adjust, publish — and the ledger."""

from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from cairn.errors import ActionError
from cairn.learning.models import Relationship
from cairn.ledger.models import Event
from cairn.matching.actions import (
    compute_matches,
    do_close_signups,
    do_create_program,
    do_exclude_pair,
    do_publish,
    do_reassign,
    do_run_matching,
    do_sign_up,
    do_swap,
    parse_questions,
)
from cairn.matching.models import Match, Participant, Program
from cairn.matching.tests.helpers import ProgramTestCase, participant
from cairn.notifications.models import Notification
from cairn.people.actions import do_update_profile

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class CreateProgramTest(ProgramTestCase):
    def test_an_admin_creates_a_program_and_the_ledger_hears(self) -> None:
        self.assertEqual(self.program.status, "collecting")
        self.assertEqual([q["id"] for q in self.program.questions], ["q1", "q2"])
        event = Event.objects.get(verb="program_created")
        self.assertEqual(event.actor, self.alice)

    def test_a_double_submission_creates_one_program(self) -> None:
        again = do_create_program(
            self.alice,
            name="Spring mentoring",
            opens_at=self.program.opens_at,
            closes_at=self.program.closes_at,
        )
        self.assertEqual(again.pk, self.program.pk)
        self.assertEqual(Program.objects.count(), 1)

    def test_members_cannot_create_programs(self) -> None:
        now = timezone.now()
        with self.assertRaises(ActionError) as caught:
            do_create_program(self.bob, name="Mine", opens_at=now, closes_at=now + timedelta(1))
        self.assertEqual(caught.exception.status, 403)

    def test_it_rejects_a_window_that_closes_before_it_opens(self) -> None:
        now = timezone.now()
        with self.assertRaises(ActionError) as caught:
            do_create_program(self.alice, name="Back", opens_at=now, closes_at=now)
        self.assertEqual(caught.exception.field, "closes_at")

    def test_it_rejects_a_choice_question_without_choices(self) -> None:
        now = timezone.now()
        with self.assertRaises(ActionError) as caught:
            do_create_program(
                self.alice,
                name="Q",
                opens_at=now,
                closes_at=now + timedelta(days=1),
                questions=[{"label": "Pick", "kind": "choice", "choices": ["One"]}],
            )
        self.assertEqual(caught.exception.field, "questions")

    def test_questions_read_from_lines(self) -> None:
        questions = parse_questions("Why join?\nHow often: Weekly | Monthly\n")
        self.assertEqual(questions[0], {"label": "Why join?", "kind": "text"})
        self.assertEqual(questions[1]["choices"], ["Weekly", "Monthly"])


class SignUpTest(ProgramTestCase):
    def test_signing_up_twice_leaves_one_sign_up_and_one_event(self) -> None:
        for _ in range(2):
            do_sign_up(self.bob, self.program, role="mentee", goal_text="SQL")
        self.assertEqual(self.program.participants.count(), 1)
        self.assertEqual(Event.objects.filter(verb="program_signed_up").count(), 1)

    def test_changing_a_sign_up_is_recorded(self) -> None:
        do_sign_up(self.bob, self.program, role="mentee", goal_text="SQL")
        do_sign_up(self.bob, self.program, role="mentee", goal_text="Better SQL")
        self.assertEqual(participant(self.program, self.bob).goal_text, "Better SQL")
        self.assertEqual(Event.objects.filter(verb="program_signed_up").count(), 2)

    def test_answers_to_choice_questions_must_be_a_choice(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_sign_up(
                self.bob, self.program, role="mentee", goal_text="SQL", answers={"q2": "Daily"}
            )
        self.assertEqual(caught.exception.field, "q2")

    def test_mentees_pick_among_signed_up_mentors_only(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_sign_up(self.bob, self.program, role="mentee", goal_text="SQL", picks=[self.dan.pk])
        self.assertEqual(caught.exception.field, "picks")
        do_sign_up(self.dan, self.program, role="mentor", capacity=1)
        do_sign_up(self.bob, self.program, role="mentee", goal_text="SQL", picks=[self.dan.pk])
        self.assertEqual(participant(self.program, self.bob).picks, [self.dan.pk])

    def test_a_mentee_says_what_they_want_to_grow(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_sign_up(self.bob, self.program, role="mentee")
        self.assertEqual(caught.exception.field, "goal_text")

    def test_mentors_take_a_sensible_number_of_mentees(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_sign_up(self.alice, self.program, role="mentor", capacity=0)
        self.assertEqual(caught.exception.field, "capacity")

    def test_outsiders_cannot_sign_up(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_sign_up(self.oscar, self.program, role="mentee", goal_text="SQL")
        self.assertEqual(caught.exception.status, 404)

    def test_nobody_signs_up_after_the_window_closed(self) -> None:
        self.close()
        with self.assertRaises(ActionError) as caught:
            do_sign_up(self.bob, self.program, role="mentee", goal_text="SQL")
        self.assertEqual(caught.exception.status, 409)

    def test_closing_twice_closes_once(self) -> None:
        self.close()
        self.close()
        self.assertTrue(self.program.has_closed())
        self.assertEqual(Event.objects.filter(verb="program_closed").count(), 1)


class RunMatchingTest(ProgramTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sign_up_everyone()

    def test_it_cannot_run_while_sign_ups_are_open(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_run_matching(self.alice, self.program)
        self.assertEqual(caught.exception.status, 409)

    def test_only_an_admin_runs_it(self) -> None:
        self.close()
        with self.assertRaises(ActionError) as caught:
            do_run_matching(self.bob, self.program)
        self.assertEqual(caught.exception.status, 403)

    def test_a_small_program_is_matched_at_once_with_reasons(self) -> None:
        self.close()
        program = do_run_matching(self.alice, self.program)
        self.assertEqual(program.status, "proposed")
        matches = {m.mentee.user_id: m for m in program.matches.select_related("mentee")}
        self.assertEqual(set(matches), {self.bob.pk, self.carol.pk, self.erin.pk})
        # Bob's manager chain is empty, but alice and bob share the Data department: allowed.
        mentors = {mentee: m.mentor.user_id for mentee, m in matches.items() if m.mentor}
        self.assertEqual(mentors[self.erin.pk], self.alice.pk)
        self.assertIn("your 1st pick", matches[self.erin.pk].reasons)
        self.assertEqual(mentors[self.carol.pk], self.dan.pk)
        self.assertEqual(program.summary["matched"], 3)
        self.assertIsNotNone(program.summary["worst"])
        self.assertIn(program.summary["worst_mentee"], [m.mentee_id for m in matches.values()])
        event = Event.objects.get(verb="program_run")
        self.assertFalse(event.context["background"])

    def test_stored_scores_are_the_unrounded_pair_scores(self) -> None:
        self.close()
        program = do_run_matching(self.alice, self.program)
        stored = program.compat_matrix()
        assert stored is not None
        mentee_ids, mentor_ids, compat, _ = stored
        matched = [m for m in program.matches.all() if m.mentor_id is not None]
        self.assertTrue(matched)
        scores = []
        for m in matched:
            assert m.mentor_id is not None and m.score is not None
            pair = compat[mentee_ids.index(m.mentee_id), mentor_ids.index(m.mentor_id)]
            self.assertAlmostEqual(m.score, float(pair), places=6)  # the matrix is float32
            scores.append(m.score)
        self.assertTrue(any(round(score, 3) != score for score in scores))

    def test_the_fair_objective_is_offered(self) -> None:
        self.close()
        program = do_run_matching(self.alice, self.program, objective="fair")
        self.assertEqual(program.summary["objective"], "fair")
        self.assertEqual(program.summary["other_objective"], "total")

    def test_the_manager_chain_is_never_matched(self) -> None:
        do_update_profile(self.bob, manager=self.alice.profile)
        self.close()
        program = do_run_matching(self.alice, self.program)
        bob = program.matches.get(mentee__user=self.bob)
        self.assertNotEqual(bob.mentor and bob.mentor.user_id, self.alice.pk)

    def test_excluded_pairs_are_kept_apart(self) -> None:
        do_exclude_pair(self.alice, self.program, self.erin.pk, self.alice.pk)
        self.close()
        program = do_run_matching(self.alice, self.program)
        erin = program.matches.get(mentee__user=self.erin)
        self.assertNotEqual(erin.mentor and erin.mentor.user_id, self.alice.pk)

    @override_settings(CAIRN_PROGRAM_SYNC_PAIRS=1, TASKS=IMMEDIATE)
    def test_a_large_program_is_matched_by_a_background_task(self) -> None:
        self.close()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            program = do_run_matching(self.alice, self.program)
        self.assertEqual(program.status, "matching")
        # Starting it again while it runs changes nothing.
        do_run_matching(self.alice, self.program)
        self.assertEqual(Event.objects.filter(verb="program_run").count(), 1)
        for callback in callbacks:
            callback()
        program.refresh_from_db()
        self.assertEqual(program.status, "proposed")
        self.assertEqual(program.matches.count(), 3)

    def test_a_lost_background_run_can_be_started_again(self) -> None:
        self.close()
        long_ago = timezone.now() - timedelta(hours=2)
        Program.objects.filter(pk=self.program.pk).update(
            status="matching", run_started_at=long_ago
        )
        program = do_run_matching(self.alice, Program.objects.get(pk=self.program.pk))
        self.assertEqual(program.status, "proposed")

    def test_a_crash_while_matching_never_leaves_the_program_stuck(self) -> None:
        self.close()
        Program.objects.filter(pk=self.program.pk).update(status="matching")
        with mock.patch("cairn.matching.matcher.match_program", side_effect=RuntimeError("boom")):
            with self.assertRaises(RuntimeError):
                compute_matches(self.program.pk)
        program = Program.objects.get(pk=self.program.pk)
        self.assertEqual(program.status, "collecting")
        self.assertIn("run it again", program.run_error)

    def test_a_program_nobody_can_be_matched_in_says_why(self) -> None:
        program = Program.objects.get(pk=self.program.pk)
        program.same_department = "require"
        program.save(update_fields=["same_department"])
        Participant.objects.filter(user__in=[self.alice, self.dan]).update(capacity=1)
        do_update_profile(self.carol, department="Legal")
        do_update_profile(self.bob, department="Legal")
        do_update_profile(self.erin, department="Legal")
        self.close()
        program = do_run_matching(self.alice, self.program)
        self.assertEqual(program.status, "collecting")
        self.assertIn("No match could be made", program.run_error)

    def test_computing_a_program_not_being_matched_does_nothing(self) -> None:
        self.assertEqual(compute_matches(self.program.pk), {})


class AdjustAndPublishTest(ProgramTestCase):
    program: Program

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sign_up_everyone()
        cls.close()
        cls.program = do_run_matching(cls.alice, cls.program)

    def match_of(self, user) -> Match:
        return Match.objects.select_related("mentor").get(program=self.program, mentee__user=user)

    def test_an_admin_reassigns_a_mentee_within_capacity(self) -> None:
        erin = participant(self.program, self.erin)
        dan = participant(self.program, self.dan)
        with self.assertRaises(ActionError) as caught:
            do_reassign(self.alice, self.program, erin.pk, dan.pk)  # dan takes one, has carol
        self.assertEqual(caught.exception.field, "mentor")
        carol = participant(self.program, self.carol)
        do_reassign(self.alice, self.program, carol.pk, None)
        match = do_reassign(self.alice, self.program, erin.pk, dan.pk)
        self.assertEqual(match.mentor, dan)
        self.assertTrue(match.adjusted)
        self.assertIsNotNone(match.score)
        self.program.refresh_from_db()
        self.assertEqual(self.program.summary["matched"], 2)
        self.assertEqual(Event.objects.filter(verb="program_adjusted").count(), 2)

    def test_reassigning_breaks_no_hard_rule(self) -> None:
        do_update_profile(self.erin, manager=self.dan.profile)
        self.program.refresh_from_db()
        # The rules were computed at the run: rerun so erin's new manager counts.
        Program.objects.filter(pk=self.program.pk).update(status="collecting")
        program = do_run_matching(self.alice, self.program)
        carol = participant(program, self.carol)
        do_reassign(self.alice, program, carol.pk, None)
        erin, dan = participant(program, self.erin), participant(program, self.dan)
        with self.assertRaises(ActionError) as caught:
            do_reassign(self.alice, program, erin.pk, dan.pk)
        self.assertIn("keep them apart", caught.exception.message)

    def test_an_admin_swaps_two_mentors(self) -> None:
        bob, carol = participant(self.program, self.bob), participant(self.program, self.carol)
        before = (self.match_of(self.bob).mentor_id, self.match_of(self.carol).mentor_id)
        do_swap(self.alice, self.program, bob.pk, carol.pk)
        after = (self.match_of(self.bob).mentor_id, self.match_of(self.carol).mentor_id)
        self.assertEqual(after, before[::-1])

    def test_members_cannot_adjust(self) -> None:
        bob = participant(self.program, self.bob)
        with self.assertRaises(ActionError) as caught:
            do_reassign(self.bob, self.program, bob.pk, None)
        self.assertEqual(caught.exception.status, 403)

    def test_publishing_starts_mentoring_and_tells_everyone_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_publish(self.alice, self.program)
        with self.captureOnCommitCallbacks(execute=True):
            do_publish(self.alice, self.program)
        self.program.refresh_from_db()
        self.assertEqual(self.program.status, "published")
        relationships = Relationship.objects.filter(status="active")
        self.assertEqual(relationships.count(), 3)
        erin = self.match_of(self.erin)
        assert erin.relationship is not None
        self.assertEqual(erin.relationship.requested_by, self.erin)
        roles = {m.user_id: m.role for m in erin.relationship.members.all()}
        self.assertEqual(roles, {self.erin.pk: "learner", self.alice.pk: "mentor"})
        self.assertEqual(Event.objects.filter(verb="program_matched").count(), 3)
        self.assertEqual(Event.objects.filter(verb="program_published").count(), 1)
        for person in (self.bob, self.carol, self.erin, self.dan):
            self.assertTrue(
                Notification.objects.filter(
                    recipient=person, text__contains="Spring mentoring"
                ).exists(),
                person,
            )

    def test_nothing_is_adjusted_after_publishing(self) -> None:
        do_publish(self.alice, self.program)
        bob = participant(self.program, self.bob)
        with self.assertRaises(ActionError) as caught:
            do_reassign(self.alice, self.program, bob.pk, None)
        self.assertEqual(caught.exception.status, 409)

    def test_closing_again_is_harmless(self) -> None:
        self.assertEqual(do_close_signups(self.alice, self.program).status, "proposed")
