"""Every change to requests for help, posts, comments, credits and thanks goes through here.

``check_*`` functions validate and raise :class:`ActionError`; ``do_*`` functions perform the
change and record its ledger event in the same transaction. A double submission within
:data:`cairn.checks.DOUBLE_SUBMIT_WINDOW` returns what the first one made instead of making it
twice.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from cairn.checks import (
    check_colleague,
    clean_text,
    just_submitted,
    organisation_id_of,
    organisation_of,
)
from cairn.communities.models import Community
from cairn.errors import ActionError
from cairn.exchange.models import (
    CREDIT_TARGETS,
    Comment,
    Credit,
    HelpRequest,
    Post,
    Response,
    Thanks,
)
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.actions import _resolve_skills
from cairn.people.locking import lock_person, lock_row
from cairn.people.models import User
from cairn.privileges.actions import check_daily_limit
from cairn.safeguards.actions import check_pair_cap
from cairn.visibility import can_see


def _submit_once[M: models.Model](
    person: User, model: type[M], limit: str, same: dict[str, Any], **more: Any
) -> tuple[M, bool]:
    """Return a new ``model`` row of ``person``'s organisation with fields ``same`` and ``more``,
    and True; or what ``person`` submitted with the same ``same`` just now, and False.

    Call it inside the transaction: it locks ``person`` so that two submissions of one form run
    one after the other, and checks their daily ``limit`` before creating.
    """
    lock_person(person)
    duplicate = just_submitted(model._default_manager.filter(**same))
    if duplicate is not None:
        return duplicate, False
    check_daily_limit(person, limit)
    made = model._default_manager.create(organisation_id=organisation_id_of(person), **same, **more)
    return made, True


def check_community(actor: User, community: Any) -> Any:
    """Refuse a community the actor cannot post in."""
    if community is None:
        return None
    if not Community.objects.readable_by(actor).filter(pk=community.pk).exists():
        raise ActionError("No such community.", field="community")
    if community.is_archived():
        raise ActionError("That community is archived.", field="community")
    return community


# Requests for help -------------------------------------------------------------------------------


def do_ask(
    asker: User,
    title: str,
    details: str = "",
    *,
    skills: Iterable[str] = (),
    directed_to: Iterable[User] = (),
    community: Any = None,
    goal: Any = None,
) -> HelpRequest:
    """Ask for help; record ``asked`` (subject: the one person asked, if exactly one)."""
    title = clean_text(title, "title", "what you need help with", 200)
    details = clean_text(details, "details", "the details", 8000, required=False)
    people: list[User] = []
    for person in directed_to:
        check_colleague(asker, person, "directed_to")
        if person.pk == asker.pk:
            raise ActionError("You cannot ask yourself for help.", field="directed_to")
        if person.pk not in {p.pk for p in people}:
            people.append(person)
    check_community(asker, community)
    if goal is not None and goal.owner_id != asker.pk:
        raise ActionError("Choose one of your own goals.", field="goal")
    with transaction.atomic():
        help_request, created = _submit_once(
            asker,
            HelpRequest,
            "ask",
            {"asker": asker, "title": title, "details": details},
            community=community,
            goal=goal,
        )
        if not created:
            return help_request
        help_request.skills.set(_resolve_skills(organisation_of(asker), skills))
        help_request.directed_to.set(people)
        record(
            Verb.ASKED,
            actor=asker,
            subject=people[0] if len(people) == 1 else None,
            obj=help_request,
            context={
                "directed_to": [p.pk for p in people],
                "community": getattr(community, "pk", None),
            },
        )
    return help_request


def do_respond(responder: User, help_request: HelpRequest, body: str) -> Response:
    """Respond to a request; the first response of each person records ``responded``."""
    body = clean_text(body, "body", "your response", 8000)
    if not can_see(responder, help_request):
        raise ActionError("No such request.", status=404)
    if responder.pk == help_request.asker_id:
        raise ActionError("Add to your request's details instead of responding to it.", "body")
    with transaction.atomic():
        locked = lock_row(help_request)
        if not locked.is_open():
            raise ActionError("This request is resolved; thank you all the same.", status=409)
        earlier = locked.responses.filter(responder=responder)
        duplicate = just_submitted(earlier.filter(body=body))
        if duplicate is not None:
            return duplicate
        first_of_theirs = not earlier.exists()
        now = timezone.now()
        response = Response.objects.create(
            help_request=locked, responder=responder, body=body, created_at=now
        )
        if locked.first_response_at is None:
            locked.first_response_at = now
            locked.save(update_fields=["first_response_at"])
        if first_of_theirs:
            record(
                Verb.RESPONDED,
                actor=responder,
                subject=locked.asker_id,
                obj=response,
                value=(now - locked.created_at).total_seconds() / 3600,
                context={"request": locked.pk},
            )
    help_request.first_response_at = locked.first_response_at
    return response


def do_mark_response(
    asker: User,
    response: Response,
    *,
    helpful: bool | None = None,
    accepted: bool | None = None,
) -> Response:
    """Mark a response helpful and/or accepted (the asker only); ``helped`` is recorded once."""
    help_request = response.help_request
    if help_request.asker_id != asker.pk:
        raise ActionError("Only the person who asked can mark responses.", status=403)
    with transaction.atomic():
        response = lock_row(response)
        changes = {}
        if helpful is not None and helpful != response.helpful:
            changes["helpful"] = helpful
        if accepted is not None and accepted != response.accepted:
            changes["accepted"] = accepted
        if not changes:
            return response
        for field, value in changes.items():
            setattr(response, field, value)
        response.marked_at = timezone.now()
        fields = [*changes, "marked_at"]
        record(
            Verb.RESPONSE_MARKED,
            actor=asker,
            subject=response.responder,
            obj=response,
            context={**changes, "request": help_request.pk},
        )
        if response.was_valued() and response.helped_recorded_at is None:
            response.helped_recorded_at = response.marked_at
            fields.append("helped_recorded_at")
            record(
                Verb.HELPED,
                actor=response.responder,
                subject=asker,
                obj=response,
                organisation=help_request.organisation,
                context={"request": help_request.pk},
            )
        response.save(update_fields=fields)
    return response


def do_resolve(
    asker: User,
    help_request: HelpRequest,
    credits: Sequence[tuple[User, str]] = (),
) -> HelpRequest:
    """Mark a request resolved (the asker only), crediting the people who helped."""
    if help_request.asker_id != asker.pk:
        raise ActionError("Only the person who asked can resolve the request.", status=403)
    with transaction.atomic():
        locked = lock_row(help_request)
        if locked.is_open():
            locked.status = HelpRequest.Status.RESOLVED
            locked.resolved_at = timezone.now()
            locked.save(update_fields=["status", "resolved_at"])
            record(Verb.REQUEST_RESOLVED, actor=asker, obj=locked)
        if credits:
            do_credit(asker, locked, credits)
    return locked


def do_expire_help_requests(now: datetime | None = None) -> int:
    """Record ``unanswered`` for each directed person who never responded to an expired request.

    Runs once per request (``expiry_recorded_at``); returns how many events were recorded.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CAIRN_REQUEST_EXPIRY_DAYS)
    due = HelpRequest.objects.filter(
        created_at__lte=cutoff, expiry_recorded_at__isnull=True, directed_to__isnull=False
    ).distinct()
    recorded = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            help_request = (
                HelpRequest.objects.select_for_update()
                .select_related("asker", "organisation")
                .get(pk=pk)
            )
            if help_request.expiry_recorded_at is not None:
                continue
            responders = set(help_request.responses.values_list("responder_id", flat=True))
            waiting = help_request.directed_to.exclude(pk__in=responders)
            if not help_request.was_open_at(help_request.expires_at()):
                # Resolved before it expired: the people asked were not needed after all.
                waiting = waiting.none()
            for person in waiting:
                record(
                    Verb.UNANSWERED,
                    actor=help_request.asker,
                    subject=person,
                    obj=help_request,
                    organisation=help_request.organisation,
                    time=now,
                )
                recorded += 1
            help_request.expiry_recorded_at = now
            help_request.save(update_fields=["expiry_recorded_at"])
    return recorded


# Posts and comments -------------------------------------------------------------------------------


def do_share_post(
    author: User,
    title: str,
    body: str,
    *,
    kind: str = Post.Kind.KNOW_HOW,
    learned: str = "",
    community: Any = None,
    skills: Iterable[str] = (),
) -> Post:
    """Publish know-how (``shared``) or a lesson learned (``lesson_shared``)."""
    if kind not in Post.Kind.values:
        raise ActionError("A post is know-how or a lesson learned.", field="kind")
    title = clean_text(title, "title", "a title", 200)
    if kind == Post.Kind.LESSON:
        body = clean_text(body, "body", "what happened", 20000)
        learned = clean_text(learned, "learned", "what you learned", 20000)
    else:
        body = clean_text(body, "body", "what you want to share", 20000)
        learned = ""
    check_community(author, community)
    with transaction.atomic():
        post, created = _submit_once(
            author,
            Post,
            "post",
            {"author": author, "title": title, "body": body},
            kind=kind,
            learned=learned,
            community=community,
        )
        if not created:
            return post
        post.skills.set(_resolve_skills(organisation_of(author), skills))
        verb = Verb.LESSON_SHARED if kind == Post.Kind.LESSON else Verb.SHARED
        record(verb, actor=author, obj=post, context={"community": getattr(community, "pk", None)})
    return post


def do_comment(author: User, post: Post, body: str) -> Comment:
    """Comment on a post; record ``commented`` (subject: the post's author)."""
    body = clean_text(body, "body", "a comment", 8000)
    if not can_see(author, post):
        raise ActionError("No such post.", status=404)
    with transaction.atomic():
        lock_row(post)
        duplicate = just_submitted(post.comments.filter(author=author, body=body))
        if duplicate is not None:
            return duplicate
        comment = Comment.objects.create(post=post, author=author, body=body)
        record(
            Verb.COMMENTED,
            actor=author,
            subject=post.author if post.author_id != author.pk else None,
            obj=comment,
            context={"post": post.pk},
        )
    return comment


# Credits and thanks -------------------------------------------------------------------------------


def credit_owner_ids(target: models.Model) -> set[int]:
    """Return who may credit others on ``target``.

    A model says so with ``credit_owner_ids()``; otherwise its ``owner``, ``asker``, ``author``
    or ``logged_by`` is the owner.
    """
    method = getattr(target, "credit_owner_ids", None)
    if callable(method):
        return set(method())
    for field in ("owner_id", "asker_id", "author_id", "logged_by_id"):
        value = getattr(target, field, None)
        if value is not None:
            return {value}
    return set()


def check_credit_target(actor: User, target: models.Model) -> None:
    """Refuse a target that cannot carry credits, or that the actor does not own."""
    if target._meta.label_lower not in CREDIT_TARGETS or not can_see(actor, target):
        raise ActionError("No such thing to credit.", status=404)
    if actor.pk not in credit_owner_ids(target):
        raise ActionError("Only its owner can give credit on this.", status=403)


def do_credit(
    actor: User, target: models.Model, credits: Sequence[tuple[User, str]]
) -> list[Credit]:
    """Credit people whose contributions helped, each with a line saying what they gave.

    Only the target's owner credits; each recipient is a colleague other than oneself and is
    credited once per target (crediting them again changes nothing). Records ``credited``.
    """
    check_credit_target(actor, target)
    if not credits:
        raise ActionError("Choose at least one person to credit.", field="recipient")
    seen: set[int] = set()
    cleaned = []
    for recipient, line in credits:
        check_colleague(actor, recipient, "recipient")
        if recipient.pk == actor.pk:
            raise ActionError("Credit others, not yourself.", field="recipient")
        if recipient.pk in seen:
            raise ActionError("Each person once, please.", field="recipient")
        seen.add(recipient.pk)
        cleaned.append((recipient, clean_text(line, "line", "what they gave", 300)))
    content_type = ContentType.objects.get_for_model(target)
    made = []
    with transaction.atomic():
        # Lock the actor's row: two submissions of the same form run one after the other.
        lock_person(actor)
        already = set(
            Credit.objects.filter(
                content_type=content_type, object_id=target.pk, recipient__in=seen
            ).values_list("recipient_id", flat=True)
        )
        check_pair_cap(actor, seen - already, Verb.CREDITED)
        # In one order, whoever gives the credits: each records into its recipient's tally row
        # (cairn.ledger.tally), and two people crediting the same colleagues in opposite
        # orders at once would otherwise each wait for the other's lock.
        for recipient, line in sorted(cleaned, key=lambda pair: pair[0].pk):
            if recipient.pk in already:
                continue
            credit = Credit.objects.create(
                organisation_id=organisation_id_of(actor),
                giver=actor,
                recipient=recipient,
                line=line,
                content_type=content_type,
                object_id=target.pk,
            )
            record(
                Verb.CREDITED,
                actor=actor,
                subject=recipient,
                obj=credit,
                context={"target": f"{content_type.app_label}.{content_type.model}:{target.pk}"},
            )
            made.append(credit)
    given = [recipient.pk for recipient, _ in cleaned]
    return sorted(made, key=lambda credit: given.index(credit.recipient_id))


def do_thank(sender: User, recipient: User, note: str, about: models.Model | None = None) -> Thanks:
    """Send a thank-you note to a colleague; record ``thanked``. Once per thing it is about
    (checked under the sender's lock); the same note again at once (a double click) returns
    the first."""
    check_colleague(sender, recipient, "recipient")
    if recipient.pk == sender.pk:
        raise ActionError("Thank someone else — you deserve it too, though.", field="recipient")
    note = clean_text(note, "note", "a note", 1000)
    if about is not None and not can_see(sender, about):
        raise ActionError("No such thing.", field="about")
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    with transaction.atomic():
        lock_person(sender)
        duplicate = just_submitted(
            Thanks.objects.filter(sender=sender, recipient=recipient, note=note)
        )
        if duplicate is not None:
            return duplicate
        if (
            about is not None
            and Thanks.objects.filter(
                sender=sender, recipient=recipient, content_type=content_type, object_id=about.pk
            ).exists()
        ):
            raise ActionError(
                f"You have already thanked {recipient.profile.name} for this, and it counted. "
                "One thank-you for each thing is plenty; there is always the next one.",
                field="note",
                status=409,
            )
        check_daily_limit(sender, "thank")
        check_pair_cap(sender, [recipient], Verb.THANKED)
        thanks = Thanks.objects.create(
            organisation_id=organisation_id_of(sender),
            sender=sender,
            recipient=recipient,
            note=note,
            content_type=content_type,
            object_id=about.pk if about is not None else None,
        )
        context = {}
        if about is not None:
            context["about"] = f"{about._meta.label_lower}:{about.pk}"
        record(Verb.THANKED, actor=sender, subject=recipient, obj=thanks, context=context)
    return thanks
