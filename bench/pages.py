"""Pages and API at organisation size: server time and queries per page, against a minimal view.

Runs in-process with Django's test client on the organisation named by ``CAIRN_BENCH_ORG``
(default ``meridian``, built by ``cairn demo --people 10000 --days 365``) in the PostgreSQL
database of ``DATABASE_URL``. Each URL is warmed up, then requested many times; a round measures
every URL once that way, and the whole round is repeated. A page's figure is the median over
the rounds of its p95 (and p50). The baseline, measured in the same rounds, is a view that does
one indexed query and renders a tiny template (``bench/_pages_urls.py``); each page's throughput
is given as a ratio to it (its mean time over the page's mean time).

``CAIRN_BENCH_PAGES=find,recommendations`` measures only the URLs whose label contains one of
those words (the section says so); ``python -m bench.pages`` prints the section unsaved.
"""

import importlib.util
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from bench._large_org import BUILD_ARGS, BUILD_HINT
from bench._large_org import SLUG as LARGE_ORG

P95_GOAL_MS = 150.0


class MissingOrganisation(RuntimeError):
    """The organisation to measure is not in the database."""


@dataclass
class Timing:
    """One URL's measurements over the rounds."""

    label: str
    url: str
    as_admin: bool = False
    queries: int = 0
    status: int = 0
    p50s: list[float] = field(default_factory=list)
    p95s: list[float] = field(default_factory=list)
    means: list[float] = field(default_factory=list)

    def p95(self) -> float:
        """Return the median over the rounds of the p95, in ms."""
        return statistics.median(self.p95s)

    def p50(self) -> float:
        """Return the median over the rounds of the p50, in ms."""
        return statistics.median(self.p50s)

    def mean(self) -> float:
        """Return the median over the rounds of the mean time, in ms."""
        return statistics.median(self.means)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    import django

    django.setup()


def _on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _organisation(slug: str) -> Any:
    """Return the organisation to measure; build the large one if its builder is importable."""
    from cairn.people.models import Organisation

    found = Organisation.objects.filter(slug=slug).first()
    if found is not None:
        return found
    if slug == LARGE_ORG and importlib.util.find_spec("cairn.demo.large") is not None:
        from django.core.management import call_command

        print(f"Building {slug!r}: `{BUILD_HINT}`", file=sys.stderr, flush=True)
        call_command(*BUILD_ARGS)
        found = Organisation.objects.filter(slug=slug).first()
        if found is not None:
            return found
    raise MissingOrganisation(
        f"No organisation {slug!r} in this database. Build the large one with "
        f"`{BUILD_HINT}` (slug {LARGE_ORG!r}), or name another with CAIRN_BENCH_ORG "
        "(for example CAIRN_BENCH_ORG=northwind after `cairn demo`)."
    )


def _cast(org: Any) -> dict[str, Any]:
    """Return the people and things the URLs are about: a typical active member, the admin,
    another (well-trusted) person, the busiest community, and objects for the nested lists."""
    from django.db.models import Count

    from cairn.communities.models import Community
    from cairn.exchange.models import Post
    from cairn.learning.models import Goal, Relationship
    from cairn.ledger.models import Event
    from cairn.matching.models import Program
    from cairn.people.models import User
    from cairn.trust.models import TrustProfile

    members = list(
        Event.objects.filter(
            organisation=org,
            actor__is_active=True,
            actor__role=User.Role.MEMBER,
            actor__profile__wants__isnull=False,
        )
        .values("actor")
        .annotate(events=Count("id"))
        .order_by("-events", "actor")
        .values_list("actor", flat=True)[:400]
    )
    if not members:
        raise MissingOrganisation(f"{org.slug!r} has no active member with any activity.")
    # Typical active member: the one at the 75th percentile of activity among the active.
    member = User.objects.select_related("profile").get(pk=members[len(members) // 4])
    admin = User.objects.filter(organisation=org, role=User.Role.ADMIN, is_active=True).first()
    other = (
        TrustProfile.objects.filter(organisation=org, user__is_active=True)
        .exclude(user=member)
        .select_related("user__profile")
        .order_by("-trust")
        .first()
    )
    other_user = (
        other.user if other else User.objects.filter(organisation=org).exclude(pk=member.pk).first()
    )
    community = (
        Community.objects.filter(organisation=org, archived_at__isnull=True)
        .annotate(thread_count=Count("threads"))
        .order_by("-thread_count")
        .first()
    )
    return {
        "org": org,
        "member": member,
        "admin": admin,
        "other": other_user,
        "community": community,
        "goal": Goal.objects.filter(owner=member).order_by("-id").first(),
        "relationship": Relationship.objects.filter(members__user=member).order_by("-id").first(),
        "program": Program.objects.filter(organisation=org).order_by("-id").first(),
        "post": Post.objects.filter(organisation=org).order_by("-id").first(),
    }


def _only() -> list[str]:
    """Return the words of ``CAIRN_BENCH_PAGES`` (none: every URL is measured)."""
    return [w.strip() for w in os.environ.get("CAIRN_BENCH_PAGES", "").split(",") if w.strip()]


def _recommendations_ready(org: Any) -> None:
    """Build the organisation's stored recommendation index if it is not current, as the
    worker would have: "Find a mentor" reads it and never builds it."""
    from cairn.matching.builder import build_organisation

    print("  recommendation index: building it if it is not current", file=sys.stderr)
    summary = build_organisation(org.pk)
    print(f"  recommendation index: {summary}", file=sys.stderr, flush=True)


def _urls(cast: dict[str, Any]) -> list[Timing]:
    """Return the pages and API lists the benchmark measures (all, or those `_only` names)."""
    member, other, community = cast["member"], cast["other"], cast["community"]
    search = (member.profile.name.split() or ["a"])[0]
    pages = [
        Timing("home (feed)", "/home/"),
        Timing("own profile", f"/people/{member.profile.handle}/"),
        Timing("another profile", f"/people/{other.profile.handle}/"),
        Timing("people, by name", "/people/"),
        Timing("people, by trust", "/people/?order=trust"),
        Timing("people, search", f"/people/?q={search}"),
        Timing("requests", "/requests/"),
        Timing("busy community", f"/communities/{community.pk}/"),
        Timing("notifications", "/notifications/"),
        Timing("insights (admin)", "/insights/", as_admin=True),
        Timing("find a mentor", "/match/"),
    ]
    # Paginated lists are asked for a page of 20, as a client showing a page would.
    api = [
        "/people?limit=20",
        "/people?limit=20&order=trust",
        "/skills",
        "/goals?limit=20",
        "/mentoring?limit=20",
        "/feedback/mine",
        "/communities",
        f"/communities/{community.pk}/members",
        f"/communities/{community.pk}/threads",
        f"/communities/{community.pk}/resources",
        "/requests?limit=20",
        "/posts?limit=20",
        "/thanks?limit=20",
        "/commitments?limit=20",
        "/notifications?limit=20",
        "/feed",
        "/recommendations",
        "/programs",
        "/safeguards/corrections",
        "/disputes",
        "/disputes/evidence",
        f"/search?q={search}",
        "/me/data-exports",
    ]
    if cast["goal"] is not None:
        api.append(f"/goals/{cast['goal'].pk}/reflections")
    if cast["relationship"] is not None:
        api.append(f"/mentoring/{cast['relationship'].pk}/sessions")
    if cast["post"] is not None:
        api.append(f"/credits/exchange.post/{cast['post'].pk}")
    admin_api = ["/moderation/queue", "/webhooks", "/insights", "/safeguards/rings"]
    if cast["program"] is not None:
        admin_api.append(f"/programs/{cast['program'].pk}/signups")
    pages += [Timing(f"API {p}", f"/api/v1{p}") for p in api]
    pages += [Timing(f"API {p} (admin)", f"/api/v1{p}", as_admin=True) for p in admin_api]
    only = _only()
    return [t for t in pages if any(w in t.label for w in only)] if only else pages


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _measure(client: Any, timing: Timing, requests: int, warmup: int) -> None:
    for _ in range(warmup):
        client.get(timing.url, secure=True)
    took = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(timing.url, secure=True)
        took.append((time.perf_counter() - started) * 1000)
        timing.status = response.status_code
    timing.p50s.append(_percentile(took, 0.5))
    timing.p95s.append(_percentile(took, 0.95))
    timing.means.append(statistics.fmean(took))


def _count_queries(client: Any, timing: Timing) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(timing.url, secure=True)
    with CaptureQueriesContext(connection) as captured:
        timing.status = client.get(timing.url, secure=True).status_code
    timing.queries = len(captured.captured_queries)


def _row(timing: Timing, baseline: Timing) -> str:
    ratio = baseline.mean() / timing.mean()
    met = "met" if timing.p95() <= P95_GOAL_MS and timing.status == 200 else "**not met**"
    status = "" if timing.status == 200 else f" (HTTP {timing.status})"
    return (
        f"| {timing.label}{status} | {timing.p50():.1f} | {timing.p95():.1f} | "
        f"{timing.queries} | {ratio:.2f} | {met} |"
    )


def measure(
    slug: str, rounds: int, requests: int, warmup: int
) -> tuple[dict[str, Any], list[Timing], Timing]:
    """Measure every URL on organisation ``slug``; return the cast, the pages and the baseline."""
    from django.conf import settings
    from django.test import Client, override_settings

    from cairn.demo.large import analyse
    from cairn.web.startup import prepare_to_serve

    org = _organisation(slug)
    # As a production database would have them: without statistics the planner guesses, and
    # the figures depended on whether autovacuum had come by since the organisation was built.
    analyse()
    _recommendations_ready(org)
    cast = _cast(org)
    pages = _urls(cast)
    baseline = Timing("minimal view (baseline)", f"/bench/minimal/?pk={cast['member'].profile.pk}")
    with override_settings(
        ROOT_URLCONF="bench._pages_urls",
        ALLOWED_HOSTS=["testserver"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # Static URLs without collectstatic's manifest (a dict lookup either way).
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        member, admin = Client(), Client()
        member.force_login(cast["member"])
        admin.force_login(cast["admin"])
        # Ready as a production worker is when it starts (cairn/gunicorn_conf.py).
        prepare_to_serve()
        for timing in [baseline, *pages]:
            _count_queries(admin if timing.as_admin else member, timing)
        for done in range(rounds):
            print(f"  round {done + 1} of {rounds}", file=sys.stderr, flush=True)
            for timing in [baseline, *pages]:
                _measure(admin if timing.as_admin else member, timing, requests, warmup)
    return cast, pages, baseline


def _people(org: Any) -> str:
    from cairn.ledger.models import Event
    from cairn.people.models import User

    people = User.objects.filter(organisation=org).count()
    events = Event.objects.filter(organisation=org).count()
    return f"{people:,} people, {events:,} ledger events"


def run(quick: bool) -> str:
    _setup_django()
    title = "## Pages and API at organisation size (`bench/pages.py`)"
    if not _on_postgres():
        return (
            f"{title}\n\nSkipped: needs PostgreSQL (set DATABASE_URL to a PostgreSQL database).\n"
        )
    slug = os.environ.get("CAIRN_BENCH_ORG", LARGE_ORG)
    rounds, requests, warmup = (2, 5, 1) if quick else (5, 20, 2)
    load_before = os.getloadavg()
    cast, pages, baseline = measure(slug, rounds, requests, warmup)
    load_after = os.getloadavg()
    met = [t for t in pages if t.p95() <= P95_GOAL_MS and t.status == 200]
    slowest = max(pages, key=Timing.p95)
    lines = [
        title,
        "",
        f"Organisation `{slug}` on PostgreSQL: {_people(cast['org'])}. Signed in as a typical "
        f"active member (`{cast['member'].profile.handle}`, the 75th percentile of activity among "
        f"active members who want a skill) and as the admin for admin pages. Django's test client "
        f"in-process; each URL warmed up {warmup}×, then {requests} requests per round, "
        f"{rounds} rounds. Server time is the client's wall time around the request (middleware, "
        "view, queries, template). Figures are medians over the rounds of each round's p50 and "
        "p95. Throughput is given as a ratio to the baseline, a minimal view doing one indexed "
        "query and rendering a tiny template, measured in the same rounds: 1.00 would be as fast "
        "as it. Queries are counted on one request after warm-up. Paginated API lists are asked "
        "for `limit=20` (their default is 100). The database is vacuumed and its statistics "
        "refreshed (`VACUUM ANALYZE`, as autovacuum would) before measuring.",
        "",
        *([f"**Only the URLs whose label contains {', '.join(_only())}.**", ""] if _only() else []),
        *(
            []
            if slug == LARGE_ORG
            else [
                f"**Not the large organisation**: re-run on `{LARGE_ORG}` (`{BUILD_HINT}`, then "
                "`python -m bench pages`) for the issue's figures.",
                "",
            ]
        ),
        f"Load average (1, 5, 15 min) before: {load_before[0]:.2f}, {load_before[1]:.2f}, "
        f"{load_before[2]:.2f}; after: {load_after[0]:.2f}, {load_after[1]:.2f}, "
        f"{load_after[2]:.2f}.",
        "",
        "| page | p50 ms | p95 ms | queries | throughput vs baseline | p95 ≤ 150 ms |",
        "|---|---|---|---|---|---|",
        f"| {baseline.label} | {baseline.p50():.1f} | {baseline.p95():.1f} | {baseline.queries} "
        "| 1.00 | — |",
        *[_row(t, baseline) for t in pages],
        "",
        f"Goal p95 ≤ {P95_GOAL_MS:.0f} ms for each: "
        + (
            "**met** for every page and API list."
            if len(met) == len(pages)
            else f"**not met**: {len(met)} of {len(pages)} within it; the slowest is "
            f"{slowest.label} at {slowest.p95():.0f} ms."
        ),
        "",
        "Goal: queries that do not grow with the data: checked by the tests (the same count "
        "with 2 and with 8 of the listed things), not by this benchmark; the query column shows "
        "what each page costs here.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
