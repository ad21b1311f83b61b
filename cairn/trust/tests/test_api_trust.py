"""The trust API: a colleague's trust, "can I trust them?", and a recompute for admins."""

from django.test import override_settings

from cairn.ledger.models import Verb
from cairn.people.models import User
from cairn.testing import CairnTestCase, make_person
from cairn.trust import adapter
from cairn.trust.models import TrustState
from cairn.trust.tests.helpers import happened, working_history

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class TrustApiCase(CairnTestCase):
    dana: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dana = make_person(cls.acme, "Dana Dune")
        working_history(cls.alice, cls.bob, cls.carol)
        for week in range(8):
            happened(Verb.THANKED, cls.carol, cls.dana, days=60 - 7 * week)
            happened(Verb.KEPT, cls.carol, cls.dana, days=60 - 7 * week)
            happened(Verb.THANKED, cls.alice, cls.dana, days=59 - 7 * week)
        adapter.recompute_organisation(cls.acme)

    def setUp(self) -> None:
        adapter.forget_results()


class GetTrustTest(TrustApiCase):
    def test_the_person_gets_their_full_explanation(self) -> None:
        self.client.force_login(self.dana)
        body = self.client.get("/api/v1/people/dana.dune/trust").json()
        self.assertEqual(body["handle"], "dana.dune")
        self.assertIsNotNone(body["trust"])
        self.assertTrue(body["notes"])
        self.assertTrue(body["to_raise"])
        integrity = next(d for d in body["dimensions"] if d["name"] == "integrity")
        self.assertIn("kept 8 of 8 commitments confirmed by others", integrity["evidence"])
        self.assertIsNotNone(integrity["to_raise"])
        self.assertEqual(body["engine_version"], adapter.ENGINE_VERSION)
        self.assertIsNotNone(body["evidence_since"])

    def test_colleagues_get_the_summary(self) -> None:
        self.client.force_login(self.bob)
        body = self.client.get("/api/v1/people/dana.dune/trust").json()
        self.assertEqual(body["notes"], [])
        self.assertEqual(body["to_raise"], [])
        self.assertTrue(all(d["to_raise"] is None for d in body["dimensions"]))
        self.assertIsNotNone(body["trust"])

    def test_numbers_are_hidden_when_the_organisation_says_words_only(self) -> None:
        self.acme.show_trust_numbers = False
        self.acme.save(update_fields=["show_trust_numbers"])
        self.client.force_login(self.bob)
        body = self.client.get("/api/v1/people/dana.dune/trust").json()
        self.assertIsNone(body["trust"])
        self.assertTrue(all(d["score"] is None for d in body["dimensions"]))
        self.assertTrue(all(d["words"] for d in body["dimensions"]))
        pair = self.client.get("/api/v1/people/dana.dune/trust/pairwise").json()
        self.assertIsNone(pair["score"])

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.oscar)
        for url in ("/api/v1/people/dana.dune/trust", "/api/v1/people/dana.dune/trust/pairwise"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.json(), {"detail": "Not found."})

    def test_visitors_must_sign_in(self) -> None:
        self.assertEqual(self.client.get("/api/v1/people/dana.dune/trust").status_code, 401)


class PairwiseTest(TrustApiCase):
    def test_it_says_through_whom_trust_reaches_them(self) -> None:
        self.client.force_login(self.bob)
        body = self.client.get("/api/v1/people/dana.dune/trust/pairwise").json()
        self.assertFalse(body["worked_together"])
        self.assertEqual(set(body["via"]), {"carol.chen", "alice.archer"})
        self.assertEqual(body["went"], "well")
        self.assertGreater(body["score"], 0)
        self.assertTrue(body["paths"])
        for path in body["paths"]:  # the people between Bob and Dana, each a colleague
            self.assertTrue(set(path) <= {"carol.chen", "alice.archer"})
            self.assertIn(path[-1], body["via"])


@override_settings(TASKS=DUMMY_TASKS)
class RecomputeApiTest(TrustApiCase):
    def test_an_admin_queues_one_recompute(self) -> None:
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            first = self.client.post("/api/v1/trust/recompute")
            second = self.client.post("/api/v1/trust/recompute")
        self.assertEqual(first.status_code, 202)
        self.assertEqual(first.json(), {"queued": True})
        self.assertEqual(second.json(), {"queued": False})
        self.assertTrue(TrustState.objects.get(organisation=self.acme).queued)

    def test_members_are_refused(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/api/v1/trust/recompute")
        self.assertEqual(response.status_code, 403)
        self.assertIn("admins", response.json()["detail"])
