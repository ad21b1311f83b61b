from datetime import UTC, datetime, timedelta

from django.test import SimpleTestCase

from cairn.checks import check_ahead, check_aware, check_org_admin
from cairn.errors import ActionError
from cairn.testing import CairnTestCase

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class CheckAheadTest(SimpleTestCase):
    def refusal(self, when: datetime) -> ActionError:
        with self.assertRaises(ActionError) as caught:
            check_ahead(when, "due_at", NOW, timedelta(days=30), past="Past.", too_far="Far.")
        return caught.exception

    def test_it_accepts_a_time_within_the_window(self) -> None:
        check_ahead(
            NOW + timedelta(days=30), "due_at", NOW, timedelta(days=30), past="", too_far=""
        )

    def test_it_refuses_a_time_without_its_time_zone(self) -> None:
        error = self.refusal(datetime(2026, 3, 3, 9, 0))  # noqa: DTZ001
        self.assertEqual(
            (error.message, error.field), ("Give the time with its time zone.", "due_at")
        )

    def test_it_refuses_now_and_the_past_in_the_actions_words(self) -> None:
        self.assertEqual(self.refusal(NOW).message, "Past.")
        self.assertEqual(self.refusal(NOW - timedelta(days=1)).field, "due_at")

    def test_it_refuses_a_time_beyond_the_window_in_the_actions_words(self) -> None:
        self.assertEqual(self.refusal(NOW + timedelta(days=31)).message, "Far.")

    def test_check_aware_refuses_a_missing_time(self) -> None:
        with self.assertRaisesMessage(ActionError, "time zone"):
            check_aware(None, "opens_at")


class CheckOrgAdminTest(CairnTestCase):
    def test_it_lets_an_admin_through(self) -> None:
        check_org_admin(self.alice, "run programs")

    def test_it_refuses_a_member_with_403_saying_what_only_admins_may_do(self) -> None:
        with self.assertRaises(ActionError) as caught:
            check_org_admin(self.bob, "run programs")
        error = caught.exception
        self.assertEqual(error.message, "Only organisation admins can run programs.")
        self.assertEqual(error.status, 403)
