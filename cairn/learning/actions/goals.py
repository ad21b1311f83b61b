"""Learning goals: set, update, milestones, reflections, close."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cairn.checks import organisation_of
from cairn.errors import ActionError
from cairn.learning.health import touch as touch_from
from cairn.learning.models import Goal, Milestone, Reflection
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.actions import _resolve_skills
from cairn.people.locking import lock_row
from cairn.people.models import Profile, User

GOAL_FIELDS = ("title", "why", "target_date", "skills", "visibility", "progress", "communities")


def _check_title(title: str, field: str = "title") -> str:
    title = " ".join(str(title).split())
    if not title:
        raise ActionError("Please give it a short title.", field=field)
    if len(title) > 160:
        raise ActionError("Please keep the title under 160 characters.", field=field)
    return title


def _check_visibility(visibility: str) -> str:
    if visibility not in Goal.Visibility.values:
        raise ActionError(
            f"Visibility is one of {', '.join(Goal.Visibility.values)}.", field="visibility"
        )
    return visibility


def _check_target_date(target: date | None, *, is_new: bool) -> date | None:
    if target is not None and is_new and target < timezone.localdate():
        raise ActionError("Pick a target date that is still ahead.", field="target_date")
    return target


def _check_progress(progress: int | None) -> int | None:
    if progress is not None and not 0 <= int(progress) <= 100:
        raise ActionError("Progress is a percentage from 0 to 100.", field="progress")
    return None if progress is None else int(progress)


def _check_communities(user: User, community_ids: Iterable[int]) -> list[int]:
    """Return the ids, if ``user`` is an active member of each community, else say which not."""
    from cairn.communities.access import community_ids_of

    wanted = {int(pk) for pk in community_ids}
    if wanted - community_ids_of(user):
        raise ActionError("Link communities you are a member of.", field="communities")
    return sorted(wanted)


def _check_owner(user: User, goal: Goal) -> None:
    if goal.owner_id != user.pk:
        raise ActionError("Only the person whose goal it is can change it.", status=403)


def _check_open(goal: Goal) -> None:
    if goal.status != Goal.Status.OPEN:
        raise ActionError("This goal is closed.", status=409)


def do_set_goal(
    owner: User,
    title: str,
    *,
    why: str = "",
    target_date: date | None = None,
    skills: list[str] | tuple[str, ...] = (),
    visibility: str = Goal.Visibility.PARTNERS,
    communities: Iterable[int] = (),
) -> Goal:
    """Set a new learning goal. Setting the same open goal twice (a double click) returns it."""
    title = _check_title(title)
    visibility = _check_visibility(visibility)
    target_date = _check_target_date(target_date, is_new=True)
    community_ids = _check_communities(owner, communities)
    with transaction.atomic():
        # Serialise one person's goal-setting, so the duplicate check below is race-free.
        Profile.objects.select_for_update().filter(user=owner).first()
        existing = Goal.objects.filter(owner=owner, title=title, status=Goal.Status.OPEN).first()
        if existing is not None:
            return existing
        goal = Goal.objects.create(
            organisation=organisation_of(owner),
            owner=owner,
            title=title,
            why=why.strip(),
            target_date=target_date,
            visibility=visibility,
        )
        goal.skills.set(_resolve_skills(organisation_of(owner), skills))
        goal.communities.set(community_ids)
        record(Verb.GOAL_SET, actor=owner, obj=goal, context={"visibility": visibility})
    return goal


def do_update_goal(user: User, goal: Goal, **changes: Any) -> Goal:
    """Change a goal's title, why, target date, skills, communities (ids), visibility or
    progress (0–100, or None to derive it from the milestones again)."""
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise ActionError(f"Unknown goal field {sorted(unknown)[0]!r}.", sorted(unknown)[0])
    _check_owner(user, goal)
    with transaction.atomic():
        goal = lock_row(goal)
        _check_open(goal)
        changed: list[str] = []
        for field, value in changes.items():
            if field == "skills":
                skills = _resolve_skills(goal.organisation, value or [])
                if {s.pk for s in goal.skills.all()} != {s.pk for s in skills}:
                    goal.skills.set(skills)
                    changed.append(field)
                continue
            if field == "communities":
                ids = _check_communities(user, value or [])
                if {c.pk for c in goal.communities.all()} != set(ids):
                    goal.communities.set(ids)
                    changed.append(field)
                continue
            if field == "title":
                value = _check_title(value)
                clash = Goal.objects.filter(owner=user, title=value, status=Goal.Status.OPEN)
                if clash.exclude(pk=goal.pk).exists():
                    raise ActionError("You already have an open goal with this title.", "title")
            elif field == "why":
                value = (value or "").strip()
            elif field == "visibility":
                value = _check_visibility(value)
            elif field == "target_date":
                value = _check_target_date(value, is_new=False)
            elif field == "progress":
                field, value = "progress_set", _check_progress(value)
            if getattr(goal, field) != value:
                setattr(goal, field, value)
                changed.append(field)
        if changed:
            goal.updated_at = timezone.now()
            m2m = ("skills", "communities")
            goal.save(update_fields=[f for f in changed if f not in m2m] + ["updated_at"])
            record(Verb.GOAL_UPDATED, actor=user, obj=goal, context={"changed": changed})
    return goal


def do_add_milestone(user: User, goal: Goal, title: str) -> Milestone:
    """Add a step to a goal. Adding the same step twice (a double click) returns it."""
    title = _check_title(title)
    _check_owner(user, goal)
    with transaction.atomic():
        goal = lock_row(goal)
        _check_open(goal)
        milestone, created = Milestone.objects.get_or_create(goal=goal, title=title)
        if created:
            goal.updated_at = timezone.now()
            goal.save(update_fields=["updated_at"])
            record(
                Verb.GOAL_UPDATED,
                actor=user,
                obj=goal,
                context={"changed": ["milestones"], "milestone": milestone.pk},
            )
    return milestone


def do_complete_milestone(user: User, milestone: Milestone) -> Milestone:
    """Tick a milestone off; ticking it again changes nothing."""
    _check_owner(user, milestone.goal)
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update().select_related("goal").get(pk=milestone.pk)
        )
        _check_open(milestone.goal)
        if milestone.done_at is None:
            milestone.done_at = timezone.now()
            milestone.save(update_fields=["done_at"])
            touch_from(
                record(
                    Verb.MILESTONE_DONE,
                    actor=user,
                    obj=milestone.goal,
                    context={"milestone": milestone.pk},
                )
            )
    return milestone


def do_reflect(user: User, goal: Goal, text: str) -> Reflection:
    """Write a reflection on a goal along the way. The same words twice within a minute (a
    double click) are kept once."""
    text = text.strip()
    if not text:
        raise ActionError("Write a few words about what you tried or learned.", field="text")
    if len(text) > 4000:
        raise ActionError("Please keep a reflection under 4000 characters.", field="text")
    _check_owner(user, goal)
    with transaction.atomic():
        goal = lock_row(goal)
        _check_open(goal)
        recent = goal.reflections.filter(
            text=text, created_at__gte=timezone.now() - timedelta(minutes=1)
        ).first()
        if recent is not None:
            return recent
        reflection = Reflection.objects.create(goal=goal, author=user, text=text)
        record(Verb.GOAL_REFLECTED, actor=user, obj=goal, context={"reflection": reflection.pk})
    return reflection


def do_close_goal(user: User, goal: Goal, outcome: str, reflection: str) -> Goal:
    """Close a goal as achieved or set aside, with a closing reflection. Closing it again the
    same way (a double click) changes nothing."""
    if outcome not in (Goal.Status.ACHIEVED, Goal.Status.SET_ASIDE):
        raise ActionError("A goal closes as 'achieved' or 'set_aside'.", field="outcome")
    reflection = reflection.strip()
    if not reflection:
        raise ActionError(
            "A line on what you learned helps you (and others) later.", field="reflection"
        )
    _check_owner(user, goal)
    with transaction.atomic():
        goal = lock_row(goal)
        if goal.status == outcome:
            return goal
        _check_open(goal)
        goal.status = outcome
        goal.closing_reflection = reflection[:4000]
        goal.closed_at = goal.updated_at = timezone.now()
        goal.save(update_fields=["status", "closing_reflection", "closed_at", "updated_at"])
        record(Verb.GOAL_CLOSED, actor=user, obj=goal, context={"outcome": outcome})
    return goal
