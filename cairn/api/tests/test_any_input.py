"""Whatever a client sends — any text, numbers of any size, dates of any year — each API family
answers 2xx or 4xx, never a 500. A few examples per family keep the suite fast."""

from datetime import UTC, datetime
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cairn.testing import CairnTestCase

#: Any JSON value a careless or hostile client might put in a field.
ANY_VALUE = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False),
    st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
    ).map(lambda d: d.isoformat()),
    st.lists(st.text(max_size=20), max_size=4),
    st.booleans(),
    st.none(),
)
#: Any query parameter value: text or a number of any size.
ANY_QUERY = st.one_of(st.text(max_size=30), st.integers(min_value=-(10**25), max_value=10**25))

FAMILIES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "people": [
        ("patch", "/api/v1/me/profile", ("name", "bio", "languages", "offers", "timezone")),
        ("post", "/api/v1/invitations", ("email", "role")),
    ],
    "learning": [("post", "/api/v1/goals", ("title", "why", "target_date", "skills"))],
    "communities": [("post", "/api/v1/communities", ("name", "description", "policy"))],
    "exchange": [
        ("post", "/api/v1/posts", ("title", "body", "kind", "skills")),
        ("post", "/api/v1/requests", ("title", "details", "skills", "directed_to")),
        ("post", "/api/v1/thanks", ("recipient", "note", "about")),
    ],
    "commitments": [("post", "/api/v1/commitments", ("counterpart", "text", "due_at"))],
    "moderation": [("post", "/api/v1/flags", ("target_type", "target_id", "reason", "note"))],
    "notifications": [("put", "/api/v1/notifications/settings", ("digest", "categories"))],
    "disputes": [("post", "/api/v1/disputes", ("event", "reason"))],
    # Admin-only families: alice sends them, so they get past the role check.
    "matching": [
        ("post", "/api/v1/programs", ("name", "description", "opens_at", "closes_at", "questions"))
    ],
    "safeguards": [("post", "/api/v1/safeguards/rings/1/review", ("status", "note"))],
}
ADMIN_FAMILIES = {"matching", "safeguards"}
#: Read-only families, whose input is the path and the query: text where a handle or id goes,
#: numbers of any size where a count goes.
READS = [
    "/api/v1/people/{}/trust",
    "/api/v1/people/{}/trust/pairwise",
    "/api/v1/goals/{}/recommendations",
    "/api/v1/programs/{}",
    "/api/v1/disputes/{}",
    "/api/v1/safeguards/rings/{}",
    "/api/v1/people/{}",
]
READ_QUERIES = ["/api/v1/recommendations", "/api/v1/feed", "/api/v1/insights", "/api/v1/privileges"]
LISTS = [
    "/api/v1/people",
    "/api/v1/requests",
    "/api/v1/posts",
    "/api/v1/goals",
    "/api/v1/commitments",
    "/api/v1/notifications",
]

EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class AnyInputTest(CairnTestCase, TestCase):
    def assert_no_server_error(self, method: str, url: str, fields: tuple[str, ...], data) -> None:
        body = {field: data.draw(ANY_VALUE, label=field) for field in fields}
        response = getattr(self.client, method)(url, body, content_type="application/json")
        self.assertLess(response.status_code, 500, (url, body, response.content[:300]))

    @EXAMPLES
    @given(url=st.sampled_from(LISTS), limit=ANY_QUERY, offset=ANY_QUERY, q=ANY_QUERY)
    def test_lists_and_their_query_parameters(self, url: str, limit, offset, q) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(url, {"limit": limit, "offset": offset, "q": q})
        self.assertLess(response.status_code, 500, (url, limit, offset, q))

    @EXAMPLES
    @given(url=st.sampled_from(READS), part=ANY_QUERY, k=ANY_QUERY)
    def test_reads_with_any_path_and_count(self, url: str, part, k) -> None:
        """Trust, recommendations, programs, disputes, rings and profiles, by any handle or id."""
        self.client.force_login(self.alice)
        response = self.client.get(url.format(quote(str(part), safe="")), {"k": k})
        self.assertLess(response.status_code, 500, (url, part, k))

    @EXAMPLES
    @given(url=st.sampled_from(READ_QUERIES), skill=ANY_QUERY, k=ANY_QUERY, limit=ANY_QUERY)
    def test_reads_with_any_query(self, url: str, skill, k, limit) -> None:
        """Recommendations, the feed, insights and privileges, with any query parameters."""
        self.client.force_login(self.alice)
        response = self.client.get(url, {"skill": skill, "k": k, "limit": limit})
        self.assertLess(response.status_code, 500, (url, skill, k, limit))


def family_test(name: str):
    """Return the test of one API family: any value in any field of one of its operations."""

    @EXAMPLES
    @given(st.data())
    def test(self: AnyInputTest, data) -> None:
        method, url, fields = data.draw(st.sampled_from(FAMILIES[name]), label="operation")
        self.client.force_login(self.alice if name in ADMIN_FAMILIES else self.bob)
        self.assert_no_server_error(method, url, fields, data)

    test.__name__ = f"test_{name}"
    test.__qualname__ = f"AnyInputTest.test_{name}"
    return test


# One test a family (test_people, test_learning, ...), so each reports on its own.
for family in FAMILIES:
    setattr(AnyInputTest, f"test_{family}", family_test(family))
