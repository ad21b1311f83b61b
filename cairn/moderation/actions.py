"""Every change moderation makes goes through these functions, each recording its ledger event
(and, for a moderator's decision, an audit entry) in the same transaction.

Flagging: any member flags what they can see, within a daily limit. Flags from members who hold
the "flag to hide" privilege add their flag weight; once the weights reach :func:`hide_at` the
item is hidden at once, pending review. Flags from others, and flags that look like abuse
(:mod:`cairn.moderation.abuse`), are queued but never hide anything.

Deciding: an admin, or a facilitator of the item's community, hides, restores, edits private
information out, or dismisses the flags, with a reason the author reads. Each open flag is then
upheld or dismissed, which the flagger's flag weight remembers. The author of hidden content may
appeal through a dispute of the ``content_hidden`` event; an overturned appeal restores it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import clean_text, organisation_id_of
from cairn.env import env_int
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.moderation import abuse
from cairn.moderation.access import (
    KINDS,
    author_id_of,
    community_id_of,
    label_of,
    model_of,
)
from cairn.moderation.models import Flag, ModeratedItem
from cairn.people.locking import lock_person, lock_row
from cairn.people.models import User
from cairn.privileges.access import flag_weight, has_privilege
from cairn.privileges.policy import LIMIT_WINDOW
from cairn.visibility import can_see

log = logging.getLogger(__name__)
Decision = ModeratedItem.Decision


def hide_at() -> float:
    """Return the total flag weight from privileged members that hides an item at once."""
    return float(
        getattr(settings, "CAIRN_FLAGS_TO_HIDE", None) or env_int("CAIRN_FLAGS_TO_HIDE", 3)
    )


def flag_limit(user: User) -> int:
    """Return how many flags ``user`` may raise in a rolling day (twice as many once they hold
    "flag to hide")."""
    limit = getattr(settings, "CAIRN_LIMIT_FLAGS", None) or env_int("CAIRN_LIMIT_FLAGS", 10)
    return 2 * limit if has_privilege(user, "flag_to_hide") else limit


def _clean_reason(reason: str) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ActionError("Say why, in a sentence the author will read.", field="reason")
    if len(reason) > 500:
        raise ActionError("Keep the reason under 500 characters.", field="reason")
    return reason


# --- Flagging ---------------------------------------------------------------------------------


def check_flag(user: User, target: models.Model, reason: str, note: str) -> tuple[str, str]:
    """Validate a flag; return the reason and the cleaned note."""
    if label_of(target) not in KINDS or not can_see(user, target):
        raise ActionError("There is nothing to flag there.", field="target", status=404)
    if author_id_of(target) == user.pk:
        raise ActionError("You cannot flag what you wrote yourself.", field="target", status=403)
    if reason not in Flag.Reason.values:
        raise ActionError("Choose why you flag it.", field="reason")
    note = clean_text(note, "note", "a note", 500, required=reason == Flag.Reason.OTHER)
    return reason, note


def check_flag_limit(user: User) -> None:
    """Refuse (429) a flag beyond the daily limit. Locks the person, so twenty flags at once are
    counted one after the other; runs inside the action's transaction."""
    lock_person(user)
    limit = flag_limit(user)
    raised = Event.objects.filter(
        actor_id=user.pk, verb=Verb.FLAGGED, time__gte=timezone.now() - LIMIT_WINDOW
    )
    if raised.count() >= limit:
        raise ActionError(
            f"You have flagged {limit} things in the last day, as many as anyone may. The "
            "moderators are looking at them; try again tomorrow.",
            status=429,
            retry_after=raised.seconds_until_freed(LIMIT_WINDOW),
        )


def do_flag(user: User, target: models.Model, reason: str, note: str = "") -> Flag:
    """Flag something for the moderators; a second flag by the same person returns the first.

    Hides the item at once when privileged flags reach :func:`hide_at`.
    """
    reason, note = check_flag(user, target, reason, note)
    label = label_of(target)
    with transaction.atomic():
        check_flag_limit(user)
        item, _ = ModeratedItem.objects.get_or_create(
            target_type=label,
            target_id=target.pk,
            defaults={
                "organisation_id": organisation_id_of(user),
                "author_id": author_id_of(target),
                "community_id": community_id_of(target),
            },
        )
        item = lock_row(item)
        existing = item.flags.filter(flagger_id=user.pk).first()
        if existing is not None:
            return existing
        flag = Flag.objects.create(
            item=item,
            flagger=user,
            reason=reason,
            note=note,
            weight=flag_weight(user),
            can_hide=has_privilege(user, "flag_to_hide"),
        )
        event = record(
            Verb.FLAGGED,
            actor=user,
            subject=item.author,
            obj=target,
            context={"item": item.pk, "flag": flag.pk, "reason": reason},
        )
        flag.suspicion = abuse.suspicion_of(user, event)
        if flag.suspicion:
            flag.save(update_fields=["suspicion"])
        now = timezone.now()
        item.flagged_at = now
        item.status = ModeratedItem.Status.WAITING
        item.save(update_fields=["flagged_at", "status"])
        _hide_if_enough(item, target)
    return flag


def _hide_if_enough(item: ModeratedItem, target: models.Model) -> None:
    """Hide the item, pending review, once privileged flags that look honest weigh enough."""
    if item.hidden:
        return
    flags = [f for f in item.flags.filter(status=Flag.Status.OPEN) if f.counts_towards_hiding()]
    if sum(f.weight for f in flags) < hide_at():
        return
    ring = abuse.ring_flaggers(item.organisation_id, [f.flagger_id for f in flags])
    if ring:
        item.flags.filter(flagger_id__in=ring).update(suspicion=Flag.Suspicion.RING)
        flags = [f for f in flags if f.flagger_id not in ring]
        if sum(f.weight for f in flags) < hide_at():
            return
    reasons = sorted({f.get_reason_display().lower() for f in flags})
    reason = (
        f"{len(flags)} trusted colleagues flagged it ({', '.join(reasons)}); it stays hidden "
        "until a moderator reviews it."
    )
    _hide(item, target, None, reason, by_flags=True)


def _hide(
    item: ModeratedItem, target: models.Model, actor: User | None, reason: str, by_flags: bool
) -> Event:
    item.hidden = True
    item.hidden_by_flags = by_flags
    event = record(
        Verb.CONTENT_HIDDEN,
        actor=actor,
        organisation=item.organisation,
        subject=item.author,
        obj=target,
        context={"item": item.pk, "reason": reason, "by_flags": by_flags},
    )
    item.hidden_event = event
    item.save(update_fields=["hidden", "hidden_by_flags", "hidden_event"])
    audit.record(
        Action.CONTENT_HIDDEN,
        actor=actor,
        organisation=item.organisation,
        actor_label="" if actor else "flags from trusted members",
        target=f"{item.kind()} {item.target_id}",
        details={"item": item.pk, "reason": reason, "by_flags": by_flags},
    )
    return event


# --- Deciding ---------------------------------------------------------------------------------


def check_decide(moderator: User, item: ModeratedItem, reason: str) -> str:
    """Refuse anyone who does not moderate the item, or who wrote it; return the reason."""
    if not ModeratedItem.objects.visible_to(moderator).filter(pk=item.pk).exists():
        raise ActionError("There is nothing to moderate there.", status=404)
    if item.author_id == moderator.pk:
        raise ActionError("Someone else decides on what you wrote.", status=403)
    return _clean_reason(reason)


def _target(item: ModeratedItem) -> models.Model:
    return model_of(item.target_type)._default_manager.get(pk=item.target_id)


@dataclass(frozen=True)
class Rule:
    """What one kind of decision does: the ledger verb, whether the item ends hidden, whether
    its open flags are upheld, and when it may be taken (else ``refusal``, 409)."""

    decision: str
    verb: Verb
    hidden: bool
    upheld: bool
    allowed: Callable[[ModeratedItem], bool]
    refusal: str = ""


RULES = {
    "hide": Rule(
        Decision.HIDDEN,
        Verb.CONTENT_HIDDEN,
        hidden=True,
        upheld=True,
        allowed=lambda item: not item.hidden or item.hidden_by_flags,
        refusal="A moderator has already hidden it.",
    ),
    "restore": Rule(
        Decision.RESTORED,
        Verb.CONTENT_RESTORED,
        hidden=False,
        upheld=False,
        allowed=lambda item: item.hidden,
        refusal="It is not hidden.",
    ),
    "dismiss": Rule(
        Decision.DISMISSED,
        Verb.FLAGS_DISMISSED,
        hidden=False,
        upheld=False,
        allowed=lambda item: item.is_waiting(),
        refusal="There are no flags waiting on it.",
    ),
    "redact": Rule(
        Decision.REDACTED,
        Verb.CONTENT_REDACTED,
        hidden=False,
        upheld=True,
        allowed=lambda item: True,
    ),
}


def _decide(
    moderator: User,
    item: ModeratedItem,
    reason: str,
    rule: Rule,
    changes: dict[str, str] | None = None,
) -> ModeratedItem:
    """Record one decision on a locked item: its ledger event, each open flag upheld or
    dismissed (with an event for the flagger's weight), and the audit entry."""
    reason = check_decide(moderator, item, reason)
    if not rule.allowed(item):
        raise ActionError(rule.refusal, status=409)
    target = _target(item)
    context: dict[str, Any] = {"item": item.pk, "reason": reason, "was_hidden": item.hidden}
    if changes:
        for field, value in changes.items():
            setattr(target, field, value)
        target.save(update_fields=list(changes))
        context["fields"] = sorted(changes)
    if rule.verb == Verb.CONTENT_HIDDEN:
        _hide(item, target, moderator, reason, by_flags=False)
    else:
        item.hidden = rule.hidden
        item.hidden_by_flags = False
        record(rule.verb, actor=moderator, subject=item.author, obj=target, context=context)
        audit.record(
            Action(rule.verb),
            actor=moderator,
            target=f"{item.kind()} {item.target_id}",
            details=context,
        )
    now = timezone.now()
    item.status = ModeratedItem.Status.REVIEWED
    item.decision = rule.decision
    item.reason = reason
    item.decided_by = moderator
    item.decided_at = now
    item.save(
        update_fields=[
            "status",
            "decision",
            "reason",
            "decided_by",
            "decided_at",
            "hidden",
            "hidden_by_flags",
        ]
    )
    outcome = Flag.Status.UPHELD if rule.upheld else Flag.Status.DISMISSED
    for flag in item.flags.filter(status=Flag.Status.OPEN).select_related("flagger"):
        flag.status = outcome
        flag.resolved_at = now
        flag.save(update_fields=["status", "resolved_at"])
        record(
            Verb.FLAG_UPHELD if rule.upheld else Verb.FLAG_DISMISSED,
            actor=moderator,
            subject=flag.flagger,
            obj=target,
            context={"item": item.pk, "flag": flag.pk},
        )
    return item


def _locked(item: ModeratedItem) -> ModeratedItem:
    return ModeratedItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)


def do_decide(moderator: User, item: ModeratedItem, decision: str, reason: str) -> ModeratedItem:
    """Hide the item (its flags upheld), show a hidden one again (open flags dismissed), or
    dismiss its flags (shown again if flags had hidden it), with a reason the author reads."""
    if decision not in RULES or decision == "redact":
        raise ActionError("Choose to hide, restore or dismiss.", field="decision")
    with transaction.atomic():
        return _decide(moderator, _locked(item), reason, RULES[decision])


def do_hide(moderator: User, item: ModeratedItem, reason: str) -> ModeratedItem:
    """Hide the item from everyone but its author and moderators; its flags are upheld."""
    return do_decide(moderator, item, "hide", reason)


def do_restore(moderator: User, item: ModeratedItem, reason: str) -> ModeratedItem:
    """Show a hidden item again; flags still open on it are dismissed."""
    return do_decide(moderator, item, "restore", reason)


def do_dismiss(moderator: User, item: ModeratedItem, reason: str) -> ModeratedItem:
    """Leave the item as it is (shown again if flags had hidden it); its flags are dismissed."""
    return do_decide(moderator, item, "dismiss", reason)


def check_redact(item: ModeratedItem, target: models.Model, texts: dict[str, str]) -> dict:
    """Return the fields whose text changes, cleaned; refuse unknown fields or no change."""
    fields = KINDS[item.target_type].text_fields
    changes = {}
    for name, value in texts.items():
        if name not in fields:
            raise ActionError(f"{name} cannot be edited here.", field=name)
        field = target._meta.get_field(name)
        assert isinstance(field, models.Field)
        label = str(field.verbose_name)
        cleaned = clean_text(value, name, label, field.max_length or 20000, not field.blank)
        if cleaned != getattr(target, name):
            changes[name] = cleaned
    if not changes:
        raise ActionError("Edit the text to take the private information out.", field=fields[0])
    return changes


def do_redact(
    moderator: User, item: ModeratedItem, texts: dict[str, str], reason: str
) -> ModeratedItem:
    """Edit private information out of the item's text; it is shown (again) as edited and its
    flags are upheld."""
    with transaction.atomic():
        locked = _locked(item)
        check_decide(moderator, locked, reason)
        changes = check_redact(locked, _target(locked), texts)
        return _decide(moderator, locked, reason, RULES["redact"], changes)


# --- Appeals ----------------------------------------------------------------------------------


def do_restore_on_appeal(event: Event) -> ModeratedItem | None:
    """Restore the content whose hiding a dispute review overturned (``event`` is the
    ``dispute_resolved`` event); None when it was about something else."""
    if event.verb != Verb.DISPUTE_RESOLVED or (event.context or {}).get("outcome") != "overturned":
        return None
    item = ModeratedItem.objects.filter(
        hidden_event_id=(event.context or {}).get("event"), hidden=True
    ).first()
    if item is None or event.actor_id is None:
        return None
    reviewer = User.objects.get(pk=event.actor_id)
    return do_restore(reviewer, item, "Your appeal was upheld on review.")


def on_event_committed(sender: Any, event: Event, **kwargs: Any) -> None:
    """Listener on ``event_committed``: an upheld appeal restores; never breaks the review."""
    try:
        do_restore_on_appeal(event)
    except Exception:
        log.exception("Could not restore content after dispute event %s", event.pk)
