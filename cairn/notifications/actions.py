"""Every change to notifications, follows and email settings goes through these functions.

Following is something a person does to a colleague, so it is recorded in the ledger. Reading a
notification and choosing email settings change only the person's own inbox: they are not acts
towards anyone, nothing reads them from the ledger, and recording every click would bury the
activity that matters, so these actions change rows without an event.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.checks import organisation_id_of
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.notifications.describe import ANONYMOUS, SILENT, category_of, text_for
from cairn.notifications.links import object_of, title_of, url_of
from cairn.notifications.models import (
    Category,
    Digest,
    EmailSettings,
    Follow,
    Notification,
    SentDigest,
)
from cairn.people.models import Profile, User
from cairn.visibility import viewers

log = logging.getLogger(__name__)


# --- Delivering notifications -----------------------------------------------------------------


@dataclass
class Note:
    """A notification to create: for whom, why (unique key), what it says and where it leads."""

    recipient_id: int
    key: str
    category: str
    text: str
    url: str = ""
    event_id: int | None = None
    created_at: datetime | None = None


def do_notify(organisation_id: int, notes: Iterable[Note]) -> int:
    """Create notifications, skipping any the recipient already has (same key). Return count."""
    rows = [
        Notification(
            organisation_id=organisation_id,
            recipient_id=note.recipient_id,
            key=note.key[:120],
            category=note.category,
            text=note.text[:300],
            url=note.url[:300],
            event_id=note.event_id,
            created_at=note.created_at or timezone.now(),
        )
        for note in notes
    ]
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def recipients_of(event: Event) -> set[int]:
    """Return the ids of the people an event concerns: its subject, and anyone its action named
    in ``context["notify"]`` (or ``["directed_to"]``, a request for help) — never the actor."""
    ids: set[int] = set()
    if event.verb in SILENT:
        return ids
    if event.subject_id:
        ids.add(event.subject_id)
    context = event.context or {}
    named = [*(context.get("notify") or []), *(context.get("directed_to") or [])]
    for raw in named:
        try:
            ids.add(int(raw))
        except (TypeError, ValueError):
            continue
    ids.discard(event.actor_id)
    return ids


def do_deliver_event(event: Event) -> int:
    """Notify everyone an event concerns; the ledger listener calls this after commit.

    Someone who may not see the event's object still hears of the event, without its title or
    link.
    """
    wanted = recipients_of(event)
    if not wanted:
        return 0
    recipients = list(
        User.objects.filter(pk__in=wanted, organisation_id=event.organisation_id, is_active=True)
    )
    if not recipients:
        return 0
    anonymous = event.verb in ANONYMOUS
    obj = None if anonymous else object_of(event)
    actor_name = "" if anonymous else _actor_name(event)
    title = title_of(obj)  # a person's name is already in the text; other objects follow it
    url = url_of(obj)
    category = category_of(event.verb)
    notes = []
    seeing = viewers(obj, recipients)
    for person in recipients:
        sees = person.pk in seeing
        text = text_for(event, actor_name, title if sees else "")
        key = f"event:{event.pk}"
        notes.append(
            Note(person.pk, key, category, text, url if sees else "", event.pk, event.time)
        )
    return do_notify(event.organisation_id, notes)


def _actor_name(event: Event) -> str:
    """Return the name of the event's actor: from the profile read with them if it was (the
    signed-in person, recorded as the actor of what they did), else from the database."""
    if not event.actor_id:
        return ""
    actor = event.actor if Event.actor.is_cached(event) else None
    if actor is not None and User.profile.is_cached(actor):
        profile = getattr(actor, "profile", None)  # a person without one is cached as None
        return profile.name if profile is not None else ""
    names = Profile.objects.filter(user_id=event.actor_id).values_list("name", flat=True)
    return names.first() or ""


def on_event_committed(sender: Any, event: Event, **kwargs: Any) -> None:
    """Listener on ``event_committed``: notifications must never break the action that ran."""
    try:
        do_deliver_event(event)
    except Exception:
        log.exception("Could not deliver notifications for event %s", event.pk)


# --- Reading -----------------------------------------------------------------------------------


def do_mark_read(notification: Notification, now: datetime | None = None) -> Notification:
    """Mark one of a person's notifications read (again is harmless)."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def do_mark_all_read(user: User, now: datetime | None = None) -> int:
    """Mark all of a person's notifications read. Return how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- Following ---------------------------------------------------------------------------------


def check_follow(follower: User, followed: User) -> None:
    """Refuse following oneself or someone outside one's organisation."""
    if followed.pk == follower.pk:
        raise ActionError("You cannot follow yourself.", field="handle")
    if follower.organisation_id is None or followed.organisation_id != follower.organisation_id:
        raise ActionError("No such colleague.", field="handle", status=404)


def do_follow(follower: User, followed: User, now: datetime | None = None) -> Follow:
    """Follow a colleague; following again changes nothing and records nothing."""
    check_follow(follower, followed)
    now = now or timezone.now()
    with transaction.atomic():
        follow, created = Follow.objects.get_or_create(
            follower=follower,
            followed=followed,
            defaults={"organisation_id": organisation_id_of(follower), "created_at": now},
        )
        if created:
            record(Verb.FOLLOWED, actor=follower, subject=followed, obj=followed.profile, time=now)
    return follow


def do_unfollow(follower: User, followed: User) -> bool:
    """Stop following a colleague. Return whether they were followed."""
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(follower=follower, followed=followed).delete()
        if deleted:
            record(Verb.UNFOLLOWED, actor=follower, subject=followed, obj=followed.profile)
    return bool(deleted)


# --- Email settings and digests ----------------------------------------------------------------


def email_settings_of(user: User) -> EmailSettings:
    """Return a person's email settings, unsaved defaults if they never chose."""
    found = EmailSettings.objects.filter(user=user).first()
    return found or EmailSettings(user=user)


def do_update_email_settings(
    user: User, *, digest: str, categories: Iterable[str]
) -> EmailSettings:
    """Choose how often digests come and which kinds of notification they carry."""
    if digest not in Digest.values:
        raise ActionError(f"Digest must be one of {', '.join(Digest.values)}.", field="digest")
    chosen = list(dict.fromkeys(categories))
    unknown = [c for c in chosen if c not in Category.values]
    if unknown:
        raise ActionError(f"Unknown kind of notification {unknown[0]!r}.", field="categories")
    with transaction.atomic():
        found, _ = EmailSettings.objects.select_for_update().get_or_create(user=user)
        found.digest = digest
        found.categories = [c for c in Category.values if c in chosen]
        found.save(update_fields=["digest", "categories", "updated_at"])
    return found


DIGEST_LOOKBACK = timedelta(days=14)


def period_key(period: str, now: datetime) -> str:
    """Return the key of the period ``now`` falls in: "2026-11-26" or "2026-W48" (UTC)."""
    day = now.astimezone(UTC).date()
    if period == Digest.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_recipients(period: str) -> list[User]:
    """Return the active people who chose this digest period (weekly is the default)."""
    people = User.objects.filter(is_active=True, organisation__isnull=False)
    if period == Digest.WEEKLY:
        people = people.exclude(email_settings__digest__in=[Digest.DAILY, Digest.NEVER])
    else:
        people = people.filter(email_settings__digest=period)
    return list(people.select_related("email_settings", "profile"))


def do_send_digests(period: str, now: datetime | None = None) -> int:
    """Email each person who wants it a digest of their unread notifications, at most once per
    period (a second run in the same period sends nothing). Return how many emails were sent."""
    if period not in (Digest.DAILY, Digest.WEEKLY):
        raise ActionError("The period is daily or weekly.", field="period")
    now = now or timezone.now()
    key = period_key(period, now)
    # Anything unread and not yet emailed, from the last fortnight: a digest skipped (no
    # preference then, a failed run) catches up; older news is stale.
    since = now - DIGEST_LOOKBACK
    people = {p.pk: p for p in digest_recipients(period)}
    already = set(
        SentDigest.objects.filter(user_id__in=people, period=period, period_key=key).values_list(
            "user_id", flat=True
        )
    )
    pending: dict[int, list[Notification]] = {}
    for note in Notification.objects.filter(
        recipient_id__in=set(people) - already,
        read_at__isnull=True,
        emailed_at__isnull=True,
        created_at__gte=since,
        created_at__lte=now,
    ).order_by("-created_at"):
        pending.setdefault(note.recipient_id, []).append(note)
    sent = 0
    for user_id, notes in pending.items():
        person = people[user_id]
        prefs = getattr(person, "email_settings", None) or EmailSettings(user=person)
        notes = [n for n in notes if prefs.wants(n.category)]
        if notes and _send_digest(person, period, key, notes, now):
            sent += 1
    return sent


def _send_digest(
    person: User, period: str, key: str, notes: list[Notification], now: datetime
) -> bool:
    try:
        with transaction.atomic():
            SentDigest.objects.create(
                user=person, period=period, period_key=key, sent_at=now, count=len(notes)
            )
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
            context = {
                "person": person,
                "notes": notes,
                "period": "today" if period == Digest.DAILY else "this week",
                "site_url": settings.SITE_URL.rstrip("/"),
            }
            message = EmailMultiAlternatives(
                subject=f"[Cairn] {len(notes)} thing{'s' if len(notes) != 1 else ''} "
                f"for you {context['period']}",
                body=render_to_string("notifications/digest.txt", context),
                to=[person.email],
            )
            message.attach_alternative(
                render_to_string("notifications/digest.html", context), "text/html"
            )
            message.send()
    except IntegrityError:  # another run sent this period's digest first
        return False
    return True
