"""Trust on people's pages: the profile card, the full trust page and "Can I trust them?"."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cairn.ledger.models import Verb
from cairn.people.models import User
from cairn.testing import IMMEDIATE_TASKS, CairnTestCase, make_person
from cairn.trust import adapter
from cairn.trust.models import TrustProfile
from cairn.trust.templatetags.trust import of_100
from cairn.trust.tests.helpers import happened, working_history


class TrustPageCase(CairnTestCase):
    dana: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dana = make_person(cls.acme, "Dana Dune", title="Engineer")
        working_history(cls.alice, cls.bob, cls.carol)
        # Carol and Alice have worked with Dana; Bob never has, but Bob trusts them.
        for week in range(8):
            happened(Verb.HELPED, cls.dana, cls.carol, days=60 - 7 * week, value=2.0)
            happened(Verb.THANKED, cls.carol, cls.dana, days=60 - 7 * week)
            happened(Verb.RATED, cls.carol, cls.dana, days=60 - 7 * week, value=0.9)
            happened(Verb.KEPT, cls.carol, cls.dana, days=60 - 7 * week)
            happened(Verb.THANKED, cls.alice, cls.dana, days=59 - 7 * week)
            happened(Verb.RATED, cls.alice, cls.dana, days=59 - 7 * week, value=0.8)
        adapter.recompute_organisation(cls.acme)

    def setUp(self) -> None:
        adapter.forget_results()

    def profile_page(self, viewer, person):
        self.client.force_login(viewer)
        return self.client.get(reverse("profile", args=[person.profile.handle]))


class ProfileCardTest(TrustPageCase):
    def test_the_person_sees_their_own_full_explanation_and_what_would_raise_it(self) -> None:
        response = self.profile_page(self.dana, self.dana)
        self.assertContains(response, "Your trust")
        self.assertContains(response, "Honesty &amp; integrity")
        self.assertContains(response, "Kept 8 of 8 commitments confirmed by others")
        self.assertContains(response, "What would raise your trust")
        self.assertContains(response, "To raise it:")
        self.assertContains(response, "Only you see this explanation")
        self.assertContains(response, '<svg class="trust-bar"')

    def test_colleagues_see_the_summary_with_evidence_but_not_the_explanation(self) -> None:
        response = self.profile_page(self.bob, self.dana)
        self.assertContains(response, "Kept 8 of 8 commitments confirmed by others")
        since = TrustProfile.objects.get(user=self.dana).evidence_since()
        self.assertContains(response, f"since {since:%B %Y}")
        self.assertNotContains(response, "What would raise")
        self.assertNotContains(response, "To raise it:")
        self.assertNotContains(response, "Vouched for by")
        self.assertContains(response, "of 100")
        self.assertContains(response, f'hx-get="{reverse("can_i_trust", args=["dana.dune"])}"')

    def test_numbers_are_hidden_from_colleagues_when_the_organisation_says_words_only(self) -> None:
        self.acme.show_trust_numbers = False
        self.acme.save(update_fields=["show_trust_numbers"])
        response = self.profile_page(self.bob, self.dana)
        self.assertContains(response, "Honesty &amp; integrity")
        self.assertNotContains(response, "of 100")
        self.assertNotContains(response, "trust-bar")
        own = self.profile_page(self.dana, self.dana)
        self.assertContains(own, "of 100")

    def test_numbers_are_on_one_scale_from_0_to_100(self) -> None:
        profile = TrustProfile.objects.get(user=self.dana)
        for viewer in (self.dana, self.bob):
            response = self.profile_page(viewer, self.dana)
            self.assertContains(response, f"({of_100(profile.trust)})")
            self.assertNotContains(response, " of 1)")
            self.assertNotContains(response, "%)")

    def explained(self, **explanation: object) -> TrustProfile:
        profile = TrustProfile.objects.get(user=self.dana)
        profile.explanation = {**profile.explanation, **explanation}
        profile.save()
        return profile

    def test_my_own_explanation_speaks_to_me(self) -> None:
        self.explained(is_seed=False, vouchers=2)
        response = self.profile_page(self.dana, self.dana)
        self.assertContains(response, "2 colleagues vouch for you through thanks")
        self.assertNotContains(response, "for them")
        self.assertNotContains(response, "Vouched for by")
        self.explained(is_seed=True)
        response = self.profile_page(self.dana, self.dana)
        self.assertContains(response, "You are one of the few established members")

    def test_what_would_make_my_trust_known_is_counted_in_my_voice(self) -> None:
        profile = self.explained(needs_backing=False, further=2)
        profile.trust, profile.confidence = 0.0, 0.0
        profile.save()
        response = self.profile_page(self.dana, self.dana)
        self.assertContains(
            response,
            "Two more commitments kept and confirmed by different colleagues would make it known.",
        )

    def test_no_feedback_is_shown_attributed(self) -> None:
        response = self.profile_page(self.dana, self.dana).content.decode()
        trust_section = response[response.index("Your trust") :]
        self.assertNotIn("Carol Chen", trust_section)

    def test_a_newcomer_is_not_yet_known_and_invited_to_start(self) -> None:
        erin = make_person(self.acme, "Erin Early")
        adapter.recompute_organisation(self.acme)
        response = self.profile_page(self.bob, erin)
        self.assertContains(response, "trust is <strong>not yet known</strong>")
        self.assertContains(response, "A newcomer is unknown, not untrusted")
        response = self.profile_page(erin, erin)
        self.assertContains(response, "Your overall trust is <strong>not yet known</strong>")
        self.assertContains(response, "nobody trusted vouches for you yet")
        self.assertContains(response, "who can then vouch for you, would make it known")
        self.assertContains(response, "No evidence yet.")
        self.assertNotContains(response, "vouches for them")

    def test_a_person_without_a_stored_profile_is_not_yet_known(self) -> None:
        TrustProfile.objects.filter(user=self.carol).delete()
        response = self.profile_page(self.bob, self.carol)
        self.assertContains(response, "<strong>not yet known</strong>")

    def test_the_profile_page_makes_a_constant_number_of_queries(self) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.profile_page(self.bob, self.dana)
            self.assertEqual(response.status_code, 200)
            return len(queries)

        count()  # warm the per-process caches (content types, sessions)
        few = count()
        for n in range(6):
            extra = make_person(self.acme, f"Extra {n}")
            for _ in range(5):
                happened(Verb.THANKED, extra, self.dana)
                happened(Verb.KEPT, extra, self.dana)
        adapter.recompute_organisation(self.acme)
        with self.assertNumQueries(few):
            self.profile_page(self.bob, self.dana)


class CanITrustTest(TrustPageCase):
    def test_it_names_the_people_you_trust_who_worked_with_them_and_how_it_went(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(
            reverse("can_i_trust", args=["dana.dune"]), headers={"HX-Request": "true"}
        )
        self.assertContains(response, "You haven't worked with Dana Dune yet")
        self.assertContains(response, "Carol Chen")
        self.assertContains(response, "Alice Archer")
        self.assertContains(response, "on the whole it went well")
        self.assertContains(response, "What each colleague said stays private")
        self.assertNotContains(response, "<html")

    def test_one_colleague_alone_is_named_but_how_it_went_is_not_said(self) -> None:
        erin = make_person(self.acme, "Erin Early")
        for week in range(8):
            happened(Verb.THANKED, self.carol, erin, days=50 - 7 * week)
            happened(Verb.RATED, self.carol, erin, days=50 - 7 * week, value=-0.9)
        adapter.recompute_organisation(self.acme)  # the worker's pass
        self.client.force_login(self.bob)
        response = self.client.get(reverse("person_trust", args=[erin.profile.handle]))
        self.assertContains(response, "Carol Chen")
        self.assertNotContains(response, "on the whole it went")

    def test_a_rating_average_shows_only_from_three_raters(self) -> None:
        response = self.profile_page(self.bob, self.dana)
        self.assertContains(response, "Rated by 2 people (the average shows from 3 raters on")
        self.assertNotContains(response, "average +")

    def test_someone_who_worked_with_them_is_told_their_own_experience_counts(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("person_trust", args=["dana.dune"]))
        self.assertContains(response, "You have worked with Dana Dune yourself")

    def test_a_newcomer_with_nobody_in_common_is_told_so_and_shown_the_wider_standing(
        self,
    ) -> None:
        erin = make_person(self.acme, "Erin Early")
        self.client.force_login(erin)
        response = self.client.get(reverse("person_trust", args=["dana.dune"]))
        self.assertContains(response, "nor has anyone you have worked with")
        self.assertContains(response, "That is normal when you are new")
        self.assertNotContains(response, "you trust")
        standing = TrustProfile.objects.get(user=self.dana).standing()
        self.assertContains(response, f"standing is <strong>{standing}</strong>")

    def test_it_shows_each_chain_of_colleagues_from_you_to_them(self) -> None:
        frank = make_person(self.acme, "Frank Fresh")
        for week in range(8):  # Frank has only worked with Bob, who never worked with Dana
            happened(Verb.THANKED, frank, self.bob, days=40 - 4 * week)
            happened(Verb.RATED, frank, self.bob, days=40 - 4 * week, value=0.9)
        adapter.recompute_organisation(self.acme)
        self.client.force_login(frank)
        response = self.client.get(
            reverse("can_i_trust", args=["dana.dune"]), headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        paths = page[page.index('<ol class="trust-paths">') : page.index("</ol>")]
        chains = paths.split("<li>")[1:]
        self.assertTrue(chains)
        for chain in chains:  # You -> Bob -> (Alice or Carol, or both) -> Dana
            self.assertTrue(chain.startswith("<span>You</span>"))
            self.assertGreaterEqual(chain.count("<a href="), 2)
            self.assertIn("Bob Baker", chain)
            self.assertIn("Dana Dune", chain)
        self.assertContains(response, "people you have worked with have")

    def test_without_htmx_it_is_a_link_to_the_full_page(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("can_i_trust", args=["dana.dune"]))
        self.assertRedirects(response, reverse("person_trust", args=["dana.dune"]))
        response = self.client.get(reverse("person_trust", args=["dana.dune"]))
        self.assertContains(response, "Can I trust Dana Dune?")
        self.assertContains(response, "Carol Chen")

    def test_the_full_page_shows_your_own_explanation_and_no_question(self) -> None:
        self.client.force_login(self.dana)
        response = self.client.get(reverse("person_trust", args=["dana.dune"]))
        self.assertContains(response, "What would raise your trust")
        self.assertNotContains(response, "Can I trust")

    def test_outsiders_and_visitors_get_nothing(self) -> None:
        for name in ("person_trust", "can_i_trust"):
            url = reverse(name, args=["dana.dune"])
            self.client.force_login(self.oscar)
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(self.client.get(url, headers={"HX-Request": "true"}).status_code, 404)
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_new_event_shows_once_the_worker_has_stored_it(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("can_i_trust", args=["dana.dune"])
        self.client.get(url, headers={"HX-Request": "true"})
        with override_settings(TASKS=IMMEDIATE_TASKS), self.captureOnCommitCallbacks(execute=True):
            happened(Verb.RATED, self.bob, self.dana, days=0, value=1.0)
        response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(response, "You have worked with Dana Dune yourself")
