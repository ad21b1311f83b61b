"""Tenant isolation, by construction and by test: walk every URL pattern of the site as someone
from another organisation (and as a visitor who is not signed in) and check that nothing of the
organisation under test shows.

When a new URL takes a parameter, add a value for it to ``object_values`` below, pointing at
something that belongs to Acme; the walk fails until every parameter of every pattern is known.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.commitments.models import Commitment
from cairn.communities.actions import do_create_community, do_join, do_start_thread
from cairn.communities.models import Community, Membership, Thread
from cairn.disputes.actions import do_open_dispute
from cairn.disputes.models import Dispute
from cairn.disputes.tests.helpers import missed_commitment
from cairn.exchange.actions import do_ask, do_respond, do_share_post
from cairn.exchange.models import HelpRequest, Post, Response
from cairn.learning.actions import (
    do_accept,
    do_add_milestone,
    do_log_session,
    do_propose_session,
    do_request_relationship,
    do_set_goal,
)
from cairn.learning.models import CheckIn, Goal, Milestone, Relationship, Session, SessionProposal
from cairn.ledger.models import Event
from cairn.matching.actions import do_create_program
from cairn.matching.models import Program
from cairn.moderation.actions import do_flag
from cairn.moderation.models import ModeratedItem
from cairn.notifications.actions import Note, do_notify
from cairn.notifications.models import Notification
from cairn.people.actions import do_create_api_token, do_invite, do_update_profile
from cairn.people.models import ApiToken, Invitation
from cairn.privacy.actions import do_request_data_export
from cairn.privacy.building import do_build_data_export
from cairn.privacy.models import DataExport
from cairn.safeguards.models import RingFlag
from cairn.testing import CairnTestCase
from cairn.trust.adapter import recompute_organisation
from cairn.webhooks.actions import do_add_webhook
from cairn.webhooks.models import Endpoint

#: Text that exists only in Acme's data; none of it may reach an outsider.
MARKERS = (
    "Alice Archer",
    "alice.archer@acme.example",
    "Acme Learning",
    "Quokka-secret-bio",
    "Stakeholder management",
    "Head of Data",
    "Quokka-secret-promise",
    "Quokka-secret-note",
)

#: Views written for Cairn (its own and its API's). Every other URL (Django admin, allauth)
#: carries no Acme object in its parameters, but must still show nothing of Acme.
OWN_MODULES = ("cairn.", "ninja.")

#: Parameters that are bearer secrets meant for people outside the organisation (an invitation
#: link): an outsider holding one may follow it, but must still see nothing of the organisation.
BEARER_PARAMS = {"token"}


@dataclass
class Route:
    path_template: str
    callback: object
    name: str


def walk(patterns: list, prefix: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry.callback, entry.name or "")


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>(?P<body>[^)]*\)?)\)")


def module_of(callback: object) -> str:
    wrapped = getattr(callback, "__wrapped__", callback)
    owner = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or wrapped
    return getattr(owner, "__module__", "") or ""


class OutsiderWalkTest(CairnTestCase):
    token: ApiToken
    missed: Event
    invitation: Invitation
    commitment: Commitment
    notification: Notification
    community: Community
    thread: Thread
    membership: Membership
    goal: Goal
    milestone: Milestone
    relationship: Relationship
    session: Session
    help_request: HelpRequest
    response: Response
    post: Post
    program: Program
    ring: RingFlag
    dispute: Dispute
    check_in: CheckIn
    proposal: SessionProposal
    webhook: Endpoint
    moderated: ModeratedItem
    data_export: DataExport

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_update_profile(cls.alice, bio="Quokka-secret-bio")
        cls.token, _ = do_create_api_token(cls.alice, "Acme script")
        cls.invitation = do_invite(cls.alice, "newcomer@acme.example")
        in_a_week = timezone.now() + timedelta(days=7)
        cls.commitment = do_commit(cls.alice, cls.bob, "Quokka-secret-promise", in_a_week)
        note = Note(cls.alice.pk, "outsiders", "people", "Quokka-secret-note", "/home/")
        do_notify(cls.acme.pk, [note])
        cls.notification = cls.alice.notifications.get()
        cls.community = do_create_community(cls.alice, "Acme Learning circle", policy="approval")
        cls.thread = do_start_thread(cls.alice, cls.community, "Head of Data notes", "Quokka")
        cls.membership = do_join(cls.bob, cls.community)
        cls.goal = do_set_goal(
            cls.alice, "Learn Rust", why="Quokka-secret-bio", visibility="organisation"
        )
        cls.milestone = do_add_milestone(cls.alice, cls.goal, "Read the book")
        cls.relationship = do_request_relationship(cls.alice, cls.bob, "peer", cls.goal, "Pair?")
        do_accept(cls.bob, cls.relationship)
        cls.session = do_log_session(cls.bob, cls.relationship, timezone.now(), 60, "", "Quokka")
        cls.check_in = CheckIn.objects.create(
            relationship=cls.relationship, person=cls.alice, stage="middle"
        )
        cls.proposal = do_propose_session(
            cls.bob, cls.relationship, timezone.now() + timedelta(days=2), 60, "Quokka-secret-note"
        )
        cls.help_request = do_ask(cls.alice, "Head of Data asks", directed_to=[cls.bob])
        cls.response = do_respond(cls.bob, cls.help_request, "Quokka-secret-answer")
        cls.post = do_share_post(cls.alice, "Acme Learning lesson", "x", kind="lesson", learned="y")
        cls.program = do_create_program(
            cls.alice, name="Acme Learning program", opens_at=timezone.now(), closes_at=in_a_week
        )
        cls.ring = RingFlag.objects.create(organisation=cls.acme, key="1,2,3", evidence="Quokka")
        _, cls.missed = missed_commitment(cls.bob, cls.carol, "Quokka-secret-promise kept")
        cls.dispute = do_open_dispute(cls.bob, cls.missed, "Quokka-secret-note")
        with override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True):
            cls.webhook, _ = do_add_webhook(
                cls.alice,
                url="http://127.0.0.1:9/hook",
                event_types=["asked"],
                description="Acme Learning intranet",
            )
        cls.moderated = do_flag(cls.bob, cls.post, "private", "Quokka-secret-note").item
        cls.data_export = do_request_data_export(cls.alice, cls.alice)
        do_build_data_export(cls.data_export.pk)  # a ready zip full of Alice's data
        recompute_organisation(cls.acme)  # trust profiles to show (or not) on the trust pages

    def object_values(self) -> dict[str, str]:
        """Values for URL parameters that name something of Acme's."""
        return {
            "handle": self.alice.profile.handle,
            "token_id": str(self.token.pk),
            "token": self.invitation.token,
            "slug": self.acme.slug,
            "commitment_id": str(self.commitment.pk),
            "notification_id": str(self.notification.pk),
            "community_id": str(self.community.pk),
            "membership_id": str(self.membership.pk),
            "thread_id": str(self.thread.pk),
            "goal_id": str(self.goal.pk),
            "milestone_id": str(self.milestone.pk),
            "relationship_id": str(self.relationship.pk),
            "session_id": str(self.session.pk),
            "proposal_id": str(self.proposal.pk),
            "check_in_id": str(self.check_in.pk),
            "context_type": "learning.session",
            "context_id": str(self.session.pk),
            "help_request_id": str(self.help_request.pk),
            "response_id": str(self.response.pk),
            "post_id": str(self.post.pk),
            "content_type_id": str(ContentType.objects.get_for_model(self.post).pk),
            "object_id": str(self.post.pk),
            "program_id": str(self.program.pk),
            "target_type": "exchange.post",
            "target_id": str(self.post.pk),
            "ring_id": str(self.ring.pk),
            "event_id": str(self.missed.pk),
            "dispute_id": str(self.dispute.pk),
            "endpoint_id": str(self.webhook.pk),
            "item_id": str(self.moderated.pk),
            "export_id": str(self.data_export.pk),
            # An admin report of Acme's (the members and their emails).
            "report": "members",
            # A calendar feed key is a bearer secret; a wrong one must reveal nothing.
            "feed_key": "cal_not-a-key-of-anyone",
        }

    #: Values for parameters of third-party URLs (nothing of Acme's in them).
    neutral_values = {
        "key": "nokey",
        "uidb36": "1",
        "provider_id": "nothing",
        "organization_slug": "acme",
        "app_label": "people",
        "object_id": "1",
        "content_type_id": "1",
        "url": "x",
        "path": "x",
        "type": "totp",
        "pk": "1",
    }

    def routes(self) -> list[Route]:
        return list(walk(get_resolver().url_patterns))

    def fill(self, route: Route) -> tuple[str, bool]:
        """Return the concrete path for a route and whether it names an Acme object."""
        ours = module_of(route.callback).startswith(OWN_MODULES)
        values = self.object_values()
        names_object = False

        def substitute(match: re.Match[str]) -> str:
            nonlocal names_object
            name = match.group("name") or match.group("rname")
            if ours:
                if name not in values:
                    self.fail(
                        f"URL {route.path_template!r} takes {name!r}: add a value for it to "
                        "object_values() in cairn/tests/test_outsiders.py"
                    )
                names_object = names_object or name not in BEARER_PARAMS
                return values[name]
            return values.get(name) or self.neutral_values.get(name, "x")

        path = PARAM.sub(substitute, route.path_template)
        path = path.replace("^", "").replace("$", "").replace("\\", "")
        return "/" + path, names_object

    def assert_no_leak(self, response, where: str) -> None:
        self.assertLess(response.status_code, 500, f"{where} answered {response.status_code}")
        body = b"".join(response) if response.streaming else response.content
        text = body.decode(errors="replace")
        for marker in MARKERS:
            self.assertFalse(marker in text, f"{where} shows {marker!r} to an outsider")

    def test_every_url_as_someone_from_another_organisation(self) -> None:
        self.client.force_login(self.oscar)
        checked = 0
        for route in self.routes():
            path, names_object = self.fill(route)
            for method in ("get", "post"):
                response = getattr(self.client, method)(path)
                where = f"{method.upper()} {path} ({route.name or route.path_template})"
                self.assert_no_leak(response, where)
                if names_object:
                    self.assertIn(
                        response.status_code, (403, 404, 405), f"{where} must refuse an outsider"
                    )
                checked += 1
            # A fresh session: a sign-out URL may have signed us out, an invitation link may
            # have left its invitation in the session.
            self.client = self.client_class()
            self.client.force_login(self.oscar)
        self.assertGreater(checked, 40)

    def test_every_url_as_a_visitor(self) -> None:
        for route in self.routes():
            path, _ = self.fill(route)
            for method in ("get", "post"):
                response = getattr(self.client, method)(path)
                self.assert_no_leak(response, f"visitor {method.upper()} {path}")
            self.client = self.client_class()

    def test_search_finds_nothing_of_the_organisation(self) -> None:
        """The search URLs take their words as query parameters, which the walk above does not
        send: search every marker's words, by page, ask-form hints and API."""
        words = [*MARKERS, "Quokka", "Learn Rust", "Acme", "Alice", "Archer", "Data"]
        for client_of in ("outsider", "visitor"):
            self.client = self.client_class()
            if client_of == "outsider":
                self.client.force_login(self.oscar)
            for text in words:
                for path, param in (
                    ("/search/", "q"),
                    ("/search/answered/", "title"),
                    ("/api/v1/search", "q"),
                ):
                    response = self.client.get(path, {param: text})
                    where = f"{client_of} GET {path}?{param}={text}"
                    self.assertLess(response.status_code, 500, where)
                    shown = response.content.decode().replace(text, "")  # the words echoed back
                    for marker in MARKERS:
                        self.assertNotIn(marker, shown, f"{where} shows {marker!r}")
                    self.assertNotIn("search-hit", shown, where)
                    if path.startswith("/api/") and client_of == "outsider":
                        self.assertEqual(response.json()["groups"], [])
        self.client.force_login(self.alice)  # the words do find Acme's things, for Acme
        found = self.client.get("/api/v1/search", {"q": "Quokka"}).json()["groups"]
        self.assertEqual({g["kind"] for g in found}, {"thread", "goal"})

    def test_the_api_refuses_outsiders(self) -> None:
        self.client.force_login(self.oscar)
        response = self.client.get("/api/v1/people/alice.archer")
        self.assertEqual(response.status_code, 404)
        response = self.client.get("/api/v1/people", {"q": "alice"})
        self.assertEqual(response.json()["items"], [])
        self.assertNotIn("Stakeholder", self.client.get("/api/v1/skills").content.decode())
