"""When a relationship last showed life, kept from the ledger's events.

:func:`touch` moves a relationship's ``last_active_at`` forward when an event shows its members
working together: a session logged, proposed or accepted, the rhythm agreed, a member added, a
milestone of the goal it serves, or a commitment made or kept between two of its members. The
learning actions call it in their own transaction, with the event they recorded; the listener
does the same for commitments, which another app records. The health badge, the nudges and the
"needs attention" list all read that one column, so their lists cost one query whatever their
size.
"""

import logging
from typing import Any

from django.db.models import Q

from cairn.learning.models import Relationship, RelationshipMember, SessionProposal
from cairn.ledger.models import Event, Verb

log = logging.getLogger(__name__)

#: Events whose object is the relationship, one of its sessions or one of its proposals.
OWN_VERBS = frozenset(
    {
        Verb.MENTORING_ACCEPTED,
        Verb.MEMBER_ADDED,
        Verb.SESSION_LOGGED,
        Verb.SESSION_PROPOSED,
        Verb.SESSION_ACCEPTED,
        Verb.RHYTHM_SET,
    }
)
#: Commitments between two members show the relationship at work too.
BETWEEN_MEMBERS = frozenset({Verb.COMMITTED, Verb.KEPT})


def relationships_touched(event: Event) -> list[int]:
    """Return the ids of the active relationships an event shows at work."""
    active = Relationship.objects.filter(
        organisation_id=event.organisation_id, status=Relationship.Status.ACTIVE
    )
    if event.verb in OWN_VERBS:
        if event.object_type == "learning.relationship":
            ids = [int(event.object_id)]
        elif event.object_type == "learning.session":
            ids = list(active.filter(sessions__pk=event.object_id).values_list("pk", flat=True))
        elif event.object_type == "learning.sessionproposal":
            ids = list(
                SessionProposal.objects.filter(pk=event.object_id).values_list(
                    "relationship_id", flat=True
                )
            )
        else:
            return []
        return list(active.filter(pk__in=ids).values_list("pk", flat=True))
    if event.verb == Verb.MILESTONE_DONE and event.object_type == "learning.goal":
        return list(active.filter(goal_id=event.object_id).values_list("pk", flat=True))
    if event.verb in BETWEEN_MEMBERS and event.actor_id and event.subject_id:
        both = RelationshipMember.objects.filter(user_id=event.subject_id).values("relationship_id")
        return list(
            active.filter(members__user_id=event.actor_id, pk__in=both).values_list("pk", flat=True)
        )
    return []


def touch(event: Event) -> int:
    """Move ``last_active_at`` of the relationships the event shows at work up to its time."""
    ids = relationships_touched(event)
    if not ids:
        return 0
    return (
        Relationship.objects.filter(pk__in=ids)
        .filter(Q(last_active_at__isnull=True) | Q(last_active_at__lt=event.time))
        .update(last_active_at=event.time)
    )


def on_event_committed(sender: Any, event: Event, **kwargs: Any) -> None:
    """Listener on ``event_committed`` for commitments between members (the learning actions
    touch their own events); keeping the badge current must never break an action."""
    if event.verb not in BETWEEN_MEMBERS:
        return
    try:
        touch(event)
    except Exception:
        log.exception("Could not update relationship activity for event %s", event.pk)
