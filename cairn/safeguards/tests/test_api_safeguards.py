import json
from typing import Any

from cairn.ledger.models import Verb
from cairn.safeguards.actions import do_scan_organisation
from cairn.safeguards.models import RingFlag
from cairn.safeguards.tests.test_pages import make_ring
from cairn.safeguards.tests.test_scan import happened
from cairn.testing import CairnTestCase


class SafeguardsApiTest(CairnTestCase):
    members: list[Any]
    flag: RingFlag

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(6):
            happened(Verb.THANKED, cls.bob, cls.carol, 10 - i * 0.1)
        cls.members = make_ring(cls.acme)
        do_scan_organisation(cls.acme)
        cls.flag = RingFlag.objects.get()

    def test_the_people_concerned_read_their_corrections(self):
        got = self.api("get", "/safeguards/corrections", self.carol).json()
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["count"], 3)
        self.assertEqual(got[0]["given_by"], self.bob.profile.handle)
        self.assertEqual(self.api("get", "/safeguards/corrections", self.oscar).json(), [])

    def test_admins_list_and_review_rings_others_get_404(self):
        got = self.api("get", "/safeguards/rings", self.alice).json()
        self.assertEqual(sorted(got[0]["members"]), sorted(m.profile.handle for m in self.members))
        path = f"/safeguards/rings/{self.flag.pk}"
        for person in (self.bob, self.oscar):
            self.assertEqual(self.api("get", "/safeguards/rings", person).status_code, 404)
            self.assertEqual(self.api("get", path, person).status_code, 404)
            body = {"status": "dismissed"}
            self.assertEqual(self.api("post", path + "/review", person, body).status_code, 404)
        for _ in range(2):
            response = self.api("post", path + "/review", self.alice, {"status": "confirmed"})
            self.assertEqual(response.json()["status"], "confirmed")

    def test_a_bad_review_is_a_422_naming_the_field(self):
        path = f"/safeguards/rings/{self.flag.pk}/review"
        response = self.api("post", path, self.alice, {"status": "maybe"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("status", json.dumps(response.json()))

    def test_the_pair_cap_answers_429_through_the_thanks_endpoint(self):
        from cairn.exchange.actions import do_thank

        for n in range(5):
            do_thank(self.alice, self.carol, f"t{n}")
        body = {"recipient": self.carol.profile.handle, "note": "once more"}
        response = self.api("post", "/thanks", self.alice, body)
        self.assertEqual(response.status_code, 429)
        self.assertIn("5 times a day", response.json()["detail"])
