"""Registering webhooks and community chat channels, testing them, and delivering the ledger's
events to them: signed, in order, retried with back-off, switched off after a day of failures."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import check_org_admin, clean_text, organisation_id_of
from cairn.communities.models import Community
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.notifications.actions import Note, do_notify
from cairn.notifications.models import Category
from cairn.outbound import OutboundError, call, check_target, claim
from cairn.people.locking import lock_row
from cairn.people.models import Skill, User
from cairn.webhooks.models import Delivery, Endpoint
from cairn.webhooks.payloads import (
    CHANNEL_EVENT_TYPES,
    EVENT_TYPES,
    Message,
    messages_for,
    slack_body,
    teams_body,
    trial_message,
)

#: Events read from the ledger at a time; one message is sent per event.
BATCH_SIZE = 50
URL_MAX = Endpoint._meta.get_field("url").max_length or 500
#: What switching an endpoint on or off changes.
SWITCH_FIELDS = ("enabled", "failures", "failing_since", "next_attempt_at", "switched_off_at")
#: How long the delivery log keeps an attempt.
LOG_KEPT = timedelta(days=30)
#: How long one sender holds an endpoint before another may take over (a crashed sender).
LEASE = timedelta(minutes=5)
BUSY = "busy or backing off"


@dataclass(frozen=True)
class SendReport:
    """What one send did: messages sent, whether events are left, and the error that stopped it."""

    sent: int
    more: bool = False
    error: str = ""


# --- Checks -----------------------------------------------------------------------------------


def _require_channel_keeper(user: User, community: Community) -> None:
    if community.organisation_id != user.organisation_id:
        raise ActionError("No such community.", status=404)
    if not (user.is_org_admin or community.is_facilitator(user)):
        raise ActionError(
            "Only the community's facilitators and the organisation's admins can set its "
            "chat channel.",
            status=403,
        )


def _require_keeper(user: User, endpoint: Endpoint) -> None:
    """Refuse anyone but the admins (a webhook) or the community's keepers (a channel)."""
    if endpoint.is_channel():
        _require_channel_keeper(user, endpoint.community)  # type: ignore[arg-type]
        return
    check_org_admin(user, "manage webhooks")
    if endpoint.organisation_id != user.organisation_id:
        raise ActionError("No such webhook.", status=404)


def check_url(url: str) -> None:
    """Refuse an address Cairn may not call (too long, not http(s), private or local, unknown
    host)."""
    if len(url) > URL_MAX:
        raise ActionError(f"Please keep the address under {URL_MAX} characters.", field="url")
    try:
        check_target(url)
    except OutboundError as error:
        raise ActionError(error.message, field="url") from error


def check_event_types(
    event_types: Iterable[str], offered: dict[str, str] = EVENT_TYPES
) -> list[str]:
    """Return the chosen event types in a stable order; refuse none, or one not ``offered``."""
    chosen = list(dict.fromkeys(event_types))
    if not chosen:
        raise ActionError("Choose at least one kind of activity to send.", field="event_types")
    unknown = [t for t in chosen if t not in offered]
    if unknown:
        raise ActionError(
            f"{', '.join(unknown)} cannot be sent; choose from the list.", field="event_types"
        )
    return [t for t in offered if t in chosen]


def new_secret() -> str:
    """Return a fresh signing secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _host(url: str) -> str:
    # What the ledger and the audit log keep of an address: a chat URL's path is its secret.
    return urlsplit(url).hostname or ""


def _newest_event_id(organisation_id: int) -> int:
    newest = Event.objects.filter(organisation_id=organisation_id).order_by("-pk")
    return newest.values_list("pk", flat=True).first() or 0


def _log(verb: Verb, action: Action, actor: User, endpoint: Endpoint, **details: Any) -> None:
    facts = {
        "kind": endpoint.kind,
        "host": _host(endpoint.url),
        "event_types": endpoint.event_types,
        "community": endpoint.community_id,
        **details,
    }
    record(verb, actor=actor, obj=endpoint, context=facts)
    audit.record(
        action, actor=actor, target=f"{endpoint.get_kind_display()} {facts['host']}", details=facts
    )


# --- Organisation webhooks --------------------------------------------------------------------


def do_add_webhook(
    admin: User, *, url: str, event_types: Iterable[str], description: str = ""
) -> tuple[Endpoint, str]:
    """Register a signed webhook for the admin's organisation; return it and its secret (shown
    once). It hears of activity from now on."""
    check_org_admin(admin, "manage webhooks")
    check_url(url)
    chosen = check_event_types(event_types)
    description = clean_text(description, "description", "what it is for", 200, required=False)
    secret = new_secret()
    organisation_id = organisation_id_of(admin)
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            organisation_id=organisation_id,
            kind=Endpoint.Kind.WEBHOOK,
            url=url,
            description=description,
            event_types=chosen,
            secret=secret,
            sent_through_event_id=_newest_event_id(organisation_id),
            created_by=admin,
        )
        _log(Verb.WEBHOOK_ADDED, Action.WEBHOOK_ADDED, admin, endpoint)
    return endpoint, secret


def do_change_webhook(
    admin: User,
    endpoint: Endpoint,
    *,
    url: str,
    event_types: Iterable[str],
    description: str = "",
    enabled: bool = True,
    new_secret_wanted: bool = False,
) -> tuple[Endpoint, str]:
    """Change a webhook; switching it back on resumes from where it stopped (nothing is lost).
    Return it and its new secret when one was asked for (else "")."""
    check_org_admin(admin, "manage webhooks")
    if endpoint.organisation_id != admin.organisation_id or endpoint.is_channel():
        raise ActionError("No such webhook.", status=404)
    check_url(url)
    chosen = check_event_types(event_types)
    description = clean_text(description, "description", "what it is for", 200, required=False)
    secret = new_secret() if new_secret_wanted else ""
    with transaction.atomic():
        locked = lock_row(endpoint)
        locked.url = url
        locked.event_types = chosen
        locked.description = description
        if secret:
            locked.secret = secret
        _switch(locked, enabled)
        locked.save(update_fields=["url", "event_types", "description", "secret", *SWITCH_FIELDS])
        _log(
            Verb.WEBHOOK_CHANGED,
            Action.WEBHOOK_CHANGED,
            admin,
            locked,
            enabled=enabled,
            secret_changed=bool(secret),
        )
    return locked, secret


def _switch(endpoint: Endpoint, enabled: bool) -> None:
    """Switch on or off; switching on clears the failures, so it is tried at once."""
    if enabled and not endpoint.enabled:
        endpoint.failures = 0
        endpoint.failing_since = None
        endpoint.next_attempt_at = None
        endpoint.switched_off_at = None
    endpoint.enabled = enabled


def do_remove_endpoint(user: User, endpoint: Endpoint) -> None:
    """Remove a webhook (admins) or a community's chat channel (its facilitators too), with its
    delivery log."""
    _require_keeper(user, endpoint)
    with transaction.atomic():
        _log(Verb.WEBHOOK_REMOVED, Action.WEBHOOK_REMOVED, user, endpoint)
        endpoint.delete()


# --- Community chat channels ------------------------------------------------------------------


def do_set_channel(
    user: User,
    community: Community,
    *,
    url: str = "",
    kind: str = Endpoint.Kind.SLACK,
    event_types: Iterable[str],
    skills: Iterable[Skill] = (),
    enabled: bool = True,
) -> Endpoint:
    """Connect (or change) a community's chat channel: a Slack or Teams incoming webhook that
    hears of what happens in the community and of requests and posts tagged with ``skills``.
    An empty ``url`` keeps the saved one (the address is the channel's secret)."""
    _require_channel_keeper(user, community)
    if not community.is_open():
        raise ActionError(
            "This community's discussions are for its members only, so Cairn does not post "
            "them to a chat channel. Open the community to everyone first.",
            field="url",
        )
    if kind not in (Endpoint.Kind.SLACK, Endpoint.Kind.TEAMS):
        raise ActionError("Choose Slack or Microsoft Teams.", field="kind")
    if url:
        check_url(url)
    chosen = check_event_types(event_types, CHANNEL_EVENT_TYPES)
    skills = list(skills)
    if any(s.organisation_id != community.organisation_id for s in skills):
        raise ActionError("Choose skills of your organisation.", field="skills")
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().filter(community=community).first()
        adding = endpoint is None
        if endpoint is None:
            if not url:
                raise ActionError("Give the channel's incoming-webhook address.", field="url")
            endpoint = Endpoint(
                organisation_id=community.organisation_id,
                community=community,
                sent_through_event_id=_newest_event_id(community.organisation_id),
                created_by=user,
            )
        if url:
            endpoint.url = url
        endpoint.kind = kind
        endpoint.event_types = chosen
        _switch(endpoint, enabled)
        if adding:
            endpoint.save()
        else:
            endpoint.save(update_fields=["url", "kind", "event_types", *SWITCH_FIELDS])
        endpoint.skills.set(skills)
        if adding:
            _log(Verb.WEBHOOK_ADDED, Action.WEBHOOK_ADDED, user, endpoint)
        else:
            _log(Verb.WEBHOOK_CHANGED, Action.WEBHOOK_CHANGED, user, endpoint, enabled=enabled)
    return endpoint


# --- Delivering -------------------------------------------------------------------------------


def _body(endpoint: Endpoint, message: Message) -> bytes:
    if endpoint.kind == Endpoint.Kind.SLACK:
        payload = slack_body(message)
    elif endpoint.kind == Endpoint.Kind.TEAMS:
        payload = teams_body(message)
    else:
        payload = message.as_json()
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _deliver(endpoint: Endpoint, message: Message) -> Delivery:
    """POST one message (signed, for a webhook) and log the attempt."""
    body = _body(endpoint, message)
    headers = {"Content-Type": "application/json", "User-Agent": "Cairn-Webhooks/1"}
    if endpoint.kind == Endpoint.Kind.WEBHOOK:
        now = timezone.now()
        headers["webhook-id"] = message.id
        headers["webhook-timestamp"] = str(int(now.timestamp()))
        headers["webhook-signature"] = Webhook(endpoint.secret).sign(message.id, now, body.decode())
    delivery = Delivery(
        endpoint=endpoint,
        event_id=message.event_id,
        message_id=message.id,
        event_type=message.type,
    )
    what = "The chat channel" if endpoint.is_channel() else "The webhook endpoint"
    try:
        answer = call(
            "POST",
            endpoint.url,
            what=what,
            body=body,
            headers=headers,
            timeout=settings.CAIRN_WEBHOOK_TIMEOUT_SECONDS,
        )
    except OutboundError as error:
        delivery.status = Delivery.Status.FAILED
        delivery.http_status = error.status
        delivery.elapsed_ms = error.elapsed_ms
        delivery.error = error.message
    else:
        delivery.status = Delivery.Status.SENT
        delivery.http_status = answer.status
        delivery.elapsed_ms = answer.elapsed_ms
    delivery.save()
    return delivery


def send_test(user: User, endpoint: Endpoint) -> Delivery:
    """Send a test message now and return its logged delivery; a failure does not count
    towards switching the endpoint off."""
    _require_keeper(user, endpoint)
    organisation = endpoint.organisation.name
    return _deliver(endpoint, trial_message(timezone.now().isoformat(), organisation))


def _concerns(endpoint: Endpoint, message: Message, skill_names: set[str]) -> bool:
    """Return whether a message is for this endpoint: a webhook hears of the whole organisation;
    a channel of its community and of what is tagged with its skills."""
    if not endpoint.is_channel():
        return True
    return message.community_id == endpoint.community_id or bool(skill_names & set(message.tags))


def send_pending(endpoint_id: int, max_messages: int = 200) -> SendReport:
    """Send the events after the endpoint's mark, one message each, in order.

    One sender at a time (a lease on the endpoint row). The mark moves past each event once it
    is delivered (or is not for this endpoint); a failure stops the run and leaves the mark
    where it was, so the same message, with the same id, goes again after the back-off.
    """
    if not claim(Endpoint.objects.filter(pk=endpoint_id), LEASE):
        return SendReport(0, error=BUSY)
    endpoint = Endpoint.objects.select_related("organisation").get(pk=endpoint_id)
    skill_names = set(endpoint.skills.values_list("name", flat=True))
    sent = 0
    try:
        while True:
            events = list(
                Event.objects.filter(
                    organisation_id=endpoint.organisation_id,
                    pk__gt=endpoint.sent_through_event_id,
                    verb__in=endpoint.event_types,
                ).order_by("pk")[:BATCH_SIZE]
            )
            if not events:
                return SendReport(sent)
            messages = messages_for(events, endpoint.organisation_id)
            for event in events:
                message = messages.get(event.pk)
                if message is not None and _concerns(endpoint, message, skill_names):
                    if sent == max_messages:
                        return SendReport(sent, more=True)
                    delivery = _deliver(endpoint, message)
                    if delivery.status == Delivery.Status.FAILED:
                        _failed(endpoint, delivery)
                        return SendReport(sent, error=delivery.error)
                    sent += 1
                    _succeeded(endpoint, event.pk)
                else:
                    endpoint.sent_through_event_id = event.pk
            endpoint.save(update_fields=["sent_through_event_id"])
    finally:
        Endpoint.objects.filter(pk=endpoint_id).update(lease_until=None)


def _succeeded(endpoint: Endpoint, event_id: int) -> None:
    endpoint.sent_through_event_id = event_id
    endpoint.failures = 0
    endpoint.failing_since = None
    endpoint.next_attempt_at = None
    endpoint.last_error = ""
    endpoint.last_success_at = timezone.now()
    endpoint.save(
        update_fields=[
            "sent_through_event_id",
            "failures",
            "failing_since",
            "next_attempt_at",
            "last_error",
            "last_success_at",
        ]
    )


def _failed(endpoint: Endpoint, delivery: Delivery) -> None:
    now = timezone.now()
    endpoint.failures += 1
    endpoint.failing_since = endpoint.failing_since or now
    endpoint.next_attempt_at = now + endpoint.retry_delay()
    endpoint.last_error = delivery.error
    fields = ["sent_through_event_id", "failures", "failing_since", "next_attempt_at", "last_error"]
    if endpoint.should_switch_off(now):
        endpoint.enabled = False
        endpoint.switched_off_at = now
        fields += ["enabled", "switched_off_at"]
    with transaction.atomic():
        endpoint.save(update_fields=fields)
        if not endpoint.enabled:
            _tell_switched_off(endpoint)


def _tell_switched_off(endpoint: Endpoint) -> None:
    """Tell the organisation's admins (and whoever set up a channel) that it was switched off."""
    audit.record(
        Action.WEBHOOK_SWITCHED_OFF,
        organisation=endpoint.organisation,
        actor_label="Cairn",
        target=f"{endpoint.get_kind_display()} {_host(endpoint.url)}",
        details={"failures": endpoint.failures, "error": endpoint.last_error[:300]},
    )
    admins = set(
        User.objects.filter(
            organisation_id=endpoint.organisation_id, role=User.Role.ADMIN, is_active=True
        ).values_list("pk", flat=True)
    )
    if endpoint.created_by_id:
        admins.add(endpoint.created_by_id)
    if endpoint.is_channel():
        what = f"The chat channel of {endpoint.community}"
        url = reverse("community_chat", args=[endpoint.community_id])
    else:
        what = f"The webhook to {_host(endpoint.url)}"
        url = reverse("webhook", args=[endpoint.pk])
    text = (
        f"{what} was switched off after failing for a day ({endpoint.last_error}). "
        "Nothing is lost: switch it back on to send what is waiting."
    )
    key = f"webhook-off:{endpoint.pk}:{endpoint.switched_off_at:%Y%m%dT%H%M%S}"
    category = Category.COMMUNITIES if endpoint.is_channel() else Category.PEOPLE
    do_notify(endpoint.organisation_id, [Note(pk, key, category, text, url) for pk in admins])


def waiting_count(endpoint: Endpoint) -> int:
    """Return how many events of the chosen kinds are after the endpoint's mark (some may turn
    out not to be for it: private, or another community's)."""
    return Event.objects.filter(
        organisation_id=endpoint.organisation_id,
        pk__gt=endpoint.sent_through_event_id,
        verb__in=endpoint.event_types,
    ).count()


def prune_log(now=None) -> int:
    """Delete delivery-log rows older than :data:`LOG_KEPT`; return how many went."""
    cutoff = (now or timezone.now()) - LOG_KEPT
    deleted, _ = Delivery.objects.filter(created_at__lt=cutoff).delete()
    return deleted
