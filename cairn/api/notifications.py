"""API endpoints of the notifications app: my notifications, email settings, following."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cairn.api.pagination import BoundedPagination
from cairn.http import SignedInRequest
from cairn.notifications import actions
from cairn.notifications.access import notification_for, notifications_of, unread_count
from cairn.notifications.feed import FeedItem, feed_for
from cairn.notifications.models import Notification
from cairn.people.access import profile_for

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    category: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class EmailSettingsIO(Schema):
    digest: Literal["never", "daily", "weekly"]
    categories: list[str]


class FeedItemOut(Schema):
    time: datetime
    actor: str = Field(..., alias="actor_handle")
    actor_name: str
    phrase: str
    title: str
    url: str


class FollowOut(Schema):
    handle: str
    following: bool


@router.get("/notifications", response=list[NotificationOut], summary="My notifications")
@paginate(BoundedPagination)
def list_notifications(request: SignedInRequest, unread: bool = False):
    found = notifications_of(request.user)
    if unread:
        found = found.filter(read_at__isnull=True)
    return found


@router.get("/notifications/unread-count", response=UnreadOut, summary="How many are unread")
def count_unread(request: SignedInRequest) -> dict[str, int]:
    return {"unread": unread_count(request.user)}


@router.post(
    "/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one read"
)
def read_notification(request: SignedInRequest, notification_id: int) -> Notification:
    return actions.do_mark_read(notification_for(request.user, notification_id))


@router.post("/notifications/read-all", response=MarkedOut, summary="Mark all read")
def read_all(request: SignedInRequest) -> dict[str, int]:
    return {"marked": actions.do_mark_all_read(request.user)}


@router.get("/notifications/settings", response=EmailSettingsIO, summary="My email settings")
def get_email_settings(request: SignedInRequest) -> object:
    return actions.email_settings_of(request.user)


@router.put("/notifications/settings", response=EmailSettingsIO, summary="Change them")
def put_email_settings(request: SignedInRequest, payload: EmailSettingsIO) -> object:
    return actions.do_update_email_settings(
        request.user, digest=payload.digest, categories=payload.categories
    )


@router.get(
    "/feed",
    response=list[FeedItemOut],
    summary="What my communities, partners and the people I follow did lately",
)
def feed(request: SignedInRequest, limit: int = Query(30, ge=1, le=100)) -> list[FeedItem]:
    return feed_for(request.user, limit=limit)


@router.post("/people/{handle}/follow", response=FollowOut, summary="Follow a colleague")
def follow(request: SignedInRequest, handle: str) -> dict[str, object]:
    person = profile_for(request.user, handle)
    actions.do_follow(request.user, person.user)
    return {"handle": person.handle, "following": True}


@router.delete("/people/{handle}/follow", response=FollowOut, summary="Stop following")
def unfollow(request: SignedInRequest, handle: str) -> dict[str, object]:
    person = profile_for(request.user, handle)
    actions.do_unfollow(request.user, person.user)
    return {"handle": person.handle, "following": False}
