"""The first-run checklist of a new organisation's admin: what to set up, ticked from the ledger
as it happens (and from the organisation's own settings for who may join)."""

from dataclasses import dataclass

from django.urls import reverse

from cairn.ledger.models import Event, Verb
from cairn.people.models import User


@dataclass(frozen=True)
class Step:
    """One thing a new organisation's admin does, whether it is done, and where to do it."""

    title: str
    why: str
    url: str
    done: bool


def first_run_steps(user: User) -> list[Step]:
    """Return an admin's first-run checklist; empty for members and once every step is done."""
    if not user.is_org_admin:
        return []
    org = user.organisation
    assert org is not None
    events = Event.objects.filter(organisation_id=org.pk)
    happened = set(
        events.filter(verb__in=[Verb.INVITED, Verb.COMMUNITY_CREATED, Verb.PROGRAM_CREATED])
        .values_list("verb", flat=True)
        .distinct()
    )
    someone_joined = events.filter(verb=Verb.JOINED).exclude(actor_id=user.pk).exists()
    profile_filled = events.filter(verb=Verb.PROFILE_UPDATED, actor_id=user.pk).exists()
    steps = [
        Step(
            "Choose who may join",
            "Colleagues with an address at your domain join without an invitation.",
            reverse("email_domains"),
            bool(org.email_domains),
        ),
        Step(
            "Invite colleagues",
            "A link by email, for anyone, at any address.",
            reverse("invitations"),
            Verb.INVITED in happened or someone_joined,
        ),
        Step(
            "Say what you can help with and want to learn",
            "Your profile is the first one colleagues see.",
            reverse("edit_profile"),
            profile_filled,
        ),
        Step(
            "Start a community",
            "A place for people who share a skill or a question.",
            reverse("community_create"),
            Verb.COMMUNITY_CREATED in happened,
        ),
        Step(
            "Start a mentoring programme",
            "Collect sign-ups, then match mentors and mentees in one go.",
            reverse("program_new"),
            Verb.PROGRAM_CREATED in happened,
        ),
    ]
    return [] if all(step.done for step in steps) else steps
