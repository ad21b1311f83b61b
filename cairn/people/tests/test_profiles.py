"""Profiles: the actions, the directory, the profile and edit pages."""

from django.test import TestCase
from django.urls import reverse

from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.people.actions import do_add_person, do_update_profile
from cairn.people.models import Profile
from cairn.testing import CairnTestCase, make_person


class UpdateProfileActionTest(CairnTestCase):
    def test_it_changes_fields_and_records_which(self) -> None:
        do_update_profile(self.bob, title="Senior Analyst", offers=["Excel", "SQL"])
        profile = Profile.objects.get(user=self.bob)
        self.assertEqual(profile.title, "Senior Analyst")
        self.assertEqual(sorted(s.name for s in profile.offers.all()), ["Excel", "SQL"])
        event = Event.objects.filter(actor=self.bob, verb=Verb.PROFILE_UPDATED).get()
        self.assertEqual(set(event.context["fields"]), {"title", "offers"})

    def test_it_records_nothing_when_nothing_changed(self) -> None:
        do_update_profile(self.bob, title="Analyst")
        self.assertFalse(Event.objects.filter(actor=self.bob, verb=Verb.PROFILE_UPDATED).exists())

    def test_it_reuses_skills_across_people(self) -> None:
        do_update_profile(self.carol, offers=["sql"])
        self.assertEqual(
            self.carol.profile.offers.get().pk, self.alice.profile.offers.get(name="SQL").pk
        )

    def test_it_rejects_an_unknown_time_zone(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_update_profile(self.bob, timezone="Mars/Olympus")
        self.assertEqual(caught.exception.field, "timezone")

    def test_it_rejects_a_manager_loop(self) -> None:
        do_update_profile(self.bob, manager=self.alice.profile)
        with self.assertRaises(ActionError) as caught:
            do_update_profile(self.alice, manager=self.bob.profile)
        self.assertEqual(caught.exception.field, "manager")

    def test_it_rejects_a_manager_from_another_organisation(self) -> None:
        with self.assertRaises(ActionError):
            do_update_profile(self.bob, manager=self.oscar.profile)

    def test_a_failed_update_leaves_nothing_half_written(self) -> None:
        with self.assertRaises(ActionError):
            do_update_profile(self.bob, title="Changed", timezone="Nowhere/Land")
        self.bob.profile.refresh_from_db()
        self.assertEqual(self.bob.profile.title, "Analyst")

    def test_manager_chain_is_nearest_first(self) -> None:
        do_update_profile(self.bob, manager=self.carol.profile)
        do_update_profile(self.carol, manager=self.alice.profile)
        chain = Profile.objects.get(user=self.bob).manager_chain()
        self.assertEqual([p.name for p in chain], ["Carol Chen", "Alice Archer"])


class AddPersonActionTest(CairnTestCase):
    def test_handles_are_unique_within_an_organisation(self) -> None:
        twin = make_person(self.acme, "Bob Baker 2")
        other = do_add_person(self.acme, email="bob.b@acme.example", name="Bob Baker")
        self.assertEqual(self.bob.profile.handle, "bob.baker")
        self.assertNotEqual(other.profile.handle, "bob.baker")
        self.assertNotEqual(twin.profile.handle, other.profile.handle)

    def test_it_refuses_a_taken_email(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_add_person(self.acme, email="BOB.BAKER@acme.example", name="Bob again")
        self.assertEqual(caught.exception.field, "email")

    def test_joining_is_recorded(self) -> None:
        self.assertTrue(Event.objects.filter(actor=self.carol, verb=Verb.JOINED).exists())


class DirectoryPageTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def test_it_lists_colleagues_only(self) -> None:
        response = self.client.get(reverse("people"))
        self.assertContains(response, "Alice Archer")
        self.assertContains(response, "Carol Chen")
        self.assertNotContains(response, "Oscar")

    def test_it_finds_people_by_skill(self) -> None:
        response = self.client.get(reverse("people"), {"q": "figma"})
        self.assertContains(response, "Carol Chen")
        self.assertNotContains(response, "Alice Archer")

    def test_it_filters_by_department(self) -> None:
        response = self.client.get(reverse("people"), {"department": "Design"})
        self.assertContains(response, "Carol Chen")
        self.assertNotContains(response, "Bob Baker</a>")

    def test_htmx_gets_only_the_results(self) -> None:
        response = self.client.get(
            reverse("people"), {"q": "alice"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_it_keeps_a_constant_number_of_queries(self) -> None:
        for i in range(12):
            make_person(self.acme, f"Extra Person {i}", offers=["Skill {i}", "Shared"])
        self.client.get(reverse("people"))
        with self.assertNumQueries(8):  # 6, the bell’s unread count and the moderation queue
            self.client.get(reverse("people"))

    def test_it_requires_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get(reverse("people"))
        self.assertEqual(response.status_code, 302)


class ProfilePageTest(CairnTestCase):
    def test_it_shows_a_colleague(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("profile", args=["alice.archer"]))
        self.assertContains(response, "Head of Data")
        self.assertContains(response, "Stakeholder management")
        self.assertNotContains(response, "Edit my profile")

    def test_it_offers_editing_on_my_own_page(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("me"), follow=True)
        self.assertContains(response, "Edit my profile")

    def test_it_is_404_for_another_organisation(self) -> None:
        self.client.force_login(self.oscar)
        response = self.client.get(reverse("profile", args=["alice.archer"]))
        self.assertEqual(response.status_code, 404)


class EditProfilePageTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def form_data(self, **overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "name": "Bob Baker",
            "title": "Analyst",
            "timezone": "Europe/London",
            "languages": "English, French",
            "bio": "I like tidy data.",
            "offers": "Excel, SQL",
            "wants": "Public speaking",
            "mentoring_capacity": "2",
            "open_to_be_mentored": "on",
            "manager": "alice.archer",
        }
        data.update(overrides)
        return data

    def test_it_saves_through_the_action(self) -> None:
        response = self.client.post(reverse("edit_profile"), self.form_data())
        self.assertRedirects(response, reverse("profile", args=["bob.baker"]))
        profile = Profile.objects.get(user=self.bob)
        self.assertEqual(profile.languages, ["English", "French"])
        self.assertEqual(profile.manager, self.alice.profile)
        self.assertTrue(profile.open_to_be_mentored)
        self.assertTrue(Event.objects.filter(actor=self.bob, verb=Verb.PROFILE_UPDATED).exists())

    def test_it_shows_field_errors(self) -> None:
        response = self.client.post(
            reverse("edit_profile"), self.form_data(timezone="Atlantis", name="")
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "is not a time zone name", status_code=422)
        self.assertContains(response, "This field is required", status_code=422)

    def test_it_refuses_a_manager_from_another_organisation(self) -> None:
        response = self.client.post(
            reverse("edit_profile"), self.form_data(manager="oscar.outsider")
        )
        self.assertEqual(response.status_code, 422)
        self.assertIsNone(Profile.objects.get(user=self.bob).manager)


class ParticipationTest(TestCase):
    def test_it_describes_how_someone_takes_part(self) -> None:
        profile = Profile(open_to_mentor=True, mentoring_capacity=3, open_to_peer=True)
        self.assertEqual(
            profile.participation(), ["mentoring others (3 at a time)", "peer partnerships"]
        )
