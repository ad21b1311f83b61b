"""The published schema says what the API does: common errors on every operation, one schema per
name, references that resolve; and the refusals schemathesis found are clear 4xx answers."""

import json
from typing import Any

from django.test import SimpleTestCase
from ninja import Router, Schema
from ninja.errors import ConfigError

from cairn.api.main import api
from cairn.api.openapi import COMMON_ERRORS, TEXT_PATTERN, CairnAPI
from cairn.communities.actions import do_create_community
from cairn.testing import CairnTestCase

JSON = "application/json"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


class PublishedSchemaTest(SimpleTestCase):
    schema: dict[str, Any]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        api.get_openapi_schema(path_prefix="/api/v1/")  # the second build must be as good
        cls.schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))

    def test_every_operation_documents_the_common_errors_with_one_error_schema(self) -> None:
        for path, operations in self.schema["paths"].items():
            for method, operation in operations.items():
                for status, (name, _) in COMMON_ERRORS.items():
                    documented = operation["responses"].get(str(status))
                    self.assertIsNotNone(documented, f"{method.upper()} {path} {status}")
                    if "$ref" in documented:  # else the operation declared its own
                        self.assertEqual(documented["$ref"], f"#/components/responses/{name}")
        for name, _ in COMMON_ERRORS.values():
            response = self.schema["components"]["responses"][name]
            self.assertEqual(
                response["content"]["application/json"]["schema"],
                {"$ref": "#/components/schemas/Error"},
            )

    def test_every_reference_resolves(self) -> None:
        text = json.dumps(self.schema)
        self.assertNotIn("$defs", text)
        for ref in _refs(self.schema):
            node: Any = self.schema
            for part in ref.removeprefix("#/").split("/"):
                self.assertIn(part, node, ref)
                node = node[part]

    def test_parameters_and_bodies_state_that_text_holds_no_control_character(self) -> None:
        people = self.schema["paths"]["/api/v1/people"]["get"]
        query = {p["name"]: p["schema"] for p in people["parameters"]}
        self.assertEqual(query["q"]["pattern"], TEXT_PATTERN)
        post_in = self.schema["components"]["schemas"]["PostIn"]["properties"]
        self.assertEqual(post_in["title"]["pattern"], TEXT_PATTERN)
        self.assertNotIn("enum", post_in["title"])
        self.assertNotIn("pattern", post_in["kind"])  # a choice, not text
        post_out = self.schema["components"]["schemas"]["PostOut"]["properties"]
        self.assertNotIn("pattern", post_out["title"])  # answers are not re-checked

    def test_a_body_parsed_in_the_view_is_required_when_it_has_required_fields(self) -> None:
        credit = self.schema["paths"]["/api/v1/credits/{target_type}/{target_id}"]["post"]
        self.assertIs(credit["requestBody"]["required"], True)
        join = self.schema["paths"]["/api/v1/communities/{community_id}/join"]["post"]
        self.assertIs(join["requestBody"]["required"], False)


class SchemaNamesTest(SimpleTestCase):
    def test_two_different_schemas_with_one_name_are_refused(self) -> None:
        def named(fields: dict[str, Any]) -> type[Schema]:
            return type("ThingOut", (Schema,), {"__annotations__": fields})

        first, second = named({"id": int}), named({"name": str})
        router = Router()
        # The two classes are made at run time, which a static type cannot name.
        router.get("/a", response=list[first])(lambda request: [])  # type: ignore[valid-type]
        router.get("/b", response=list[second])(lambda request: [])  # type: ignore[valid-type]
        clash = CairnAPI(urls_namespace="clash")
        clash.add_router("/", router)
        with self.assertRaisesMessage(
            ConfigError, "Two different API schemas are named 'ThingOut'"
        ):
            clash.get_openapi_schema(path_prefix="/")


class RefusalsTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def test_a_missing_required_body_is_a_422_naming_the_body(self) -> None:
        response = self.client.post("/api/v1/credits/post/1", content_type=JSON)
        # The access check comes first: an unknown target is a 404 whatever the body.
        self.assertEqual(response.status_code, 404)
        community = do_create_community(self.bob, name="Data guild")
        response = self.client.put(f"/api/v1/communities/{community.pk}", content_type=JSON)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body"])

    def test_a_body_that_is_not_an_object_is_refused(self) -> None:
        for url in ("/api/v1/goals", "/api/v1/posts"):
            with self.subTest(url=url):
                response = self.client.post(url, '"AAA"', content_type=JSON)
                self.assertEqual(response.status_code, 400)
        community = do_create_community(self.bob, name="Data guild")
        response = self.client.post(
            f"/api/v1/communities/{community.pk}/join", "[null]", content_type=JSON
        )
        self.assertEqual(response.status_code, 422)

    def test_a_profile_field_sent_as_null_is_a_422_not_a_500(self) -> None:
        for field in ("open_to_mentor", "name", "languages", "mentoring_capacity"):
            with self.subTest(field=field):
                response = self.client.patch("/api/v1/me/profile", {field: None}, content_type=JSON)
                self.assertEqual(response.status_code, 422)
                self.assertEqual(response.json()["detail"][0]["loc"], ["body", "payload", field])

    def test_null_still_clears_the_manager(self) -> None:
        response = self.client.patch("/api/v1/me/profile", {"manager": None}, content_type=JSON)
        self.assertEqual(response.status_code, 200)

    def test_an_id_too_big_for_the_database_is_not_found(self) -> None:
        response = self.client.post(f"/api/v1/goals/{10**25}/milestones/1/done")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Not found."})

    def test_an_unknown_api_url_is_a_json_404(self) -> None:
        for url in ("/api/v1/no-such-thing", "/api/v1/people/a%01b"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json(), {"detail": "Not found."})
        self.assertEqual(self.client.get("/no-such-page/").status_code, 404)
