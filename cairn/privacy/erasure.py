"""Account erasure: remove or anonymise every row that names a person, keep the ledger whole.

The account row becomes the person's *tombstone*: the same id, so every ledger event keeps its
actor and subject (the history stays consistent and colleagues' trust, computed from it, does
not move), but no name, email, handle or sign-in. What the person kept for themselves (goals,
notes, profile, notifications, tokens, exports) is deleted; what they wrote into other people's
conversations (a request others answered, a thread others replied to) stays as a placeholder,
so nothing of anyone else's is cascade-deleted. Finally every text column of every table is
swept for the person's name, email and handle (a colleague's notification "Bob thanked you").
"""

import functools
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import AuditEntry
from cairn.calendars.models import CalendarFeed
from cairn.commitments.models import Commitment, Renegotiation
from cairn.communities.models import Community, Membership, Reply, Resource, Thread
from cairn.disputes.models import Dispute
from cairn.exchange.models import Comment, Credit, HelpRequest, Post, Response, Thanks
from cairn.learning.models import Feedback, Goal, Reflection, Relationship, RelationshipMember
from cairn.learning.models import Session as LearningSession
from cairn.ledger.models import Event
from cairn.ledger.record import rewrite_contexts
from cairn.matching.models import Participant, Program
from cairn.notifications.models import EmailSettings, Follow, Notification, SentDigest
from cairn.people.models import ApiToken, Invitation, Organisation, Profile, User
from cairn.privacy.models import DataExport
from cairn.search import index as search_index
from cairn.search.models import Kind
from cairn.trust.models import TrustProfile, TrustSnapshot

#: What stands where a person's words were, in rows other people still need.
REMOVED = "[removed]"
#: How the tombstone is named, and what replaces the person's name in other people's text.
TOMBSTONE_NAME = "Former member"
NAME_REPLACEMENT = "a former member"
#: Ledger context keys whose string values are codes, not words; any other string goes.
CODE_KEYS = frozenset(
    {
        "kind",
        "role",
        "visibility",
        "outcome",
        "policy",
        "status",
        "context",
        "target",
        "url",
        "objective",
        "fields",
        "changed",
    }
)
#: Rows handled by their own sanctioned path (append-only), not by the generic sweep.
APPEND_ONLY = (Event, AuditEntry)


@dataclass(frozen=True)
class Identity:
    """What identified a person before erasure, and what replaces each piece."""

    organisation_id: int | None
    name: str
    email: str
    handle: str
    tombstone_email: str
    tombstone_handle: str

    def replacements(self) -> list[tuple[re.Pattern[str], str]]:
        """Return (pattern, replacement) pairs, longest first, for the person's identifiers."""
        pairs = [
            (re.escape(self.email), self.tombstone_email),
            (rf"(?<![\w.-]){re.escape(self.handle)}(?![\w-])", self.tombstone_handle),
            (rf"(?<!\w){re.escape(self.name)}(?!\w)", NAME_REPLACEMENT),
        ]
        return [(re.compile(p, re.IGNORECASE), r) for p, r in pairs if p]

    def where_mentioned(self, model: type[models.Model]) -> Q | None:
        """Return the condition for rows of ``model`` that mention the person (None if it has
        no text): their email anywhere (it is unique), their name or handle only within their
        organisation (a namesake elsewhere is someone else)."""
        fields = text_fields(model)
        if not fields:
            return None
        condition = _any_holds(fields, [self.email])
        path = organisation_path(model)
        local = [n for n in (self.handle, self.name) if n]
        if path is not None and local and self.organisation_id is not None:
            condition |= Q(**{path: self.organisation_id}) & _any_holds(fields, local)
        return condition


def identity_of(person: User) -> Identity:
    """Return the person's identifiers and fresh tombstone ones."""
    profile = Profile.objects.filter(user=person).first()
    token = secrets.token_hex(6)
    return Identity(
        organisation_id=person.organisation_id,
        name=profile.name.strip() if profile else "",
        email=person.email,
        handle=profile.handle if profile else "",
        tombstone_email=f"erased-{token}@erased.invalid",
        tombstone_handle=f"former-{token}",
    )


def erase_person(person: User) -> Identity:
    """Erase ``person`` (inside the caller's transaction, their row locked); return who they
    were, so the caller can say what it did without naming them."""
    identity = identity_of(person)
    indexed = _searchable_words_of(person)
    _delete_what_was_theirs(person)
    _withdraw_their_words(person)
    _become_tombstone(person, identity)
    _rewrite_ledger(person, identity)
    _sweep(identity)
    for kind, ids in indexed.items():
        for pk in ids:
            search_index.index(kind, pk)
    replacements = identity.replacements()
    audit.forget(
        person,
        identity.where_mentioned(AuditEntry),
        lambda value: replace_identifiers(value, replacements),
    )
    return identity


def _searchable_words_of(person: User) -> dict[str, list[int]]:
    """Return the search rows that hold the person's words, by kind, to re-index once they are
    gone (the rewrites below skip the signals that keep the index in step)."""
    answered = Response.objects.filter(responder=person).values_list("help_request_id", flat=True)
    asked = HelpRequest.objects.filter(asker=person).values_list("pk", flat=True)
    return {
        Kind.PERSON: list(Profile.objects.filter(user=person).values_list("pk", flat=True)),
        Kind.POST: list(Post.objects.filter(author=person).values_list("pk", flat=True)),
        Kind.REQUEST: sorted({*asked, *answered}),
        Kind.THREAD: list(Thread.objects.filter(author=person).values_list("pk", flat=True)),
        Kind.RESOURCE: list(Resource.objects.filter(shared_by=person).values_list("pk", flat=True)),
        Kind.GOAL: list(Goal.objects.filter(owner=person).values_list("pk", flat=True)),
    }


#: The models whose rows are the person's own, by the field that names the person.
_THEIR_OWN: dict[str, tuple[type[models.Model], ...]] = {
    "owner": (Goal,),
    "author": (Reflection,),
    "receiver": (Feedback,),
    "recipient": (Credit, Thanks, Notification),
    "shared_by": (Resource,),
    "user": (Membership, EmailSettings, SentDigest, TrustProfile, TrustSnapshot, CalendarFeed)
    + (ApiToken, EmailAddress, SocialAccount, Authenticator, HelpRequest.directed_to.through),
}


def _delete_what_was_theirs(person: User) -> None:
    """Delete the rows that were the person's own and that nobody else's rows hang on."""
    for field, owned in _THEIR_OWN.items():
        for model in owned:
            model._default_manager.filter(**{field: person}).delete()
    Relationship.objects.filter(
        Q(requested_by=person) | Q(addressee=person),
        status=Relationship.Status.REQUESTED,
    ).delete()
    Notification.objects.filter(event__actor=person).delete()
    Follow.objects.filter(Q(follower=person) | Q(followed=person)).delete()
    # Replayable API responses; by name, as the API app imports this one.
    apps.get_model("api", "IdempotentRequest").objects.filter(user=person).delete()
    Invitation.objects.filter(email__iexact=person.email).delete()
    DataExport.objects.filter(Q(person=person) | Q(requested_by=person)).delete()


def _withdraw_their_words(person: User) -> None:
    """Replace what the person wrote in rows other people still need by a placeholder."""
    now = timezone.now()
    Relationship.objects.filter(requested_by=person).update(message=REMOVED)
    Relationship.objects.filter(addressee=person).update(decline_reason="")
    RelationshipMember.objects.filter(user=person).update(closing_reflection="")
    LearningSession.objects.filter(logged_by=person).update(shared_notes="", private_notes="")
    Feedback.objects.filter(giver=person).update(comment="")
    HelpRequest.objects.filter(asker=person).update(title=REMOVED, details="")
    Response.objects.filter(responder=person).update(body=REMOVED)
    Post.objects.filter(author=person).update(title=REMOVED, body=REMOVED, learned="")
    Comment.objects.filter(author=person).update(body=REMOVED)
    Credit.objects.filter(giver=person).update(line=REMOVED)
    Thanks.objects.filter(sender=person).update(note=REMOVED)
    made = Commitment.objects.filter(committer=person)
    Renegotiation.objects.filter(commitment__in=made).update(reason=REMOVED)
    made.filter(status=Commitment.Status.OPEN).update(
        status=Commitment.Status.CANCELLED, closed_at=now
    )
    made.update(text=REMOVED)
    Commitment.objects.filter(closed_by=person).update(close_note="")
    Commitment.objects.filter(counterpart=person, status=Commitment.Status.OPEN).update(
        status=Commitment.Status.CANCELLED, closed_at=now
    )
    Thread.objects.filter(author=person).update(title=REMOVED, body=REMOVED)
    Reply.objects.filter(author=person).update(body=REMOVED)
    Community.objects.filter(created_by=person).update(created_by=None)
    Dispute.objects.filter(opened_by=person).update(reason=REMOVED)
    Dispute.objects.filter(resolved_by=person).update(outcome_reason="")
    Participant.objects.filter(user=person).update(answers={}, goal_text="", picks=[])
    Program.objects.filter(created_by=person).update(created_by=None)
    Program.objects.filter(run_by=person).update(run_by=None)
    Invitation.objects.filter(invited_by=person).update(invited_by=None)
    Profile.objects.filter(manager__user=person).update(manager=None)


def _become_tombstone(person: User, identity: Identity) -> None:
    """Turn the account into the tombstone: same id, nothing that names or signs in anyone."""
    person.email = identity.tombstone_email
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.role = User.Role.MEMBER
    person.save(
        update_fields=["email", "password", "is_active", "is_staff", "is_superuser", "role"]
    )
    person.groups.clear()
    person.user_permissions.clear()
    profile = Profile.objects.filter(user=person).first()
    if profile is None:
        return
    profile.offers.clear()
    profile.wants.clear()
    Profile.objects.filter(pk=profile.pk).update(
        handle=identity.tombstone_handle,
        name=TOMBSTONE_NAME,
        title="",
        department=None,
        manager=None,
        location="",
        timezone="UTC",
        languages=[],
        bio="",
        open_to_mentor=False,
        open_to_be_mentored=False,
        open_to_peer=False,
    )


def scrub_context(value: Any, key: str = "") -> Any:
    """Return a ledger context with every free-text string replaced by ``REMOVED``; numbers,
    ids and codes (under :data:`CODE_KEYS`) stay, so readers of the ledger still work."""
    if isinstance(value, dict):
        return {k: scrub_context(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_context(v, key) for v in value]
    if isinstance(value, str) and key not in CODE_KEYS:
        return REMOVED
    return value


def replace_identifiers(value: Any, replacements: list[tuple[re.Pattern[str], str]]) -> Any:
    """Return ``value`` (text or JSON) with the person's identifiers replaced."""
    if isinstance(value, str):
        for pattern, replacement in replacements:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, dict):
        return {k: replace_identifiers(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_identifiers(v, replacements) for v in value]
    return value


def _rewrite_ledger(person: User, identity: Identity) -> None:
    """Take the person's words and identifiers out of the ledger; keep every event."""
    replacements = identity.replacements()
    contexts: dict[int, dict[str, Any]] = {}
    own = Event.objects.filter(actor=person).exclude(context={})
    for pk, context in own.values_list("pk", "context").iterator():
        contexts[pk] = scrub_context(context)
    mentions = identity.where_mentioned(Event)
    for pk, context in Event.objects.filter(mentions).values_list("pk", "context"):
        contexts[pk] = replace_identifiers(contexts.get(pk, context), replacements)
    original = dict(Event.objects.filter(pk__in=list(contexts)).values_list("pk", "context"))
    rewrite_contexts({pk: c for pk, c in contexts.items() if c != original.get(pk)})


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """Return the concrete columns of ``model`` that hold text (or JSON that may)."""
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.choices]


def _any_holds(fields: list[models.Field], needles: list[str]) -> Q:
    condition = Q()
    for field in fields:
        for needle in needles:
            condition |= Q(**{f"{field.attname}__icontains": needle})
            escaped = json.dumps(needle)[1:-1]
            if isinstance(field, models.JSONField) and escaped != needle:
                # SQLite keeps JSON with non-ASCII letters escaped ("Zo\u00eb").
                condition |= Q(**{f"{field.attname}__icontains": escaped})
    return condition


@functools.cache
def organisation_path(model: type[models.Model], depth: int = 3) -> str | None:
    """Return the lookup from ``model`` to its organisation's id (e.g.
    ``"thread__community__organisation_id"``), following foreign keys; None if it has none."""
    if model is Organisation:
        return "pk"
    paths: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(depth):
        further = []
        for current, prefix in paths:
            for field in current._meta.concrete_fields:
                target = field.related_model if field.is_relation else None
                if target is None or target is ContentType:
                    continue
                if target is Organisation:
                    return f"{prefix}{field.name}_id"
                further.append((target, f"{prefix}{field.name}__"))
        paths = further
    return None


def _sweep(identity: Identity) -> None:
    """Replace the person's email in every text column of every table, and their name and
    handle in every one of their organisation's."""
    replacements = identity.replacements()
    for model in apps.get_models():
        if issubclass(model, APPEND_ONLY) or model._meta.proxy or not model._meta.managed:
            continue
        mentioned = identity.where_mentioned(model)
        if mentioned is None:
            continue
        fields = text_fields(model)
        for row in model._base_manager.filter(mentioned).iterator():
            changes = {}
            for field in fields:
                before = getattr(row, field.attname)
                after = replace_identifiers(before, replacements)
                if after != before:
                    changes[field.attname] = after
            if changes:
                model._base_manager.filter(pk=row.pk).update(**changes)
