"""Permission-aware getters for notifications and follows."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cairn.notifications.models import Follow, Notification
from cairn.people.models import User


def notifications_of(user: User) -> QuerySet[Notification]:
    """Return a person's own notifications, newest first."""
    return Notification.objects.visible_to(user)


def notification_for(user: User, notification_id: int) -> Notification:
    """Return one of the person's own notifications, or raise 404."""
    return get_object_or_404(Notification.objects.visible_to(user), pk=notification_id)


def unread_count(user: User) -> int:
    """Return how many notifications the person has not read."""
    return notifications_of(user).filter(read_at__isnull=True).count()


def followed_ids(user: User) -> set[int]:
    """Return the ids of the colleagues this person follows."""
    if not user.is_authenticated:
        return set()
    return set(Follow.objects.filter(follower_id=user.pk).values_list("followed_id", flat=True))


def is_following(user: User, other: User) -> bool:
    """Return whether ``user`` follows ``other``."""
    return Follow.objects.filter(follower_id=user.pk, followed_id=other.pk).exists()
