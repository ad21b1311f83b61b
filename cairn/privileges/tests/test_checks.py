from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from cairn.communities.actions import do_create_community
from cairn.errors import ActionError
from cairn.exchange.actions import do_ask, do_share_post, do_thank
from cairn.privileges.access import flag_weight, has_privilege, privileges_for
from cairn.privileges.actions import check_privilege
from cairn.testing import CairnTestCase, make_person
from cairn.trust.models import TrustProfile

LOW = {"share_freely": 2, "ask_freely": 2, "thank_freely": 2, "facilitate": 1}


def trusted(user, trust: float = 0.7, days: int = 60, generosity: float = 0.7) -> None:  # noqa: ANN001
    """Give ``user`` established trust and an account ``days`` old."""
    TrustProfile.objects.update_or_create(
        user=user,
        defaults={
            "organisation_id": user.organisation_id,
            "trust": trust,
            "confidence": 0.8,
            "generosity": generosity,
            "generosity_confidence": 0.8,
        },
    )
    user.date_joined = timezone.now() - timedelta(days=days)
    user.save(update_fields=["date_joined"])


@override_settings(CAIRN_PRIVILEGE_LIMITS=LOW)
class DailyLimitTest(CairnTestCase):
    def test_a_new_member_is_refused_the_post_beyond_the_daily_limit_with_what_they_need(self):
        do_share_post(self.bob, "One", "b")
        do_share_post(self.bob, "Two", "b")
        with self.assertRaises(ActionError) as caught:
            do_share_post(self.bob, "Three", "b")
        self.assertEqual(caught.exception.status, 429)
        self.assertIn("2 posts a day", caught.exception.message)
        self.assertIn("more day", caught.exception.message)

    def test_requests_thanks_and_communities_have_their_own_limits(self):
        do_ask(self.bob, "Q1")
        do_ask(self.bob, "Q2")
        with self.assertRaises(ActionError):
            do_ask(self.bob, "Q3")
        do_thank(self.bob, self.carol, "one")
        do_thank(self.bob, self.alice, "two")
        with self.assertRaises(ActionError):
            do_thank(self.bob, self.carol, "three")
        do_create_community(self.carol, "Circle")
        with self.assertRaises(ActionError) as caught:
            do_create_community(self.carol, "Square")
        self.assertEqual(caught.exception.status, 429)

    def test_yesterdays_posts_do_not_count(self):
        do_share_post(self.bob, "One", "b")
        do_share_post(self.bob, "Two", "b")
        with self.settings(USE_TZ=True):
            from unittest import mock

            later = timezone.now() + timedelta(hours=25)
            with mock.patch("django.utils.timezone.now", return_value=later):
                do_share_post(self.bob, "Three", "b")

    def test_admins_and_trusted_members_have_no_limit(self):
        for n in range(4):
            do_share_post(self.alice, f"A{n}", "b")
        trusted(self.carol)
        for n in range(4):
            do_share_post(self.carol, f"C{n}", "b")

    def test_a_privilege_lost_is_lost_at_once(self):
        trusted(self.carol)
        for n in range(3):
            do_share_post(self.carol, f"C{n}", "b")
        TrustProfile.objects.filter(user=self.carol).update(trust=0.1)
        self.carol.refresh_from_db()
        with self.assertRaises(ActionError):
            do_share_post(self.carol, "More", "b")


class PrivilegeTest(CairnTestCase):
    def test_a_missing_privilege_is_refused_with_what_is_needed(self):
        with self.assertRaises(ActionError) as caught:
            check_privilege(self.bob, "mentor_openly")
        self.assertEqual(caught.exception.status, 403)
        self.assertIn("overall trust of 50 of 100", caught.exception.message)
        self.assertIn("generosity of 60 of 100", caught.exception.message)

    def test_trust_generosity_and_tenure_earn_mentoring_openly(self):
        trusted(self.bob, generosity=0.5)
        self.assertFalse(has_privilege(self.bob, "mentor_openly"))
        trusted(self.bob, generosity=0.7)
        self.bob.refresh_from_db()
        check_privilege(self.bob, "mentor_openly")
        fresh = make_person(self.acme, "Fresh Face")
        trusted(fresh, days=2)
        self.assertFalse(has_privilege(fresh, "mentor_openly"))

    def test_default_limits_are_generous(self):
        for n in range(5):
            do_share_post(make_person(self.acme, f"New {n}"), "Hello", "b")
        standings = {s.privilege.name: s for s in privileges_for(self.bob)}
        self.assertEqual(standings["share_freely"].limit(), 10)
        self.assertEqual(standings["share_freely"].left_today(), 10)

    def test_flag_weight_grows_with_trust(self):
        self.assertEqual(flag_weight(self.bob), 0.25)
        trusted(self.bob, trust=0.3, days=1)
        self.assertEqual(flag_weight(self.bob), 0.6)
        trusted(self.carol, trust=0.9)
        self.assertEqual(flag_weight(self.carol), 1.4)
