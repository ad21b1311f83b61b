"""Everything Cairn holds about one person, as tables of plain values.

What other people wrote is included only where the person could read it in Cairn anyway
(a reply to their request, a session note of their own relationship), and nothing says who
gave which feedback: feedback received is counted and averaged, never listed.
"""

import io
import json
import zipfile
from typing import Any

from django.db.models import F, Q, QuerySet

from cairn.audit.models import AuditEntry
from cairn.calendars.models import CalendarFeed
from cairn.commitments.models import Commitment, Renegotiation
from cairn.communities.models import Membership, Reply, Resource, Thread
from cairn.disputes.models import Dispute
from cairn.exchange.models import Comment, Credit, HelpRequest, Post, Response, Thanks
from cairn.learning.actions.feedback import feedback_summary
from cairn.learning.models import (
    Feedback,
    Goal,
    Milestone,
    Reflection,
    Relationship,
    RelationshipMember,
    Session,
)
from cairn.ledger.models import Event
from cairn.matching.models import Match, Participant, Program
from cairn.notifications.describe import ANONYMOUS
from cairn.notifications.models import EmailSettings, Follow, Notification
from cairn.people.models import ApiToken, Profile, User
from cairn.spreadsheet import csv_lines
from cairn.trust.models import TrustProfile, TrustSnapshot

Table = list[dict[str, Any]]


def _rows(queryset: QuerySet, fields: str = "", **renamed: str) -> Table:
    """Return ``queryset`` as dicts of ``fields`` (names separated by spaces) and ``renamed``
    (column -> lookup)."""
    values = {k: F(v) for k, v in renamed.items()}
    rows = queryset.order_by("pk").values(*fields.split(), **values)
    return [dict(row) for row in rows]


def profile_table(person: User) -> Table:
    """Return the person's account and profile, one row."""
    profile = Profile.objects.filter(user=person).select_related("department", "manager").first()
    row: dict[str, Any] = {
        "email": person.email,
        "role": person.role,
        "joined": person.date_joined,
        "organisation": person.organisation.name if person.organisation else "",
    }
    if profile is not None:
        row |= {
            "handle": profile.handle,
            "name": profile.name,
            "title": profile.title,
            "department": profile.department.name if profile.department else "",
            "manager": profile.manager.name if profile.manager else "",
            "location": profile.location,
            "timezone": profile.timezone,
            "languages": profile.languages,
            "bio": profile.bio,
            "offers": sorted(profile.offers.values_list("name", flat=True)),
            "wants": sorted(profile.wants.values_list("name", flat=True)),
            "open_to_mentor": profile.open_to_mentor,
            "open_to_be_mentored": profile.open_to_be_mentored,
            "open_to_peer": profile.open_to_peer,
            "mentoring_capacity": profile.mentoring_capacity,
        }
    return [row]


def _relationship_tables(person: User) -> dict[str, Table]:
    mine = Relationship.objects.filter(members__user=person)
    relationships = _rows(
        mine,
        "id kind status goal_id message decline_reason created_at",
        requested_by_name="requested_by__profile__name",
        addressee_name="addressee__profile__name",
    )
    members = _rows(
        RelationshipMember.objects.filter(relationship__in=mine),
        "relationship_id role",
        name="user__profile__name",
    )
    own_reflection = dict(
        RelationshipMember.objects.filter(user=person).values_list(
            "relationship_id", "closing_reflection"
        )
    )
    for row in relationships:
        row["members"] = [m["name"] for m in members if m["relationship_id"] == row["id"]]
        row["my_closing_reflection"] = own_reflection.get(row["id"], "")
    sessions = _rows(
        Session.objects.filter(relationship__in=mine),
        "id relationship_id held_at duration_minutes shared_notes private_notes created_at",
        logged_by_name="logged_by__profile__name",
    )
    return {"relationships": relationships, "sessions": sessions}


def _exchange_tables(person: User) -> dict[str, Table]:
    return {
        "help_requests": _rows(
            HelpRequest.objects.filter(asker=person), "id title details status created_at"
        ),
        "responses": _rows(
            Response.objects.filter(Q(responder=person) | Q(help_request__asker=person)),
            "id help_request_id body helpful accepted created_at",
            responder_name="responder__profile__name",
        ),
        "posts": _rows(Post.objects.filter(author=person), "id kind title body learned"),
        "comments": _rows(
            Comment.objects.filter(Q(author=person) | Q(post__author=person)),
            "id post_id body created_at",
            author_name="author__profile__name",
        ),
        "credits": _rows(
            Credit.objects.filter(Q(giver=person) | Q(recipient=person)),
            "id line created_at",
            giver_name="giver__profile__name",
            recipient_name="recipient__profile__name",
        ),
        "thanks": _rows(
            Thanks.objects.filter(Q(sender=person) | Q(recipient=person)),
            "id note created_at",
            sender_name="sender__profile__name",
            recipient_name="recipient__profile__name",
        ),
    }


def _commitment_tables(person: User) -> dict[str, Table]:
    theirs = Commitment.objects.filter(Q(committer=person) | Q(counterpart=person))
    return {
        "commitments": _rows(
            theirs,
            "id text due_at status created_at closed_at close_note",
            committer_name="committer__profile__name",
            counterpart_name="counterpart__profile__name",
        ),
        "renegotiations": _rows(
            Renegotiation.objects.filter(commitment__in=theirs),
            "commitment_id old_due_at new_due_at reason created_at",
        ),
    }


def _community_tables(person: User) -> dict[str, Table]:
    return {
        "community_memberships": _rows(
            Membership.objects.filter(user=person),
            "community_id role status message",
            community_name="community__name",
        ),
        "threads": _rows(Thread.objects.filter(author=person), "id community_id title body"),
        "replies": _rows(Reply.objects.filter(author=person), "id thread_id body"),
        "resources": _rows(Resource.objects.filter(shared_by=person), "id community_id title note"),
    }


def _feedback_tables(person: User) -> dict[str, Table]:
    summary = feedback_summary(person)
    received = {"count": summary["count"], "shown_from": summary["needed"]}
    averages = summary["averages"]  # a dict of averages, or None below the threshold
    if isinstance(averages, dict):
        received |= averages
    given = _rows(
        Feedback.objects.filter(giver=person),
        " ".join(["id", *Feedback.DIMENSIONS, "comment", "created_at"]),
        receiver_name="receiver__profile__name",
    )
    return {"feedback_received": [received], "feedback_given": given}


def _ledger_table(person: User) -> Table:
    """Return the events the person did or was the subject of. Where the actor must stay
    unknown (who gave feedback), the actor, value and context are left out."""
    rows = []
    events = Event.objects.filter(Q(actor=person) | Q(subject=person)).order_by("time", "pk")
    for event in events.values(
        "id",
        "time",
        "verb",
        "actor_id",
        "object_type",
        "object_id",
        "value",
        "context",
        actor_name=F("actor__profile__name"),
        subject_name=F("subject__profile__name"),
    ):
        hidden = event["actor_id"] != person.pk and event["verb"] in ANONYMOUS
        if event["actor_id"] != person.pk:
            event["context"] = {}
        if hidden:
            event |= {"actor_name": "", "value": None}
        row = dict(event)
        del row["actor_id"]
        rows.append(row)
    return rows


def _matching_tables(person: User) -> dict[str, Table]:
    published = Match.objects.filter(program__status=Program.Status.PUBLISHED)
    return {
        "program_signups": _rows(
            Participant.objects.filter(user=person),
            "program_id role answers capacity goal_text created_at",
            program_name="program__name",
        ),
        "program_matches": _rows(
            published.filter(Q(mentee__user=person) | Q(mentor__user=person)),
            "program_id score reasons",
            mentee_name="mentee__user__profile__name",
            mentor_name="mentor__user__profile__name",
        ),
    }


def person_tables(person: User) -> dict[str, Table]:
    """Return every table of the person's data, by name."""
    goals = Goal.objects.filter(owner=person)
    trust = TrustProfile.objects.filter(user=person)
    return {
        "profile": profile_table(person),
        "goals": _rows(goals, "id title why visibility status closing_reflection"),
        "milestones": _rows(Milestone.objects.filter(goal__in=goals), "goal_id title"),
        "reflections": _rows(
            Reflection.objects.filter(Q(author=person) | Q(goal__in=goals)),
            "goal_id text",
            author_name="author__profile__name",
        ),
        **_relationship_tables(person),
        **_exchange_tables(person),
        **_commitment_tables(person),
        **_community_tables(person),
        **_feedback_tables(person),
        **_matching_tables(person),
        "disputes": _rows(
            Dispute.objects.filter(opened_by=person), "id event_id reason status outcome_reason"
        ),
        "notifications": _rows(
            Notification.objects.filter(recipient=person), "id category text url created_at"
        ),
        "following": _rows(
            Follow.objects.filter(follower=person), followed_name="followed__profile__name"
        ),
        "email_settings": _rows(EmailSettings.objects.filter(user=person), "digest categories"),
        "api_tokens": _rows(
            ApiToken.objects.filter(user=person), "name prefix created_at last_used_at"
        ),
        "calendar_link": _rows(
            CalendarFeed.objects.filter(user=person), "prefix created_at last_polled_at"
        ),
        "ledger_events": _ledger_table(person),
        "trust": _rows(
            trust,
            "trust confidence generosity courage integrity responsiveness explanation computed_at",
        ),
        "trust_history": _rows(
            TrustSnapshot.objects.filter(user=person).order_by("week"),
            "week trust confidence known",
        ),
        "security_log": _rows(
            AuditEntry.objects.filter(actor=person), "created_at action target ip"
        ),
    }


README = """Everything Cairn holds about you, as of {when}.

data.json has every table; each table is also a CSV file of the same name. Feedback you
received is given as a count and averages only, so nobody's rating can be told apart.
"""


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def person_archive(person: User, when: str) -> bytes:
    """Return a zip of ``person_tables`` as data.json and one CSV per table."""
    tables = person_tables(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=when))
        archive.writestr(
            "data.json",
            json.dumps(tables, default=_json_default, ensure_ascii=False, indent=2),
        )
        for name, rows in tables.items():
            header = sorted({key for row in rows for key in row})
            lines = csv_lines(header, ([row.get(key) for key in header] for row in rows))
            archive.writestr(f"{name}.csv", "".join(lines))
    return buffer.getvalue()
