"""The checks other actions call first: a missing privilege (403) or a daily limit reached (429).

Each reads the person's current trust, so a privilege lost is lost at once and a privilege
earned works at once; nothing is stored.
"""

from django.apps import apps

from cairn.errors import ActionError
from cairn.people.locking import lock_person
from cairn.people.models import User
from cairn.privileges.access import counted_today, profile_of, standing_of
from cairn.privileges.policy import BY_NAME, LIMIT_KINDS, LIMIT_WINDOW


def check_privilege(user: User, name: str) -> None:
    """Refuse (403) someone who does not hold the named privilege, saying what they need."""
    privilege = BY_NAME[name]
    standing = standing_of(user, privilege, profile_of(user))
    if not standing.held:
        raise ActionError(
            f"{privilege.title} is earned with trust. You still need: "
            + "; ".join(standing.needs)
            + ". See My privileges.",
            status=403,
        )


def check_daily_limit(user: User, kind: str) -> None:
    """Refuse (429) the next ``kind`` ("post", "ask", "thank", "community") once a person without
    the privilege that lifts it has reached the daily limit.

    Runs inside the action's transaction, before its write: it locks the person, so parallel
    requests are counted one after the other.
    """
    privilege = BY_NAME[LIMIT_KINDS[kind]]
    limit = privilege.limit()
    if limit is None:
        return
    lock_person(user)
    counted = counted_today(user, privilege)
    if counted.count() < limit:
        return
    standing = standing_of(user, privilege, profile_of(user))
    if standing.held:
        return
    raise ActionError(
        f"Until trust lifts it, the limit is {limit} {privilege.without}, and you have reached "
        "it for today. Try again tomorrow. The limit goes once you have: "
        + "; ".join(standing.needs)
        + ".",
        status=429,
        retry_after=counted.seconds_until_freed(LIMIT_WINDOW),
    )


def check_mentor_requests(requester: User, addressee: User, kind: str) -> None:
    """Refuse (429) a mentoring request to someone who has not yet earned ``mentor_openly`` and
    already has as many requests from others waiting as the limit allows."""
    privilege = BY_NAME["mentor_openly"]
    limit = privilege.limit()
    if kind == "peer" or limit is None:
        return
    relationship = apps.get_model("learning", "Relationship")
    waiting = (
        relationship.objects.filter(addressee=addressee, status="requested")
        .exclude(kind="peer")
        .exclude(requested_by=requester)
        .count()
    )
    if waiting < limit or standing_of(addressee, privilege, profile_of(addressee)).held:
        return
    raise ActionError(
        f"{addressee.profile.name} already has {waiting} mentoring requests waiting for an "
        "answer, as many as someone still new to mentoring here takes at once. Try again once "
        "they have answered, or ask someone else.",
        field="person",
        status=429,
    )
