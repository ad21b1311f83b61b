"""Relationship health: the agreed rhythm, activity from the ledger, proposed sessions, nudges,
reminders, lapses, closing kindly and the admins' "needs attention" list."""

from datetime import timedelta

import icalendar
import time_machine
from django.test import override_settings
from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.errors import ActionError
from cairn.learning.actions import (
    check_in_summary,
    do_accept,
    do_add_milestone,
    do_answer_check_in,
    do_answer_proposal,
    do_ask_check_ins,
    do_close_relationship,
    do_complete_milestone,
    do_lapse_proposals,
    do_log_session,
    do_nudge_quiet,
    do_propose_session,
    do_remind_proposals,
    do_request_relationship,
    do_set_goal,
    do_set_rhythm,
    do_withdraw_proposal,
)
from cairn.learning.models import CheckIn, Relationship, SessionProposal
from cairn.learning.tests.helpers import BobsGoalTestCase
from cairn.ledger.models import Event, Verb
from cairn.notifications.models import Notification
from cairn.testing import CairnTestCase, make_person

NOW = timezone.now().replace(microsecond=0)
Health = Relationship.Health


def _active(learner, mentor, goal=None, kind="mentoring") -> Relationship:
    goal = goal or do_set_goal(learner, f"Learn with {mentor.profile.name}")
    relationship = do_request_relationship(learner, mentor, kind, goal, "Would you?")
    return do_accept(mentor, relationship)


class ActiveRelationshipCase(CairnTestCase):
    """Alice mentoring bob: he asked, she accepted."""

    relationship: Relationship

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.relationship = _active(cls.bob, cls.alice)


class HealthOfAnUnsavedRelationshipTest(CairnTestCase):
    def _relationship(self, quiet_days: int, rhythm: int = 7) -> Relationship:
        return Relationship(
            status=Relationship.Status.ACTIVE,
            rhythm_days=rhythm,
            created_at=NOW - timedelta(days=90),
            last_active_at=NOW - timedelta(days=quiet_days),
        )

    def test_it_is_on_track_within_its_rhythm(self) -> None:
        self.assertEqual(self._relationship(7).health(NOW), Health.ON_TRACK)

    def test_it_slows_after_one_missed_meeting_and_stalls_after_two(self) -> None:
        self.assertEqual(self._relationship(8).health(NOW), Health.SLOWING)
        self.assertEqual(self._relationship(14).health(NOW), Health.SLOWING)
        self.assertEqual(self._relationship(15).health(NOW), Health.STALLED)

    def test_a_monthly_rhythm_gives_more_time(self) -> None:
        self.assertEqual(self._relationship(20, rhythm=30).health(NOW), Health.ON_TRACK)

    def test_the_reason_says_how_long_and_what_was_agreed(self) -> None:
        reason = self._relationship(9).health_reason(NOW)
        self.assertIn("Last active 9 days ago", reason)
        self.assertIn("every week", reason)
        self.assertIn("propose the next session", reason)

    def test_only_active_relationships_have_a_health(self) -> None:
        done = Relationship(status=Relationship.Status.COMPLETED, created_at=NOW)
        self.assertEqual((done.health(NOW), done.health_reason(NOW)), ("", ""))


class ActivityFromTheLedgerTest(BobsGoalTestCase):
    def _fresh(self) -> Relationship:
        with self.captureOnCommitCallbacks(execute=True):
            relationship = _active(self.bob, self.alice, self.goal)
        Relationship.objects.filter(pk=relationship.pk).update(
            last_active_at=NOW - timedelta(days=40)
        )
        return relationship

    def _last_active(self, relationship: Relationship):
        return Relationship.objects.get(pk=relationship.pk).last_active_at

    def test_accepting_starts_the_clock(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            relationship = _active(self.bob, self.alice, self.goal)
        self.assertIsNotNone(self._last_active(relationship))

    def test_a_session_logged_moves_it_to_the_session_time(self) -> None:
        relationship = self._fresh()
        with self.captureOnCommitCallbacks(execute=True):
            do_log_session(self.alice, relationship, NOW - timedelta(days=2), 60)
        self.assertGreaterEqual(self._last_active(relationship), NOW - timedelta(days=2))

    def test_a_milestone_of_its_goal_counts(self) -> None:
        relationship = self._fresh()
        milestone = do_add_milestone(self.bob, self.goal, "Joins")
        with self.captureOnCommitCallbacks(execute=True):
            do_complete_milestone(self.bob, milestone)
        self.assertGreater(self._last_active(relationship), NOW - timedelta(days=1))

    def test_a_commitment_between_its_members_counts_and_one_to_an_outsider_does_not(
        self,
    ) -> None:
        relationship = self._fresh()
        with self.captureOnCommitCallbacks(execute=True):
            do_commit(self.bob, self.carol, "Send the notes", NOW + timedelta(days=3))
        self.assertLess(self._last_active(relationship), NOW - timedelta(days=30))
        with self.captureOnCommitCallbacks(execute=True):
            do_commit(self.bob, self.alice, "Send my query", NOW + timedelta(days=3))
        self.assertGreater(self._last_active(relationship), NOW - timedelta(days=1))


class ProposingSessionsTest(ActiveRelationshipCase):
    def test_a_proposal_tells_the_other_member_and_a_double_click_makes_one(self) -> None:
        when = NOW + timedelta(days=3)
        with self.captureOnCommitCallbacks(execute=True):
            one = do_propose_session(self.bob, self.relationship, when, 45, "Joins?")
        two = do_propose_session(self.bob, self.relationship, when, 45, "Joins?")
        self.assertEqual(one.pk, two.pk)
        note = Notification.objects.get(recipient=self.alice, event__verb="session_proposed")
        self.assertIn("Bob Baker proposed a session", note.text)
        self.assertFalse(Notification.objects.filter(recipient=self.bob).exists())

    def test_the_time_must_be_in_the_next_six_months_and_carry_a_zone(self) -> None:
        for when in (NOW - timedelta(hours=1), NOW + timedelta(days=200)):
            with self.assertRaises(ActionError) as caught:
                do_propose_session(self.bob, self.relationship, when)
            self.assertEqual(caught.exception.field, "starts_at")
        with self.assertRaises(ActionError):
            do_propose_session(self.bob, self.relationship, timezone.make_naive(NOW) + timedelta(1))

    def test_only_members_of_an_active_relationship_propose(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_propose_session(self.carol, self.relationship, NOW + timedelta(days=1))
        self.assertEqual(caught.exception.status, 403)
        do_close_relationship(self.bob, self.relationship, "not_a_fit")
        with self.assertRaises(ActionError) as caught:
            do_propose_session(self.bob, self.relationship, NOW + timedelta(days=1))
        self.assertEqual(caught.exception.status, 409)

    def test_the_other_member_accepts_and_the_proposer_cannot(self) -> None:
        proposal = do_propose_session(self.bob, self.relationship, NOW + timedelta(days=2))
        with self.assertRaises(ActionError):
            do_answer_proposal(self.bob, proposal, accept=True)
        accepted = do_answer_proposal(self.alice, proposal, accept=True)
        self.assertEqual(accepted.status, SessionProposal.Status.ACCEPTED)
        self.assertEqual(do_answer_proposal(self.alice, proposal, accept=True).pk, proposal.pk)
        with self.assertRaises(ActionError) as caught:
            do_answer_proposal(self.alice, proposal, accept=False)
        self.assertEqual(caught.exception.status, 409)

    def test_logging_the_session_marks_the_accepted_proposal_held(self) -> None:
        when = NOW + timedelta(hours=2)
        proposal = do_propose_session(self.bob, self.relationship, when)
        do_answer_proposal(self.alice, proposal, accept=True)
        with time_machine.travel(when + timedelta(hours=2), tick=False):
            do_log_session(self.alice, self.relationship, when, 60)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, SessionProposal.Status.HELD)

    def test_the_proposer_withdraws_their_own(self) -> None:
        proposal = do_propose_session(self.bob, self.relationship, NOW + timedelta(days=2))
        with self.assertRaises(ActionError):
            do_withdraw_proposal(self.alice, proposal)
        self.assertEqual(
            do_withdraw_proposal(self.bob, proposal).status, SessionProposal.Status.WITHDRAWN
        )


class ScheduledJobsTest(ActiveRelationshipCase):
    def test_a_proposal_nobody_answered_lapses_as_unanswered_for_the_silent_side(self) -> None:
        when = NOW + timedelta(days=1)
        proposal = do_propose_session(self.bob, self.relationship, when)
        with time_machine.travel(when + timedelta(minutes=1), tick=False):
            self.assertEqual(do_lapse_proposals(), 1)
            self.assertEqual(do_lapse_proposals(), 0)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, SessionProposal.Status.LAPSED)
        event = Event.objects.get(verb="unanswered")
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_members_are_reminded_once_a_day_before(self) -> None:
        when = NOW + timedelta(days=3)
        proposal = do_propose_session(self.bob, self.relationship, when)
        do_answer_proposal(self.alice, proposal, accept=True)
        self.assertEqual(do_remind_proposals(NOW), 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_remind_proposals(when - timedelta(hours=20)), 1)
        self.assertEqual(do_remind_proposals(when - timedelta(hours=10)), 0)
        reminded = Notification.objects.filter(event__verb="session_reminded")
        self.assertEqual({n.recipient_id for n in reminded}, {self.alice.pk, self.bob.pk})

    def test_a_quiet_relationship_is_nudged_once_per_quiet_spell(self) -> None:
        do_set_rhythm(self.bob, self.relationship, 7)
        Relationship.objects.filter(pk=self.relationship.pk).update(
            last_active_at=NOW - timedelta(days=10)
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_nudge_quiet(NOW), 1)
        self.assertEqual(do_nudge_quiet(NOW + timedelta(days=1)), 0)
        nudges = Notification.objects.filter(event__verb="relationship_nudged")
        self.assertEqual({n.recipient_id for n in nudges}, {self.alice.pk, self.bob.pk})
        self.assertIn("propose the next session", nudges[0].text)
        # New activity, then quiet again: a new spell, a new nudge.
        Relationship.objects.filter(pk=self.relationship.pk).update(
            last_active_at=NOW + timedelta(days=2)
        )
        self.assertEqual(do_nudge_quiet(NOW + timedelta(days=5)), 0)
        self.assertEqual(do_nudge_quiet(NOW + timedelta(days=10)), 1)

    def test_an_on_track_relationship_is_left_alone(self) -> None:
        Relationship.objects.filter(pk=self.relationship.pk).update(last_active_at=NOW)
        self.assertEqual(do_nudge_quiet(NOW + timedelta(days=3)), 0)

    def test_the_rhythm_must_be_one_of_the_choices(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_set_rhythm(self.bob, self.relationship, 3)
        self.assertEqual(caught.exception.field, "rhythm_days")


class ClosingKindlyTest(CairnTestCase):
    def test_closing_records_the_reason_tells_the_other_and_weighs_on_no_one(self) -> None:
        relationship = _active(self.bob, self.alice)
        proposal = do_propose_session(self.alice, relationship, NOW + timedelta(days=2))
        with self.captureOnCommitCallbacks(execute=True):
            closed = do_close_relationship(self.bob, relationship, "got_what_we_needed", "Thanks!")
        self.assertEqual((closed.status, closed.close_reason), ("closed", "got_what_we_needed"))
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, SessionProposal.Status.WITHDRAWN)
        self.assertTrue(Notification.objects.filter(recipient=self.alice).exists())
        self.assertFalse(Event.objects.filter(verb__in=["unanswered", "missed"]).exists())
        self.assertEqual(do_close_relationship(self.bob, relationship, "not_a_fit").pk, closed.pk)

    def test_it_needs_a_reason(self) -> None:
        relationship = _active(self.bob, self.alice)
        with self.assertRaises(ActionError) as caught:
            do_close_relationship(self.bob, relationship, "bored")
        self.assertEqual(caught.exception.field, "reason")


class RelationshipPagesTest(ActiveRelationshipCase):
    def test_a_member_proposes_and_the_other_accepts_from_the_page(self) -> None:
        self.client.force_login(self.bob)
        url = f"/mentoring/{self.relationship.pk}/"
        response = self.client.get(url)
        self.assertContains(response, "On track")
        when = (NOW + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
        response = self.client.post(
            f"{url}propose/",
            {"propose-starts_at": when, "propose-duration_minutes": 30},
            follow=True,
        )
        self.assertContains(response, "Proposed.")
        proposal = SessionProposal.objects.get()
        self.client.force_login(self.alice)
        self.client.post(f"/mentoring/proposals/{proposal.pk}/accept/")
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "accepted")
        ics = self.client.get(f"/mentoring/proposals/{proposal.pk}.ics")
        event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
        self.assertEqual(event.decoded("dtstart"), proposal.starts_at)

    def test_a_bad_time_is_a_422_naming_the_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"/mentoring/{self.relationship.pk}/propose/",
            {"propose-starts_at": "2001-01-01T10:00", "propose-duration_minutes": 30},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Propose a time in the future.", status_code=422)

    def test_log_how_it_went_prefills_the_session_form(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(
            f"/mentoring/{self.relationship.pk}/?held_at=2026-01-05T10:00&duration_minutes=45"
        )
        self.assertContains(response, 'value="2026-01-05T10:00"')

    def test_proposals_are_the_members_own(self) -> None:
        proposal = do_propose_session(self.bob, self.relationship, NOW + timedelta(days=2))
        for person in (self.carol, self.oscar):
            self.client.force_login(person)
            for path in (
                f"/mentoring/proposals/{proposal.pk}.ics",
                f"/mentoring/proposals/{proposal.pk}/accept/",
                f"/mentoring/proposals/{proposal.pk}/withdraw/",
            ):
                method = self.client.get if path.endswith(".ics") else self.client.post
                self.assertEqual(method(path).status_code, 404, (person, path))
        self.client.force_login(self.carol)
        for action in ("propose", "close", "rhythm"):
            response = self.client.post(f"/mentoring/{self.relationship.pk}/{action}/", {})
            self.assertEqual(response.status_code, 404)

    def test_the_mentoring_list_shows_the_badge(self) -> None:
        Relationship.objects.filter(pk=self.relationship.pk).update(
            last_active_at=NOW - timedelta(days=40)
        )
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/mentoring/"), "Stalled")

    @override_settings(CAIRN_REQUEST_EXPIRY_DAYS=14)
    def test_a_closed_relationship_offers_no_proposals(self) -> None:
        do_close_relationship(self.bob, self.relationship, "circumstances")
        self.client.force_login(self.bob)
        response = self.client.get(f"/mentoring/{self.relationship.pk}/")
        self.assertContains(response, "Circumstances changed".lower())
        self.assertNotContains(response, "Next session")


class NeedsAttentionTest(CairnTestCase):
    def _stall(self, count: int) -> None:
        for _ in range(count):
            learner = make_person(self.acme, f"Learner {Relationship.objects.count()}")
            relationship = _active(learner, self.bob, kind="peer")
            Relationship.objects.filter(pk=relationship.pk).update(
                last_active_at=NOW - timedelta(days=60),
                nudged_at=NOW - timedelta(days=20),
            )

    def test_it_lists_stalled_relationships_still_quiet_after_the_nudge(self) -> None:
        quiet = _active(self.carol, self.alice)
        Relationship.objects.filter(pk=quiet.pk).update(
            last_active_at=NOW - timedelta(days=60), nudged_at=NOW - timedelta(days=3)
        )
        self._stall(1)
        self.assertEqual(Relationship.objects.needing_attention(NOW).count(), 1)
        self.client.force_login(self.alice)
        response = self.client.get("/organisation/relationships/")
        self.assertContains(response, "Bob Baker")
        self.assertContains(response, "Two or more meetings were missed")

    def test_only_the_organisations_admins_see_it(self) -> None:
        self._stall(1)
        for person in (self.bob, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get("/organisation/relationships/").status_code, 404)
        oscars_admin = make_person(self.globex, "Gina Globex", role="admin")
        self.client.force_login(oscars_admin)
        self.assertNotContains(self.client.get("/organisation/relationships/"), "Bob Baker")

    def test_its_query_count_does_not_grow(self) -> None:
        self.client.force_login(self.alice)
        self.assertConstantQueries(
            lambda: self.rows_on_page(
                "/organisation/relationships/", '<tr>\n    <td data-label="Who">'
            ),
            self._stall,
        )


class CheckInsTest(ActiveRelationshipCase):
    def _sessions(self, count: int) -> None:
        for day in range(count):
            do_log_session(self.bob, self.relationship, NOW - timedelta(days=day + 1), 30)

    def test_each_member_is_asked_halfway_once_after_three_sessions(self) -> None:
        self._sessions(2)
        self.assertEqual(do_ask_check_ins(NOW), 0)
        self._sessions(3)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_ask_check_ins(NOW), 2)
        self.assertEqual(do_ask_check_ins(NOW), 0)
        asked = CheckIn.objects.filter(stage="middle")
        self.assertEqual({c.person_id for c in asked}, {self.alice.pk, self.bob.pk})
        note = Notification.objects.get(recipient=self.bob, event__verb=Verb.CHECK_IN_ASKED)
        self.assertIn("How is it going?", note.text)

    def test_the_end_is_asked_after_a_kind_close_and_a_week_later_reminded_once(self) -> None:
        do_close_relationship(self.bob, self.relationship, "got_what_we_needed")
        self.assertEqual(do_ask_check_ins(NOW + timedelta(hours=1)), 2)
        self.assertEqual(do_ask_check_ins(NOW + timedelta(days=8)), 2)
        self.assertEqual(do_ask_check_ins(NOW + timedelta(days=9)), 0)

    def test_an_answer_is_the_persons_own_and_given_once(self) -> None:
        do_close_relationship(self.bob, self.relationship, "got_what_we_needed")
        do_ask_check_ins(NOW + timedelta(hours=1))
        mine = CheckIn.objects.get(person=self.bob)
        with self.assertRaises(ActionError) as caught:
            do_answer_check_in(self.alice, mine, 4, "yes")
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(ActionError) as caught:
            do_answer_check_in(self.bob, mine, 9, "yes")
        self.assertEqual(caught.exception.field, "usefulness")
        do_answer_check_in(self.bob, mine, 4, "yes", "Alice was great")
        with self.assertRaises(ActionError) as caught:
            do_answer_check_in(self.bob, mine, 2, "no")
        self.assertEqual(caught.exception.status, 409)
        event = Event.objects.get(verb=Verb.CHECK_IN_ANSWERED)
        self.assertNotIn("Alice was great", str(event.context))

    def test_admins_see_the_figures_and_notes_and_the_other_side_sees_nothing(self) -> None:
        do_close_relationship(self.bob, self.relationship, "not_a_fit")
        do_ask_check_ins(NOW + timedelta(hours=1))
        bobs = CheckIn.objects.get(person=self.bob)
        self.client.force_login(self.bob)
        response = self.client.post(
            f"/mentoring/check-ins/{bobs.pk}/",
            {"usefulness": 2, "goal_moving": "no", "note_for_admins": "Quokka mismatch"},
        )
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.alice)  # the other member, and an admin
        self.assertEqual(self.client.get(f"/mentoring/check-ins/{bobs.pk}/").status_code, 404)
        self.assertNotContains(self.client.get(self.relationship.get_absolute_url()), "Quokka")
        page = self.client.get("/organisation/relationships/")
        self.assertContains(page, "1 of 2 answered (50 %)")
        self.assertContains(page, "Quokka mismatch")
        self.assertEqual(check_in_summary(CheckIn.objects.all())["usefulness"], 2.0)

    def test_a_bad_answer_is_a_422_naming_the_field(self) -> None:
        do_close_relationship(self.bob, self.relationship, "not_a_fit")
        do_ask_check_ins(NOW + timedelta(hours=1))
        bobs = CheckIn.objects.get(person=self.bob)
        self.client.force_login(self.bob)
        response = self.client.post(f"/mentoring/check-ins/{bobs.pk}/", {"usefulness": 7})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "goal_moving", status_code=422)
