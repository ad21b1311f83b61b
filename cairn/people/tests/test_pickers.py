"""People pickers: the type-ahead options, and the box resolved on the server (with or without
JavaScript) to colleagues the chooser may see."""

from django.test import SimpleTestCase
from django.urls import reverse

from cairn.commitments.models import Commitment
from cairn.exchange.models import HelpRequest
from cairn.people.models import Profile
from cairn.people.pickers import PeopleField, PeoplePicker, PersonField, resolve, written
from cairn.testing import CairnTestCase, make_person


class ResolveTest(CairnTestCase):
    def test_a_person_is_found_by_what_the_type_ahead_writes_or_by_handle_email_or_name(
        self,
    ) -> None:
        carol = self.carol.profile
        for entry in (written(carol), "carol.chen", "carol.chen@acme.example", "carol CHEN"):
            with self.subTest(entry=entry):
                self.assertEqual(resolve(self.alice, [entry]), ([carol], []))

    def test_several_entries_cost_one_query_and_keep_their_order_once_each(self) -> None:
        entries = ["Carol Chen", "bob.baker", written(self.carol.profile)]
        with self.assertNumQueries(1):
            people, unknown = resolve(self.alice, entries)
        self.assertEqual(people, [self.carol.profile, self.bob.profile])
        self.assertEqual(unknown, [])

    def test_a_name_two_colleagues_share_or_nobody_has_is_not_guessed(self) -> None:
        second = make_person(self.acme, "Carol Second")
        Profile.objects.filter(user=second).update(name="Carol Chen")
        people, unknown = resolve(self.alice, ["Carol Chen", "Nobody Here"])
        self.assertEqual((people, unknown), ([], ["Carol Chen", "Nobody Here"]))

    def test_people_of_another_organisation_are_never_found(self) -> None:
        oscar = self.oscar.profile
        for entry in (written(oscar), "oscar.outsider", self.oscar.email, "Oscar Outsider"):
            with self.subTest(entry=entry):
                self.assertEqual(resolve(self.alice, [entry]), ([], [entry]))


class FieldTest(CairnTestCase):
    def test_one_person_field_refuses_yourself_several_people_and_strangers(self) -> None:
        field = PersonField(chooser=self.alice)
        self.assertEqual(field.clean("Bob Baker"), self.bob.profile)
        for value, words in (
            ("alice.archer", "other than yourself"),
            ("Bob Baker, Carol Chen", "Choose one person"),
            ("Oscar Outsider", "No colleague found for “Oscar Outsider”"),
            ("", "This field is required"),
        ):
            with self.subTest(value=value), self.assertRaisesMessage(Exception, words):
                field.clean(value)

    def test_many_people_field_reads_a_comma_separated_box(self) -> None:
        field = PeopleField(chooser=self.alice, required=False)
        value = f"{written(self.bob.profile)}, carol.chen, "
        self.assertEqual(field.clean(value), [self.bob.profile, self.carol.profile])
        self.assertEqual(field.clean(""), [])


class WidgetTest(SimpleTestCase):
    def test_the_box_is_an_aria_combobox_that_asks_the_server_as_one_types(self) -> None:
        html = PeoplePicker().render("counterpart", "", attrs={"id": "id_counterpart"})
        self.assertIn('role="combobox"', html)
        self.assertIn('aria-controls="id_counterpart_options"', html)
        self.assertIn('aria-expanded="false"', html)
        self.assertIn(f'hx-get="{reverse("pick_people")}?field=counterpart', html)
        self.assertIn('<ul class="picker-options" id="id_counterpart_options" role="listbox"', html)
        self.assertIn('name="counterpart"', html)


class SuggestionsTest(CairnTestCase):
    def options(self, typed: str, user=None) -> str:
        self.client.force_login(user or self.alice)
        url = reverse("pick_people")
        return self.client.get(url, {"field": "to", "to": typed, "list": "x"}).content.decode()

    def test_it_offers_colleagues_matching_the_last_entry_but_not_the_chooser(self) -> None:
        page = self.options("Bob Baker (bob.baker), ca")
        self.assertIn('data-value="Carol Chen (carol.chen)"', page)
        self.assertIn('id="x-1"', page)
        self.assertNotIn("Bob Baker", page)
        self.assertNotIn("Alice", self.options("al"))

    def test_it_says_when_nobody_matches_and_offers_nothing_before_typing(self) -> None:
        self.assertIn("Nobody matches “zz”", self.options("zz"))
        self.assertEqual(self.options("").strip(), "")

    def test_outsiders_and_visitors_are_offered_nobody(self) -> None:
        self.assertNotIn("Carol", self.options("carol", user=self.oscar))
        self.client.logout()
        self.assertEqual(self.client.get(reverse("pick_people"), {"field": "q"}).status_code, 302)

    def test_the_number_of_queries_does_not_grow_with_the_directory(self) -> None:
        def add_people(n: int) -> None:
            start = Profile.objects.filter(title="Picked").count()
            for i in range(start, start + n):
                make_person(self.acme, f"Pia Person{i}", title="Picked", department="Ops")

        self.assertConstantQueries(lambda: self.options("pia").count('role="option"'), add_people)
        for i in range(20):
            make_person(self.acme, f"Pia Later{i}", title="Picked")
        self.assertEqual(self.options("pia").count('role="option"'), 8)


class FormsWithPickersTest(CairnTestCase):
    def test_a_commitment_is_made_to_the_person_picked_or_typed(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("commitments")
        page = self.client.get(url).content.decode()
        self.assertIn('role="combobox"', page)
        self.assertNotIn("<option", page[page.index('name="counterpart"') - 200 :][:600])
        due = {"text": "Review the draft", "due_date": "2031-01-10"}
        self.client.post(url, {"counterpart": written(self.bob.profile), **due})
        self.client.post(url, {"counterpart": "Carol Chen", **due})
        made = Commitment.objects.filter(committer=self.alice).values_list("counterpart", flat=True)
        self.assertEqual(set(made), {self.bob.pk, self.carol.pk})

    def test_a_name_nobody_has_is_refused_with_the_name_and_nothing_is_made(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("commitments"),
            {"counterpart": "Oscar Outsider", "text": "x", "due_date": "2031-01-10"},
        )
        self.assertContains(response, "No colleague found for “Oscar Outsider”", status_code=422)
        self.assertFalse(Commitment.objects.exists())

    def test_particular_people_are_asked_from_one_box(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(
            reverse("ask"),
            {"title": "Where is the style guide?", "directed_to": "Bob Baker, carol.chen"},
        )
        asked = HelpRequest.objects.get(title="Where is the style guide?")
        self.assertEqual(set(asked.directed_to.all()), {self.bob, self.carol})

    def test_the_manager_box_shows_the_current_manager_and_can_be_emptied(self) -> None:
        Profile.objects.filter(user=self.bob).update(manager=self.alice.profile)
        self.client.force_login(self.bob)
        page = self.client.get(reverse("edit_profile")).content.decode()
        self.assertIn('value="Alice Archer (alice.archer)"', page)
