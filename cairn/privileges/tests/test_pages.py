from django.urls import reverse

from cairn.privileges.tests.test_checks import trusted
from cairn.testing import CairnTestCase


class MyPrivilegesPageTest(CairnTestCase):
    def test_a_new_member_sees_what_they_still_need(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("my_privileges"))
        self.assertContains(response, "Facilitate communities")
        self.assertContains(response, "You still need")
        self.assertContains(response, "10 posts a day")
        self.assertContains(response, "fades")

    def test_a_trusted_member_sees_why_they_have_it(self):
        trusted(self.carol)
        self.client.force_login(self.carol)
        response = self.client.get(reverse("my_privileges"))
        self.assertContains(response, "You have this", count=7)
        self.assertContains(response, "Flag to hide")
        self.assertContains(response, "0 upheld, 0 dismissed")

    def test_the_page_says_what_would_help_most(self):
        trusted(self.bob, trust=0.2)
        from cairn.trust.models import TrustProfile

        TrustProfile.objects.filter(user=self.bob).update(
            explanation={"to_raise": ["keep 2 more commitments"]}
        )
        self.client.force_login(self.bob)
        response = self.client.get(reverse("my_privileges"))
        self.assertContains(response, "Keep 2 more commitments")

    def test_visitors_are_asked_to_sign_in(self):
        response = self.client.get(reverse("my_privileges"))
        self.assertEqual(response.status_code, 302)

    def test_the_page_takes_constant_queries(self):
        from cairn.exchange.actions import do_ask, do_share_post

        self.client.force_login(self.bob)

        def add() -> None:
            for n in range(3):
                do_share_post(self.bob, f"P{n}", "b")
                do_ask(self.bob, f"Q{n}")

        self.assertContains(self.assertSameQueries(reverse("my_privileges"), add), "7 left today")
