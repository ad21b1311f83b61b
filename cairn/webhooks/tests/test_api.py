"""The webhooks API: admins only, another organisation's webhooks are 404, the secret comes
back once, bad input is a 422 naming the field."""

from django.test import override_settings
from standardwebhooks.webhooks import Webhook

from cairn.people.models import User
from cairn.testing import make_person
from cairn.webhooks.models import Endpoint
from cairn.webhooks.tests.receiver import ReceiverTestCase

API = "/api/v1/webhooks"


@override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
class WebhooksApiTest(ReceiverTestCase):
    gina: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gina = make_person(cls.globex, "Gina Globex", User.Role.ADMIN)

    def add(self, **body: object) -> dict:
        payload = {"url": self.receiver.url, "event_types": ["asked"], **body}
        response = self.client.post(API, payload, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()

    def test_an_admin_adds_tests_changes_and_removes_a_webhook(self) -> None:
        self.client.force_login(self.alice)
        added = self.add(description="Data lake")
        self.assertTrue(added["secret"].startswith("whsec_"))
        one = f"{API}/{added['id']}"
        self.assertNotIn("secret", self.client.get(one).json())
        tested = self.client.post(f"{one}/test").json()
        self.assertEqual((tested["status"], tested["http_status"]), ("sent", 200))
        received = self.receiver.received[-1]
        self.assertEqual(
            Webhook(added["secret"]).verify(received.body, received.headers)["type"], "cairn.test"
        )
        log = self.client.get(f"{one}/deliveries").json()
        self.assertEqual([d["event"] for d in log], [None])
        changed = self.client.put(
            one,
            {"url": self.receiver.url, "event_types": ["asked", "goal_set"], "enabled": False},
            content_type="application/json",
        ).json()
        self.assertEqual(
            (changed["event_types"], changed["enabled"]), (["asked", "goal_set"], False)
        )
        self.assertEqual(self.client.delete(one).status_code, 204)
        self.assertFalse(Endpoint.objects.exists())

    def test_bad_input_is_a_422_naming_the_field(self) -> None:
        self.client.force_login(self.alice)
        for body, field in (
            ({"url": self.receiver.url, "event_types": ["rated"]}, "event_types"),
            ({"url": "gopher://example.org/x", "event_types": ["asked"]}, "url"),
        ):
            response = self.client.post(API, body, content_type="application/json")
            self.assertEqual(response.status_code, 422)
            self.assertEqual(response.json()["detail"][0]["loc"], ["body", field])

    def test_members_get_403_and_other_organisations_404(self) -> None:
        self.client.force_login(self.alice)
        hook = self.add()
        one = f"{API}/{hook['id']}"
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(API).status_code, 403)
        self.assertEqual(self.client.get(one).status_code, 403)
        self.client.force_login(self.gina)
        self.assertEqual(self.client.get(API).json(), [])
        for method in ("get", "delete"):
            self.assertEqual(getattr(self.client, method)(one).status_code, 404)
        self.assertEqual(self.client.post(f"{one}/test").status_code, 404)
        self.assertEqual(self.client.get(f"{one}/deliveries").status_code, 404)
        put = self.client.put(one, {"url": "x"}, content_type="application/json")
        self.assertEqual(put.status_code, 404)
        self.assertEqual(Endpoint.objects.count(), 1)
        self.assertEqual(self.receiver.received, [])
