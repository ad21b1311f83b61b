"""Permission-aware reads of trust: what a viewer may see of a colleague's trust.

The person sees their own full explanation and numbers; colleagues see the summary, with
numbers only if the organisation shows them; outsiders get a 404 from ``profile_for``.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from cairn.checks import organisation_of
from cairn.people.access import profile_for
from cairn.people.models import Profile, User
from cairn.trust import actions, adapter, engine
from cairn.trust.models import TrustProfile


@dataclass
class TrustCard:
    """What one viewer may see of one person's trust."""

    person: Profile
    profile: TrustProfile | None
    is_me: bool
    show_numbers: bool

    @cached_property
    def dimensions(self) -> list[dict[str, Any]]:
        """Return each dimension in words and numbers (none before anything is stored)."""
        return self.profile.dimensions() if self.profile is not None else []

    def full(self) -> bool:
        """Return whether the viewer sees the full explanation (only of themselves)."""
        return self.is_me

    def is_known(self) -> bool:
        """Return whether there is enough evidence to say anything yet."""
        return self.profile is not None and self.profile.is_known()

    def standing(self) -> str:
        """Return the overall trust in plain words."""
        return self.profile.standing() if self.profile is not None else "not yet known"


def person_for(user: User, handle: str) -> Profile:
    """Return the colleague with this handle, or raise 404 (other organisations, strangers)."""
    return profile_for(user, handle)


def trust_card_for(viewer: User, person: Profile) -> TrustCard:
    """Return what ``viewer`` may see of ``person``'s trust (the person is already visible).

    Reads ``person.user.trust_profile``: select it with the people listed, so a list of cards
    costs no query per card.
    """
    try:
        profile = person.user.trust_profile
    except ObjectDoesNotExist:
        profile = None
    is_me = viewer.pk == person.user_id
    show_numbers = is_me or bool(organisation_of(viewer).show_trust_numbers)
    return TrustCard(person, profile, is_me, show_numbers)


@dataclass
class Pairwise:
    """How much the viewer can trust a colleague, and through whom."""

    person: Profile
    score: float
    words: str
    worked_together: bool
    via: list[Profile]
    went: str
    show_numbers: bool
    updating: bool = False
    #: The strongest chains of people who worked together, from the viewer's first colleague
    #: to the last one before the person (both ends left out: they are "you" and the person).
    paths: list[list[Profile]] = field(default_factory=list)


def _paths_between(result: Any, viewer: User, person: Profile) -> list[list[str]]:
    """Return the engine's strongest vouching paths from viewer to person, as user ids, without
    the two ends; empty when nothing is stored or no path leads there."""
    if result is None:
        return []
    pair = engine.pairwise_trust(result, str(viewer.pk), str(person.user_id))
    return [path.people[1:-1] for path in pair.paths if len(path.people) > 2]


def pairwise_for(viewer: User, person: Profile) -> Pairwise:
    """Return the viewer's pairwise trust in a colleague (never about themselves), from the
    result the worker stored; if the engine's input has changed since, queue a recompute and
    say that the answer is being updated."""
    stored = adapter.stored_result(person.organisation_id)
    if stored.stale and not stored.queued:
        actions.do_queue_recompute(person.organisation_id)
    answer = adapter.pairwise_for(stored.result, viewer.pk, person.user_id)
    chains = [] if not answer["via"] else _paths_between(stored.result, viewer, person)
    wanted = set(answer["via"]) | {int(pk) for chain in chains for pk in chain}
    names = {p.user_id: p for p in Profile.objects.visible_to(viewer).filter(user_id__in=wanted)}
    via = [names[pk] for pk in answer["via"] if pk in names]
    paths = [
        [names[int(pk)] for pk in chain]
        for chain in chains
        if all(int(pk) in names for pk in chain)
    ]
    return Pairwise(
        person=person,
        score=answer["score"],
        words=answer["words"],
        worked_together=answer["worked_together"],
        via=via,
        went=answer["went"],
        show_numbers=bool(organisation_of(viewer).show_trust_numbers),
        updating=stored.stale,
        paths=paths,
    )
