"""No input gets a 500: control characters, huge pages, long lists, odd dates, staff without an
organisation. Each is a clear 4xx that names what was wrong."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.errors import ActionError
from cairn.learning.actions import (
    do_accept,
    do_log_session,
    do_request_relationship,
    do_set_goal,
)
from cairn.people.models import Skill
from cairn.testing import CairnTestCase

JSON = "application/json"


class ControlCharactersTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def test_a_nul_in_a_json_field_is_a_422_naming_it(self) -> None:
        response = self.client.post(
            "/api/v1/posts", {"title": "a\x00b", "body": "x"}, content_type=JSON
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "title"])

    def test_a_control_character_deep_in_a_list_is_named(self) -> None:
        response = self.client.patch(
            "/api/v1/me/profile", {"languages": ["en", "d\x07e"]}, content_type=JSON
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "languages", 1])

    def test_tabs_and_line_breaks_are_welcome(self) -> None:
        response = self.client.post(
            "/api/v1/posts", {"title": "Tip", "body": "a\tb\r\nc"}, content_type=JSON
        )
        self.assertEqual(response.status_code, 201)

    def test_a_nul_in_a_query_parameter_is_refused(self) -> None:
        for url in ("/api/v1/people?q=a%00b", "/people/?q=a%00b", "/requests/?q=%00"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 422)
                self.assertIn(b"q holds a control character", response.content)

    def test_a_nul_in_a_path_is_not_found(self) -> None:
        for url in ("/people/a%00b/", "/api/v1/people/a%00b"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_nul_in_a_form_field_is_refused_naming_it(self) -> None:
        response = self.client.post("/me/edit/", {"name": "Bob", "bio": "hi\x00there"})
        self.assertEqual(response.status_code, 422)
        self.assertIn(b"bio holds a control character", response.content)


class PaginationTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def test_a_page_holds_at_most_a_hundred(self) -> None:
        response = self.client.get("/api/v1/people?limit=100000")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["query", "limit"])

    def test_huge_limits_and_offsets_are_422_not_a_database_error(self) -> None:
        for url in (
            "/api/v1/people?offset=10000000000000000000000",
            "/api/v1/requests?limit=10000000000000000000000",
            "/api/v1/posts?offset=9223372036854775808",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 422)

    def test_an_offset_past_the_end_is_an_empty_page(self) -> None:
        response = self.client.get("/api/v1/people?offset=1000")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["items"], [])


class ListAndTextBoundsTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def test_a_member_cannot_mint_many_skills_for_everyone(self) -> None:
        before = Skill.objects.count()
        names = [f"Skill {n}" for n in range(1500)]
        for field in ("offers", "wants"):
            response = self.client.patch("/api/v1/me/profile", {field: names}, content_type=JSON)
            self.assertEqual(response.status_code, 422)
            self.assertEqual(response.json()["detail"][0]["loc"], ["body", field])
        response = self.client.post(
            "/api/v1/goals", {"title": "Grow", "skills": names[:10]}, content_type=JSON
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("At most 5 skills new", response.json()["detail"][0]["msg"])
        self.assertEqual(Skill.objects.count(), before)

    def test_known_skills_do_not_count_as_new(self) -> None:
        known = list(Skill.objects.filter(organisation=self.acme).values_list("name", flat=True))
        names = [*known, "New one", "New two"]
        response = self.client.patch("/api/v1/me/profile", {"offers": names}, content_type=JSON)
        self.assertEqual(response.status_code, 200)

    def test_ten_thousand_languages_are_refused(self) -> None:
        response = self.client.patch(
            "/api/v1/me/profile", {"languages": ["en"] * 10000}, content_type=JSON
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "languages"])


class DateBoundsTest(CairnTestCase):
    def test_a_session_dated_year_one_is_refused(self) -> None:
        goal = do_set_goal(self.bob, "Write good SQL")
        relationship = do_request_relationship(self.bob, self.alice, "mentoring", goal, "Hi")
        do_accept(self.alice, relationship)
        ancient = timezone.now().replace(year=1)
        with self.assertRaises(ActionError) as refused:
            do_log_session(self.bob, relationship, ancient, 60)
        self.assertEqual(refused.exception.field, "held_at")

    def test_a_commitment_due_in_9999_is_refused(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_commit(self.bob, self.carol, "Send the notes", timezone.now().replace(year=9999))
        self.assertEqual(refused.exception.field, "due_at")
        do_commit(self.bob, self.carol, "Send the notes", timezone.now() + timedelta(days=30))


class StaffWithoutOrganisationTest(CairnTestCase):
    def setUp(self) -> None:
        staff = get_user_model().objects.create_user("ops@cairn.example", "x", is_staff=True)
        self.client.force_login(staff)

    def test_member_pages_say_so_with_403(self) -> None:
        for url in ("/me/", "/me/edit/", "/me/tokens/", "/api/v1/me"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post("/me/tokens/", {"name": "script"})
        self.assertEqual(response.status_code, 403)
