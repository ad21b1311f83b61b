"""Learning communities (circles): members, facilitators, discussion threads and resources."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone

from cairn.moderation.rules import shown_to
from cairn.visibility import built_once_per_viewer, kept_for_viewer


class CommunityQuerySet(models.QuerySet["Community"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "CommunityQuerySet":
        """Return the communities whose name and description ``user`` may see: their
        organisation's."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def readable_by(self, user) -> "CommunityQuerySet":
        """Return the communities whose threads, replies and resources ``user`` may read: the
        open ones, and those they are an active member of."""
        closed = self.access_of(user).closed
        visible = self.visible_to(user)
        return visible.exclude(pk__in=closed) if closed else visible

    def access_of(self, user) -> "CommunityAccess":
        """Return ``user``'s :class:`CommunityAccess`, read in one query once per user object (see
        :func:`cairn.visibility.kept_for_viewer`); the actions that change a membership
        forget it. (A change of policy is made by an active facilitator, whose access it does
        not change; others see it from their next request.)"""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return CommunityAccess()
        return kept_for_viewer(
            user,
            f"community_access:{user.organisation_id}",
            lambda: _read_access(user, self.db),
        )


@dataclass(frozen=True)
class CommunityAccess:
    """Where a person stands in their organisation's communities, as visibility rules need it:
    the ids of the approval-only communities whose threads they may not read (they are not an
    active member) and of those they facilitate (and so moderate)."""

    closed: tuple[int, ...] = ()
    facilitated: tuple[int, ...] = ()


def _read_access(user, using: str) -> CommunityAccess:
    """Read ``user``'s :class:`CommunityAccess`: their organisation's approval-only communities
    and those they facilitate, each with the role of their active membership, if any.

    Written as SQL: it runs on nearly every request, and built by Django (a filtered relation)
    the same query took 0.9 ms a reader, most of it building and compiling, against 0.2 ms
    as SQL (Meridian, 2026-12-05)."""
    connection = connections[using]

    def column(model: type[models.Model], name: str) -> str:
        field = next(f for f in model._meta.concrete_fields if f.name == name)
        return connection.ops.quote_name(str(field.column))

    c_id, policy = column(Community, "id"), column(Community, "policy")
    m_role = column(Membership, "role")
    communities = connection.ops.quote_name(Community._meta.db_table)
    memberships = connection.ops.quote_name(Membership._meta.db_table)
    # Names from the models, values as parameters: nothing from users in the SQL text.
    sql = (
        f"SELECT c.{c_id}, c.{policy}, m.{m_role} FROM {communities} c "  # noqa: S608  # nosec B608
        f"LEFT JOIN {memberships} m ON m.{column(Membership, 'community')} = c.{c_id} "
        f"AND m.{column(Membership, 'user')} = %s AND m.{column(Membership, 'status')} = %s "
        f"WHERE c.{column(Community, 'organisation')} = %s "
        f"AND (c.{policy} = %s OR m.{m_role} = %s) ORDER BY c.{c_id}"
    )
    params = [
        user.pk,
        Membership.Status.ACTIVE.value,
        user.organisation_id,
        Community.Policy.APPROVAL.value,
        Membership.Role.FACILITATOR.value,
    ]
    closed, facilitated = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, community_policy, role in cursor.fetchall():
            if role is None and community_policy == Community.Policy.APPROVAL:
                closed.append(pk)
            if role == Membership.Role.FACILITATOR:
                facilitated.append(pk)
    return CommunityAccess(tuple(closed), tuple(facilitated))


class CommunityContentQuerySet(models.QuerySet):
    """Threads and resources: read by whoever may read their community, unless moderators hid
    them (see :mod:`cairn.moderation.rules`)."""

    @built_once_per_viewer
    def visible_to(self, user):
        """Return the rows in communities ``user`` may read."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        readable = self.filter(community__organisation_id=user.organisation_id)
        closed = Community.objects.access_of(user).closed
        if closed:
            readable = readable.exclude(community_id__in=closed)
        author = "shared_by_id" if self.model is Resource else "author_id"
        return readable.filter(shown_to(user, self.model._meta.label_lower, author, "community_id"))


class ReplyQuerySet(models.QuerySet["Reply"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "ReplyQuerySet":
        """Return the replies in threads ``user`` may read (not in a thread hidden from them)."""
        return self.filter(thread__in=Thread.objects.visible_to(user))


class Community(models.Model):
    """A circle of colleagues learning together.

    ``open`` communities are visible, threads and all, to the whole organisation and anyone may
    join; ``approval`` communities show their name and description to the organisation, but their
    threads and resources only to members, and a facilitator approves each join request.
    """

    class Policy(models.TextChoices):
        OPEN = "open", "Open: anyone in the organisation can join"
        APPROVAL = "approval", "By approval: a facilitator welcomes each new member"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=130)
    description = models.TextField(blank=True, max_length=4000)
    policy = models.CharField(max_length=10, choices=Policy.choices, default=Policy.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="community_unique_slug")
        ]
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community", args=[self.pk])

    def is_archived(self) -> bool:
        """Return whether the community is archived (read-only)."""
        return self.archived_at is not None

    def is_open(self) -> bool:
        """Return whether anyone in the organisation may join and read without approval."""
        return self.policy == self.Policy.OPEN

    def membership_of(self, user) -> "Membership | None":
        """Return ``user``'s membership row (any status), or None."""
        if not getattr(user, "is_authenticated", False):
            return None
        return self.memberships.filter(user_id=user.pk).first()

    def is_member(self, user) -> bool:
        """Return whether ``user`` is an active member (facilitators included)."""
        membership = self.membership_of(user)
        return membership is not None and membership.is_active()

    def is_facilitator(self, user) -> bool:
        """Return whether ``user`` is an active facilitator."""
        membership = self.membership_of(user)
        return membership is not None and membership.is_active() and membership.is_facilitator()


class Membership(models.Model):
    """A person's place in a community: asked to join, member, facilitator, or gone."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        FACILITATOR = "facilitator", "Facilitator"

    class Status(models.TextChoices):
        PENDING = "pending", "Asked to join"
        ACTIVE = "active", "Member"
        DECLINED = "declined", "Not this time"
        LEFT = "left", "Left"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} ({self.status})"

    def is_active(self) -> bool:
        """Return whether this is a current membership."""
        return self.status == self.Status.ACTIVE

    def is_pending(self) -> bool:
        """Return whether the person is waiting for a facilitator's answer."""
        return self.status == self.Status.PENDING

    def is_facilitator(self) -> bool:
        """Return whether the person facilitates the community."""
        return self.role == self.Role.FACILITATOR


class Thread(models.Model):
    """A discussion in a community."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_threads"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    objects = CommunityContentQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community_thread", args=[self.pk])


class Reply(models.Model):
    """A reply in a discussion thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_replies"
    )
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply {self.pk} on {self.thread_id}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#reply-{self.pk}"

    def headline(self) -> str:
        """Return what a sentence about it names: the discussion it is in."""
        return self.thread.title


class Resource(models.Model):
    """A link a member shared with the community, with a note on why it helps."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="resources")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_resources"
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommunityContentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "url"], name="resource_unique_link")
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('community_resources', args=[self.community_id])}#resource-{self.pk}"
