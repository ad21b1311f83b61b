"""The bulk writer writes exactly the rows the actions write for the same plan."""

from datetime import UTC, datetime
from io import StringIO
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import TestCase

from cairn.commitments.models import Commitment
from cairn.communities.models import Community, Membership, Reply, Thread
from cairn.demo import large
from cairn.demo.large.plan import plan_life, plan_people
from cairn.demo.large.replay import HANDLERS
from cairn.exchange.models import Comment, Credit, HelpRequest, Post, Response, Thanks
from cairn.learning.models import (
    Feedback,
    Goal,
    Milestone,
    Relationship,
    RelationshipMember,
    Session,
)
from cairn.ledger.models import Event, Tally
from cairn.people.models import Department, Organisation, Profile, Skill, User
from cairn.search.models import Document

TABLES: tuple[type[models.Model], ...] = (
    Community,
    Membership,
    Thread,
    Reply,
    User,
    EmailAddress,
    Department,
    Skill,
    Profile,
    Profile.offers.through,
    Profile.wants.through,
    Event,
    Goal,
    Milestone,
    Relationship,
    RelationshipMember,
    Session,
    HelpRequest,
    Response,
    Post,
    Comment,
    Thanks,
    Credit,
    Commitment,
    Feedback,
    Goal.skills.through,
    HelpRequest.skills.through,
    HelpRequest.directed_to.through,
    Post.skills.through,
)


#: A small organisation whose plan has every kind of op but a declined request (rare when
#: there are few requests; it shares its branch with accepting).
PEOPLE, DAYS, SEED = 40, 120, 3
END = datetime(2026, 6, 1, 12, tzinfo=UTC)


class Rollback(Exception):
    pass


def snapshot() -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for model in TABLES:
        values: list[Any] = list(model._default_manager.order_by("pk").values())
        for row in values:
            row.pop("password", None)  # a salted hash, different each time it is made
        if model._meta.auto_created:  # a through table: its own ids follow set() order
            values = sorted(
                tuple(sorted((k, v) for k, v in r.items() if k != "id")) for r in values
            )
        rows[model._meta.label] = values
    # Tallies are counted event by event through the actions and once in bulk: the same counts
    # in rows made in another order.
    rows["tallies"] = sorted(
        Tally.objects.values_list("organisation_id", "user_id", "given", "recognised")
    )
    documents = Document.objects.order_by("kind", "object_id").values()
    rows["documents"] = [
        {k: v for k, v in d.items() if k not in {"id", "vector"}} for d in documents
    ]
    return rows


def build(bulk: bool) -> dict[str, Any]:
    tables = list(connection.introspection.installed_models(connection.introspection.table_names()))
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(sql)
    taken: dict[str, Any] = {}
    try:
        with transaction.atomic():
            large.build_large_org(
                PEOPLE, DAYS, seed=SEED, progress=False, bulk=bulk, trust=False, now=END
            )
            taken = snapshot()
            raise Rollback
    except Rollback:
        pass
    return taken


class BulkMatchesActionsTests(TestCase):
    def test_the_plan_has_every_kind_of_op(self) -> None:
        plan = plan_life(plan_people(PEOPLE, SEED), SEED, DAYS, END)
        self.assertEqual(set(HANDLERS) - {op.kind for op in plan.ops}, {"decline"})

    def test_the_bulk_rows_are_the_rows_the_actions_write(self) -> None:
        through_actions = build(bulk=False)
        in_bulk = build(bulk=True)
        self.assertGreater(len(through_actions["ledger.Event"]), 700)
        for table, rows in through_actions.items():
            with self.subTest(table=table):
                self.assertEqual(in_bulk[table], rows)

    def test_the_command_builds_meridian_and_says_how_to_sign_in(self) -> None:
        out = StringIO()
        call_command("demo", "--people", "25", "--days", "10", stdout=out, stderr=StringIO())
        org = Organisation.objects.get(slug=large.SLUG)
        self.assertEqual(Profile.objects.filter(organisation=org).count(), 25)
        self.assertIn("admin@meridian.example", out.getvalue())
        self.assertIn("member@meridian.example", out.getvalue())
        self.assertTrue(Profile.objects.filter(user__email="member@meridian.example").exists())
        self.assertTrue(Document.objects.filter(organisation=org).exists())
        self.assertFalse(Organisation.objects.filter(slug="northwind").exists())

    def test_it_refuses_sizes_it_cannot_build(self) -> None:
        for people in ("0", "1000000"):
            with self.assertRaises(CommandError):
                call_command("demo", "--people", people, "--days", "10")
