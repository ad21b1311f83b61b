"""The people endpoints of the JSON API, by session and by personal token."""

import json

from cairn.people.actions import do_create_api_token
from cairn.people.models import Invitation, Profile
from cairn.testing import CairnTestCase, make_person


class AuthTest(CairnTestCase):
    def test_it_needs_a_session_or_token(self) -> None:
        response = self.api("get", "/me")
        self.assertEqual(response.status_code, 401)
        self.assertIn("Bearer", response.json()["detail"])

    def test_a_personal_token_works(self) -> None:
        _, secret = do_create_api_token(self.bob, "script")
        response = self.api("get", "/me", token=secret)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["profile"]["handle"], "bob.baker")

    def test_a_wrong_token_is_refused(self) -> None:
        response = self.api("get", "/me", token="cairn_wrong")
        self.assertEqual(response.status_code, 401)

    def test_session_writes_need_the_csrf_token(self) -> None:
        self.client = self.client_class(enforce_csrf_checks=True)
        response = self.api("patch", "/me/profile", user=self.bob, body={"title": "x"})
        self.assertEqual(response.status_code, 403)

    def test_token_writes_need_no_csrf_token(self) -> None:
        self.client = self.client_class(enforce_csrf_checks=True)
        _, secret = do_create_api_token(self.bob, "script")
        response = self.api("patch", "/me/profile", body={"title": "Lead"}, token=secret)
        self.assertEqual(response.status_code, 200)


class ProfileEndpointsTest(CairnTestCase):
    def test_it_updates_my_profile(self) -> None:
        response = self.api(
            "patch",
            "/me/profile",
            user=self.bob,
            body={"title": "Lead Analyst", "offers": ["SQL", "dbt"], "manager": "alice.archer"},
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["offers"], ["dbt", "SQL"])
        self.assertEqual(response.json()["manager"], "alice.archer")

    def test_it_answers_bad_input_with_the_field_and_reason(self) -> None:
        response = self.api("patch", "/me/profile", user=self.bob, body={"timezone": "Mars/X"})
        self.assertEqual(response.status_code, 422)
        detail = response.json()["detail"][0]
        self.assertEqual(detail["loc"], ["body", "timezone"])
        self.assertIn("time zone", detail["msg"])

    def test_it_answers_schema_errors_with_422(self) -> None:
        response = self.api(
            "patch", "/me/profile", user=self.bob, body={"mentoring_capacity": "lots"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("mentoring_capacity", json.dumps(response.json()))

    def test_a_manager_from_another_organisation_is_unknown(self) -> None:
        response = self.api(
            "patch", "/me/profile", user=self.bob, body={"manager": "oscar.outsider"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIsNone(Profile.objects.get(user=self.bob).manager)

    def test_malformed_json_is_a_clear_error(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.patch(
            "/api/v1/me/profile", data="{not json", content_type="application/json"
        )
        self.assertIn(response.status_code, (400, 422))


class DirectoryEndpointsTest(CairnTestCase):
    def test_it_searches_colleagues(self) -> None:
        response = self.api("get", "/people?q=sql", user=self.carol)
        self.assertEqual(response.status_code, 200)
        names = [p["name"] for p in response.json()["items"]]
        self.assertEqual(names, ["Alice Archer"])

    def test_it_never_lists_another_organisation(self) -> None:
        response = self.api("get", "/people", user=self.oscar)
        self.assertEqual([p["name"] for p in response.json()["items"]], ["Oscar Outsider"])

    def test_one_colleague(self) -> None:
        response = self.api("get", "/people/carol.chen", user=self.bob)
        self.assertEqual(response.json()["offers"], ["Figma"])

    def test_another_organisations_person_is_404(self) -> None:
        response = self.api("get", "/people/carol.chen", user=self.oscar)
        self.assertEqual(response.status_code, 404)

    def test_the_list_keeps_a_constant_number_of_queries(self) -> None:
        for i in range(12):
            make_person(self.acme, f"Extra Person {i}", offers=[f"Skill {i}"], wants=["Go"])
        self.client.force_login(self.bob)
        self.client.get("/api/v1/people")
        with self.assertNumQueries(6):
            self.client.get("/api/v1/people")


class InvitationEndpointTest(CairnTestCase):
    def test_an_admin_invites(self) -> None:
        response = self.api("post", "/invitations", user=self.alice, body={"email": "z@acme.ex"})
        self.assertEqual(response.status_code, 201)
        token = Invitation.objects.get(email="z@acme.ex").token
        self.assertTrue(response.json()["link"].endswith(f"/join/{token}/"))

    def test_a_member_is_forbidden(self) -> None:
        response = self.api("post", "/invitations", user=self.bob, body={"email": "z@acme.ex"})
        self.assertEqual(response.status_code, 403)

    def test_a_bad_email_names_the_field(self) -> None:
        response = self.api("post", "/invitations", user=self.alice, body={"email": "nope"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "email"])


class OpenApiTest(CairnTestCase):
    def test_the_schema_and_docs_are_served_locally(self) -> None:
        schema = self.client.get("/api/v1/openapi.json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/v1/people", schema.json()["paths"])
        docs = self.client.get("/api/v1/docs")
        self.assertEqual(docs.status_code, 200)
        self.assertNotIn("cdn.jsdelivr", docs.content.decode())
