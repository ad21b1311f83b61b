"""Reading a person's privileges: derived each time from their current TrustProfile."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count
from django.utils import timezone

from cairn.ledger.models import Event, EventQuerySet, Verb
from cairn.people.models import User
from cairn.privileges.policy import BY_NAME, LIMIT_WINDOW, POLICY, Privilege
from cairn.trust.engine import PRIVILEGE_THRESHOLD
from cairn.trust.models import DIMENSIONS, TrustProfile

DIMENSION_LABEL = dict(DIMENSIONS)


@dataclass
class Standing:
    """Whether one person holds one privilege, why, or what they still need."""

    privilege: Privilege
    held: bool
    why: str
    needs: list[str] = field(default_factory=list)
    used_today: int | None = None

    def limit(self) -> int | None:
        """Return the daily limit that applies to this person (None: no limit applies)."""
        return None if self.held else self.privilege.limit()

    def left_today(self) -> int | None:
        """Return how many more times today this person may do the limited thing."""
        limit = self.limit()
        if limit is None or self.used_today is None:
            return None
        return max(0, limit - self.used_today)


def profile_of(user: User) -> TrustProfile | None:
    """Return the person's stored trust, or None before the first recompute."""
    try:
        return user.trust_profile
    except ObjectDoesNotExist:
        return None


def standing_of(user: User, privilege: Privilege, profile: TrustProfile | None) -> Standing:
    """Return whether ``user`` holds ``privilege`` now, and why or what they still need."""
    if user.role == User.Role.ADMIN:
        return Standing(privilege, True, "You are an admin of your organisation.")
    needs = []
    trust = profile.trust if profile else 0.0
    confidence = profile.confidence if profile else 0.0
    if confidence < privilege.min_confidence:
        needs.append(
            "more people who work with you confirming what you do: keep the commitments you "
            "make, help when asked, and get thanked or credited by someone established"
        )
    if trust < privilege.min_trust:
        needs.append(
            f"overall trust of {round(100 * privilege.min_trust)} of 100 "
            f"(yours is {round(100 * trust)} now)"
        )
    if privilege.dimension:
        score = getattr(profile, privilege.dimension, 0.0) if profile else 0.0
        if score < privilege.min_dimension:
            label = DIMENSION_LABEL[privilege.dimension].lower()
            needs.append(
                f"{label} of {round(100 * privilege.min_dimension)} of 100 "
                f"(yours is {round(100 * score)} now)"
            )
    days = (timezone.now() - user.date_joined).days
    if days < privilege.tenure_days:
        more = privilege.tenure_days - days
        needs.append(f"{more} more day{'s' if more != 1 else ''} with the organisation")
    if needs:
        return Standing(privilege, False, "Not yet.", needs)
    words = profile.standing() if profile else "trusted"
    return Standing(privilege, True, f"Your trust is {words} and has been for a while.")


def counted_today(user: User, privilege: Privilege) -> EventQuerySet:
    """Return the events of the last 24 hours that count towards ``privilege``'s limit."""
    since = timezone.now() - LIMIT_WINDOW
    return Event.objects.filter(
        actor=user, verb__in=[str(v) for v in privilege.counts], time__gte=since
    )


def used_today(user: User, privilege: Privilege) -> int:
    """Return how many times in the last 24 hours ``user`` did what ``privilege`` limits."""
    if not privilege.counts:
        return 0
    return counted_today(user, privilege).count()


def privileges_for(user: User) -> list[Standing]:
    """Return every privilege with the person's standing, for the page and the API."""
    profile = profile_of(user)
    standings = [standing_of(user, privilege, profile) for privilege in POLICY]
    for standing in standings:
        if standing.privilege.counts and not standing.held:
            standing.used_today = used_today(user, standing.privilege)
    return standings


def has_privilege(user: User, name: str) -> bool:
    """Return whether ``user`` holds the named privilege now."""
    return standing_of(user, BY_NAME[name], profile_of(user)).held


#: Reviewed flags a track record starts from, as if half upheld and half dismissed: one
#: dismissed flag moves the weight a little, a habit of them a lot.
TRACK_RECORD_PRIOR = 4


@dataclass(frozen=True)
class FlagRecord:
    """How moderators judged a person's flags, as the ledger recorded each decision."""

    upheld: int = 0
    dismissed: int = 0

    def factor(self) -> float:
        """Return what the record does to the flag weight: 1.0 with none, towards 1.5 for flags
        that were upheld, towards 0.5 for flags that were dismissed."""
        reviewed = self.upheld + self.dismissed
        return 1.0 + 0.5 * (self.upheld - self.dismissed) / (reviewed + TRACK_RECORD_PRIOR)


def flag_record(user: User) -> FlagRecord:
    """Return how many of the person's flags moderators upheld and dismissed (one query)."""
    counts = dict(
        Event.objects.filter(subject_id=user.pk, verb__in=[Verb.FLAG_UPHELD, Verb.FLAG_DISMISSED])
        .order_by()
        .values_list("verb")
        .annotate(n=Count("pk"))
    )
    return FlagRecord(counts.get(Verb.FLAG_UPHELD, 0), counts.get(Verb.FLAG_DISMISSED, 0))


def flag_weight(user: User) -> float:
    """Return how much this person's flags count: 1.0 with the privilege, less before, moved
    by their track record.

    0.25 for someone whose trust is not yet known, rising with trust to 1.0 at the privilege
    threshold; highly trusted people's flags count up to 1.5. Then each flag a moderator upheld
    raises it and each one dismissed lowers it (:meth:`FlagRecord.factor`), never below 0.1.
    """
    profile = profile_of(user)
    if has_privilege(user, "flag_weight"):
        trust = profile.trust if profile else PRIVILEGE_THRESHOLD
        base = min(1.5, 1.0 + max(0.0, trust - PRIVILEGE_THRESHOLD))
    elif profile is None or not profile.is_known():
        base = 0.25
    else:
        base = max(0.25, min(1.0, profile.trust / PRIVILEGE_THRESHOLD))
    return round(max(0.1, base * flag_record(user).factor()), 2)
