"""The load test's preparation, in a fresh process with the web server's settings (run by
bench/load.py): make sure the organisation is there, sign its members in, give them
commitments to confirm, and write the plan the locustfile reads.

Members are signed in the way Django's own test client does it: a session row holding the
user's id and password hash, made with the server's SECRET_KEY and session engine. The
production server accepts it as any session; nothing in Cairn is added for the benchmark.

    python -m bench._load_setup ORG PLAN.json --users N --confirmations M
"""

import argparse
import json
import random
import sys
from datetime import timedelta
from pathlib import Path

import django

SEED = 15


def _signed_in_cookie(user) -> str:  # type: ignore[no-untyped-def]
    """Return the session cookie value of a fresh session for ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _thanks_left(user) -> int:  # type: ignore[no-untyped-def]
    """Return how many thanks ``user`` may still send today without a 429."""
    from cairn.privileges.access import counted_today, profile_of, standing_of
    from cairn.privileges.policy import BY_NAME, LIMIT_KINDS

    privilege = BY_NAME[LIMIT_KINDS["thank"]]
    limit = privilege.limit()
    if limit is None or standing_of(user, privilege, profile_of(user)).held:
        return 10_000
    return max(0, limit - counted_today(user, privilege).count())


def _thank_recipients(user, handles: dict[int, str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the colleagues ``user`` may still thank today (below the pair cap)."""
    from django.utils import timezone

    from cairn.ledger.models import Event
    from cairn.safeguards.actions import pair_cap

    cap = pair_cap("thanked")
    since = timezone.now() - timedelta(hours=24)
    thanked = Event.objects.filter(actor=user, verb="thanked", time__gte=since)
    counts: dict[int, int] = {}
    for subject_id in thanked.values_list("subject_id", flat=True):
        counts[subject_id] = counts.get(subject_id, 0) + 1
    # One thanks per colleague in a run keeps every pair below the cap.
    return [h for pk, h in handles.items() if pk != user.pk and counts.get(pk, 0) < cap - 1]


def _commitments_to_confirm(org, members: list, per_member: int) -> dict[int, list[int]]:  # type: ignore[no-untyped-def,type-arg]
    """Return, per member, open commitments made to them, creating (through the action) as
    many as the run may confirm."""
    from django.utils import timezone

    from cairn.commitments.actions import do_commit
    from cairn.commitments.models import Commitment

    rng = random.Random(SEED)
    due = timezone.now() + timedelta(days=30)
    result: dict[int, list[int]] = {}
    for member in members:
        open_ones = list(
            Commitment.objects.filter(
                counterpart=member, status=Commitment.Status.OPEN
            ).values_list("pk", flat=True)[:per_member]
        )
        others = [m for m in members if m.pk != member.pk]
        while len(open_ones) < per_member:
            committer = rng.choice(others)
            made = do_commit(
                committer,
                member,
                f"Send {member.profile.name} my notes from the load test ({rng.random():.12f})",
                due,
            )
            open_ones.append(made.pk)
        result[member.pk] = open_ones
    return result


#: How many of the newest posts and requests a member's reads and writes are drawn from.
RECENT = 2000
#: How many of them each member reads and writes.
PER_MEMBER = 40


def _spread(rng: random.Random, newest_first) -> list[int]:  # type: ignore[no-untyped-def]
    """Return :data:`PER_MEMBER` ids drawn at random from the :data:`RECENT` newest.

    Every member used to take the same 40 newest, so each run's comments and responses piled
    onto the same few posts and requests (after a few runs they held 50-60 responses each,
    against 2 for Meridian's median request) and every run measured heavier pages than the
    last; an organisation's activity is spread over much of its recent content."""
    recent = list(newest_first[:RECENT])
    return rng.sample(recent, min(PER_MEMBER, len(recent)))


def plan(org_slug: str, users: int, confirmations: int) -> dict[str, object]:
    """Return the plan: one entry per signed-in member, with what they read and act on."""
    from django.conf import settings

    from cairn.communities.models import Community
    from cairn.exchange.models import HelpRequest, Post
    from cairn.people.models import Organisation, Skill, User

    org = Organisation.objects.get(slug=org_slug)
    everyone = list(
        User.objects.filter(organisation=org, is_active=True, profile__isnull=False)
        .select_related("profile")
        .order_by("pk")
    )
    rng = random.Random(SEED)
    members = sorted(rng.sample(everyone, min(users, len(everyone))), key=lambda u: u.pk)
    handles = {u.pk: u.profile.handle for u in everyone}
    words = [u.profile.name.split()[0] for u in everyone[:200]]
    skills = list(Skill.objects.filter(organisation=org).values_list("name", flat=True)[:200])
    commitments = _commitments_to_confirm(org, members, confirmations)
    planned = []
    for member in members:
        posts = _spread(
            rng,
            Post.objects.visible_to(member).order_by("-created_at").values_list("pk", flat=True),
        )
        open_requests = _spread(
            rng,
            HelpRequest.objects.visible_to(member)
            .filter(status=HelpRequest.Status.OPEN)
            .exclude(asker=member)
            .order_by("-created_at")
            .values_list("pk", flat=True),
        )
        requests = _spread(
            rng,
            HelpRequest.objects.visible_to(member)
            .order_by("-created_at")
            .values_list("pk", flat=True),
        )
        communities = list(Community.objects.visible_to(member).values_list("pk", flat=True)[:20])
        recipients = _thank_recipients(member, handles)
        rng.shuffle(recipients)
        planned.append(
            {
                "id": member.pk,
                "cookie": _signed_in_cookie(member),
                "handles": rng.sample(list(handles.values()), min(40, len(handles))),
                "posts": posts,
                "requests": requests,
                "open_requests": open_requests,
                "communities": communities,
                "thanks_left": min(_thanks_left(member), len(recipients)),
                "thank": recipients[:50],
                "confirm": commitments[member.pk],
            }
        )
    return {
        "organisation": org.slug,
        "people": len(everyone),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "search_words": words + skills,
        "members": planned,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("organisation")
    parser.add_argument("plan")
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--confirmations", type=int, default=5)
    parser.add_argument("--exists", action="store_true", help="only check the organisation")
    args = parser.parse_args()
    django.setup()
    from cairn.people.models import Organisation

    if not Organisation.objects.filter(slug=args.organisation).exists():
        print(f"no organisation {args.organisation!r}", file=sys.stderr)
        sys.exit(3)
    if args.exists:
        return
    result = plan(args.organisation, args.users, args.confirmations)
    Path(args.plan).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
