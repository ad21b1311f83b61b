from cairn.privileges.tests.test_checks import trusted
from cairn.testing import CairnTestCase


class PrivilegesApiTest(CairnTestCase):
    def test_a_new_member_reads_what_they_still_need(self):
        self.client.force_login(self.bob)
        got = self.client.get("/api/v1/privileges").json()
        by_name = {p["name"]: p for p in got["privileges"]}
        self.assertFalse(by_name["facilitate"]["held"])
        self.assertTrue(by_name["facilitate"]["needs"])
        self.assertEqual(by_name["share_freely"]["daily_limit"], 10)
        self.assertEqual(got["flag_weight"], 0.25)

    def test_a_trusted_member_has_no_limits(self):
        trusted(self.carol)
        self.client.force_login(self.carol)
        got = self.client.get("/api/v1/privileges").json()
        self.assertTrue(all(p["held"] for p in got["privileges"]))
        self.assertTrue(all(p["daily_limit"] is None for p in got["privileges"]))

    def test_visitors_get_401(self):
        self.assertEqual(self.client.get("/api/v1/privileges").status_code, 401)
