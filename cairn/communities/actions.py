"""Every change to communities goes through these functions.

``check_*`` functions validate and raise :class:`ActionError`; ``do_*`` functions perform the
change and record its ledger event in the same transaction. State transitions lock the community
row (``select_for_update``), so a double click or two facilitators at once end consistent.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cairn.checks import DOUBLE_SUBMIT_WINDOW, clean_text, just_submitted, organisation_id_of
from cairn.communities.models import Community, Membership, Reply, Resource, Thread
from cairn.errors import ActionError
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.locking import lock_person, lock_row
from cairn.people.models import User
from cairn.privileges.actions import check_daily_limit
from cairn.visibility import can_see, forget_rules


def _locked_membership(membership: Membership) -> Membership:
    """Lock the membership's community, refuse an archived one, and return the locked row."""
    check_writable(lock_row(membership.community))
    return lock_row(membership)


def _forget_member(membership: Membership) -> None:
    """Forget the visibility kept on the member's user object, where it was read with the row
    (reading it only to forget would cost a query)."""
    if Membership.user.is_cached(membership):
        forget_rules(membership.user)


def check_same_organisation(actor: User, community: Community) -> None:
    """Refuse anyone outside the community's organisation as if it did not exist."""
    if not can_see(actor, community):
        raise ActionError("No such community.", status=404)


def check_writable(community: Community) -> None:
    """Refuse changes to an archived community."""
    if community.is_archived():
        raise ActionError("This community is archived and can be read, not changed.", status=409)


def check_member(actor: User, community: Community) -> Membership:
    """Return the actor's active membership, or refuse."""
    check_same_organisation(actor, community)
    membership = community.membership_of(actor)
    if membership is None or not membership.is_active():
        if not community.is_open():
            raise ActionError("No such community.", status=404)
        raise ActionError("Join the community to take part.", status=403)
    return membership


def check_facilitator(actor: User, community: Community) -> Membership:
    """Return the actor's facilitator membership, or refuse."""
    membership = check_member(actor, community)
    if not membership.is_facilitator():
        raise ActionError("Only the community's facilitators can do that.", status=403)
    return membership


def check_community(name: str, description: str, policy: str) -> tuple[str, str, str]:
    """Validate a community's name, description and join policy; return the cleaned name,
    its slug and the cleaned description."""
    name = clean_text(name, "name", "a name", 120)
    slug = slugify(name)[:130]
    if not slug:
        raise ActionError("Please use some letters or digits in the name.", field="name")
    if policy not in Community.Policy.values:
        raise ActionError("Choose open or by approval.", field="policy")
    description = (description or "").strip()
    if len(description) > 4000:
        raise ActionError("Please keep the description under 4000 characters.", "description")
    return name, slug, description


def do_create_community(
    actor: User, name: str, description: str = "", policy: str = Community.Policy.OPEN
) -> Community:
    """Start a community; its creator is its first facilitator."""
    name, slug, description = check_community(name, description, policy)
    with transaction.atomic():
        lock_person(actor)
        # Lock the organisation's communities of that name so a double submission creates one.
        existing = (
            Community.objects.select_for_update()
            .filter(organisation_id=organisation_id_of(actor), slug=slug)
            .first()
        )
        if existing is not None:
            if existing.created_by_id == actor.pk and (
                timezone.now() - existing.created_at < DOUBLE_SUBMIT_WINDOW
            ):
                return existing
            raise ActionError("A community with this name exists already.", field="name")
        check_daily_limit(actor, "community")
        community = Community.objects.create(
            organisation_id=organisation_id_of(actor),
            name=name,
            slug=slug,
            description=description,
            policy=policy,
            created_by=actor,
        )
        Membership.objects.create(
            community=community,
            user=actor,
            role=Membership.Role.FACILITATOR,
            status=Membership.Status.ACTIVE,
            joined_at=community.created_at,
        )
        record(Verb.COMMUNITY_CREATED, actor=actor, obj=community, context={"policy": policy})
    forget_rules(actor)  # now a facilitator
    return community


def do_update_community(
    actor: User, community: Community, *, name: str, description: str, policy: str
) -> Community:
    """Change a community's name, description or join policy (facilitators)."""
    check_facilitator(actor, community)
    name, slug, description = check_community(name, description, policy)
    with transaction.atomic():
        community = lock_row(community)
        check_writable(community)
        taken = Community.objects.filter(organisation_id=community.organisation_id, slug=slug)
        if taken.exclude(pk=community.pk).exists():
            raise ActionError("A community with this name exists already.", field="name")
        changes = {"name": name, "slug": slug, "description": description, "policy": policy}
        changed = [field for field, value in changes.items() if getattr(community, field) != value]
        if not changed:
            return community
        for field in changed:
            setattr(community, field, changes[field])
        community.save(update_fields=changed)
        record(
            Verb.COMMUNITY_UPDATED,
            actor=actor,
            obj=community,
            context={"fields": [f for f in changed if f != "slug"]},
        )
    return community


def do_join(actor: User, community: Community, message: str = "") -> Membership:
    """Join an open community, or ask to join one by approval. Asking twice changes nothing."""
    check_same_organisation(actor, community)
    with transaction.atomic():
        community = lock_row(community)
        check_writable(community)
        membership = community.memberships.filter(user=actor).first()
        if membership is not None and membership.status in (
            Membership.Status.ACTIVE,
            Membership.Status.PENDING,
        ):
            return membership
        now = timezone.now()
        if membership is None:
            membership = Membership(community=community, user=actor)
        membership.message = (message or "").strip()[:500]
        membership.requested_at = now
        membership.left_at = None
        membership.role = Membership.Role.MEMBER
        if community.is_open():
            membership.status = Membership.Status.ACTIVE
            membership.joined_at = now
            verb = Verb.COMMUNITY_JOINED
        else:
            membership.status = Membership.Status.PENDING
            membership.joined_at = None
            verb = Verb.COMMUNITY_JOIN_REQUESTED
        membership.save()
        context = {}
        if verb == Verb.COMMUNITY_JOIN_REQUESTED:  # the facilitators are the ones to answer
            context["notify"] = list(
                community.memberships.filter(
                    role=Membership.Role.FACILITATOR, status=Membership.Status.ACTIVE
                ).values_list("user_id", flat=True)
            )
        record(verb, actor=actor, obj=community, context=context)
    forget_rules(actor)
    return membership


def do_answer_join_request(actor: User, membership: Membership, *, approve: bool) -> Membership:
    """Welcome someone who asked to join, or decline (facilitators). Answering twice is a no-op."""
    given = membership
    community = membership.community
    check_facilitator(actor, community)
    with transaction.atomic():
        membership = _locked_membership(membership)
        if not membership.is_pending():
            return membership
        if approve:
            membership.status = Membership.Status.ACTIVE
            membership.joined_at = timezone.now()
            membership.save(update_fields=["status", "joined_at"])
            # The person joined; the facilitator who welcomed them is in the context.
            record(
                Verb.COMMUNITY_JOINED,
                actor=membership.user,
                obj=community,
                context={"approved_by": actor.pk},
            )
        else:
            membership.status = Membership.Status.DECLINED
            membership.save(update_fields=["status"])
            record(
                Verb.COMMUNITY_JOIN_DECLINED, actor=actor, subject=membership.user, obj=community
            )
    _forget_member(given)
    return membership


def do_make_facilitator(actor: User, membership: Membership) -> Membership:
    """Make an active member a facilitator too (facilitators)."""
    given = membership
    community = membership.community
    check_facilitator(actor, community)
    with transaction.atomic():
        membership = _locked_membership(membership)
        if not membership.is_active():
            raise ActionError("Only members can facilitate.", field="member")
        if membership.is_facilitator():
            return membership
        membership.role = Membership.Role.FACILITATOR
        membership.save(update_fields=["role"])
        record(Verb.FACILITATOR_ADDED, actor=actor, subject=membership.user, obj=community)
    _forget_member(given)
    return membership


def do_leave(actor: User, community: Community) -> Membership:
    """Leave a community. The last facilitator names another first, unless no one else is left."""
    check_same_organisation(actor, community)
    with transaction.atomic():
        community = lock_row(community)
        membership = community.memberships.select_for_update().filter(user=actor).first()
        if membership is None or membership.status not in (
            Membership.Status.ACTIVE,
            Membership.Status.PENDING,
        ):
            raise ActionError("You are not a member of this community.", status=409)
        if membership.is_facilitator() and not community.is_archived():
            others = community.memberships.filter(status=Membership.Status.ACTIVE).exclude(
                pk=membership.pk
            )
            if others.exists() and not others.filter(role=Membership.Role.FACILITATOR).exists():
                raise ActionError(
                    "You are the last facilitator: make someone else a facilitator first.",
                    status=409,
                )
        was_active = membership.is_active()
        membership.status = Membership.Status.LEFT
        membership.left_at = timezone.now()
        membership.save(update_fields=["status", "left_at"])
        record(
            Verb.COMMUNITY_LEFT, actor=actor, obj=community, context={"was_pending": not was_active}
        )
    forget_rules(actor)
    return membership


def do_archive(actor: User, community: Community) -> Community:
    """Archive a community: it stays readable and takes no new posts (facilitators)."""
    check_facilitator(actor, community)
    with transaction.atomic():
        community = lock_row(community)
        if community.is_archived():
            return community
        community.archived_at = timezone.now()
        community.save(update_fields=["archived_at"])
        record(Verb.COMMUNITY_ARCHIVED, actor=actor, obj=community)
    return community


def do_start_thread(actor: User, community: Community, title: str, body: str) -> Thread:
    """Start a discussion (members)."""
    check_member(actor, community)
    title = clean_text(title, "title", "a title", 200)
    body = clean_text(body, "body", "what you want to discuss", 10000)
    with transaction.atomic():
        community = lock_row(community)
        check_writable(community)
        now = timezone.now()
        duplicate = just_submitted(community.threads.filter(author=actor, title=title, body=body))
        if duplicate is not None:
            return duplicate
        thread = Thread.objects.create(
            community=community,
            author=actor,
            title=title,
            body=body,
            created_at=now,
            last_activity_at=now,
        )
        record(Verb.THREAD_STARTED, actor=actor, obj=thread, context={"community": community.pk})
    return thread


def do_reply(actor: User, thread: Thread, body: str) -> Reply:
    """Reply in a discussion (members)."""
    community = thread.community
    check_member(actor, community)
    body = clean_text(body, "body", "a reply", 10000)
    with transaction.atomic():
        community = lock_row(community)
        check_writable(community)
        now = timezone.now()
        duplicate = just_submitted(thread.replies.filter(author=actor, body=body))
        if duplicate is not None:
            return duplicate
        reply = Reply.objects.create(thread=thread, author=actor, body=body, created_at=now)
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
        record(
            Verb.COMMENTED,
            actor=actor,
            subject=thread.author if thread.author_id != actor.pk else None,
            obj=reply,
            context={"thread": thread.pk, "community": community.pk},
        )
    return reply


def do_share_resource(
    actor: User, community: Community, title: str, url: str, note: str = ""
) -> Resource:
    """Share a link with the community (members). The same link is shared once."""
    check_member(actor, community)
    title = clean_text(title, "title", "a title", 200)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ActionError("Enter a full link starting with https://.", field="url") from None
    if len(url) > 500:
        raise ActionError("That link is too long.", field="url")
    with transaction.atomic():
        community = lock_row(community)
        check_writable(community)
        existing = community.resources.filter(url=url).first()
        if existing is not None:
            if existing.shared_by_id == actor.pk:
                return existing
            raise ActionError("Someone has shared this link here already.", field="url")
        resource = Resource.objects.create(
            community=community,
            shared_by=actor,
            title=title,
            url=url,
            note=(note or "").strip()[:2000],
        )
        record(Verb.RESOURCE_SHARED, actor=actor, obj=resource, context={"community": community.pk})
    return resource
