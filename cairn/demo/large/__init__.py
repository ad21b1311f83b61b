"""Meridian: a demo organisation of any size with months of life, for measuring Cairn at scale.

``cairn demo --people 10000 --days 365`` calls :func:`build_large_org`. The people join through
``do_add_person``, as in Northwind; their life is planned once from the seed
(:mod:`~cairn.demo.large.plan`) and written either through the actions
(:mod:`~cairn.demo.large.replay`, the reference) or in bulk (:mod:`~cairn.demo.large.bulk`,
what the command uses), with the search index rebuilt and trust computed once at the end.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import time_machine
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cairn.demo.large.bulk import BulkWriter, write_people
from cairn.demo.large.plan import ADMIN_EMAIL, DOMAIN, MEMBER_EMAIL, Plan, plan_life, plan_people
from cairn.demo.large.replay import replay
from cairn.demo.northwind import DEMO_PASSWORD, delete_organisation
from cairn.ledger import tally
from cairn.ledger.models import Event
from cairn.matching.builder import build_organisation
from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Organisation, Profile, User
from cairn.search import index as search_index
from cairn.search import signals as search_signals
from cairn.trust.adapter import recompute_organisation
from cairn.trust.history import take_snapshots

SLUG = "meridian"
NAME = "Meridian"
SEED = 2027
MAX_PEOPLE = 50_000
__all__ = ["ADMIN_EMAIL", "MEMBER_EMAIL", "SLUG", "build_large_org", "delete_large_org"]

Tick = Callable[[int], None]


@contextmanager
def _bar(progress: bool) -> Iterator[Callable[[str, int], Tick]]:
    """Yield ``stage(description, total) -> advance``: a rich progress bar per stage."""
    if not progress:
        yield lambda description, total: lambda n: None
        return
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns) as bar:

        def stage(description: str, total: int) -> Tick:
            task = bar.add_task(description, total=total)
            return lambda n: bar.advance(task, n)

        yield stage


def add_people(org: Organisation, plan: Plan, tick: Tick) -> list[User]:
    """Add everyone through ``do_add_person`` (managers first); return the users in plan order."""
    users: list[User] = []
    profiles: dict[str, Profile] = {}
    departments: dict[str, object] = {}
    with time_machine.travel(plan.created_at, tick=False):
        for person in plan.people:
            spec = person.spec
            fields = spec.profile()
            fields["department"] = departments.get(spec.department, spec.department)
            fields["manager"] = profiles[spec.manager] if spec.manager else None
            user = do_add_person(org, email=spec.email, name=spec.name, role=spec.role, **fields)
            profiles[spec.email] = user.profile
            departments[spec.department] = user.profile.department
            users.append(user)
            tick(1)
    User.objects.filter(organisation=org).update(password=make_password(DEMO_PASSWORD))
    return users


def build_large_org(
    people: int,
    days: int,
    seed: int = SEED,
    progress: bool = True,
    *,
    bulk: bool = True,
    trust: bool = True,
    slug: str = SLUG,
    now: datetime | None = None,
) -> Organisation:
    """Create Meridian with ``people`` people and ``days`` days of their life, ending now.

    Everything is written in one transaction; ``bulk=False`` replays through the actions (slow,
    the reference). Trust is computed once at the end. Raises ``ActionError`` if Meridian exists.
    ``slug`` builds the same kind of organisation under another name (addresses at
    ``<slug>.example``), for a benchmark's baseline beside Meridian; ``now`` ends the life
    at another day (tests).
    """
    if not 1 <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between 1 and {MAX_PEOPLE}")
    domain = DOMAIN if slug == SLUG else f"{slug}.example"
    planned = plan_people(people, seed, domain)
    plan = plan_life(planned, seed, days, now or timezone.now())
    with _bar(progress) as stage, transaction.atomic():
        with time_machine.travel(plan.created_at, tick=False):
            org = do_create_organisation(slug.title(), slug, email_domains=[domain])
        with search_signals.disconnected() if bulk else _nothing():
            if bulk:
                with time_machine.travel(plan.created_at, tick=False):
                    users = write_people(org, plan, make_password(DEMO_PASSWORD))
            else:
                users = add_people(org, plan, stage("People", people))
            tick = stage(f"{days} days of life", len(plan.ops))
            if bulk:
                BulkWriter(org, plan, users).write(tick)
            else:
                replay(plan, users, tick)
        if bulk:
            # What record() keeps event by event, counted once from what was written.
            tally.recount(org.pk)
            search_index.rebuild(org.pk)
    analyse()
    if days and trust:
        recompute_organisation(org)
        take_snapshots(org.pk)  # this week's; past weeks are computed by the Northwind demo only
        build_organisation(org.pk)  # the recommendation index, as the worker would
    return org


def analyse() -> None:
    """Refresh PostgreSQL's statistics, and outside a transaction clear out dead rows, as
    autovacuum would some time later (it is off on some machines).

    Until then the planner guesses: on a fresh Meridian the benchmark's choice of a typical
    member ran for minutes, and pages' figures depended on whether autovacuum had come by.
    After benchmarks that rewrite every trust profile many times, the insights page read
    110,000 row versions of them for 10,000 people.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def events_of(org: Organisation) -> int:
    """Return how many ledger events the organisation has."""
    return Event.objects.filter(organisation=org).count()


def delete_large_org() -> bool:
    """Delete Meridian and everything in it; return whether it existed."""
    return delete_organisation(SLUG)
