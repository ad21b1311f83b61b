"""Creating and revoking a person's calendar subscription."""

import secrets

from django.db import transaction

from cairn.calendars.models import CalendarFeed
from cairn.errors import ActionError
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.models import User, hash_token

KEY_PREFIX = "cal_"


def do_create_calendar_feed(user: User) -> tuple[CalendarFeed, str]:
    """Make a new secret feed key for ``user``, replacing any old one; return it and the key.

    The key is shown once: only its hash is kept, so a lost URL is replaced, never recovered.
    """
    if getattr(user, "organisation_id", None) is None:
        raise ActionError("Only members of an organisation have a calendar.", status=403)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = CalendarFeed.objects.filter(user=user).delete()[0] > 0
        feed = CalendarFeed.objects.create(user=user, **CalendarFeed.key_fields(raw))
        record(Verb.CALENDAR_FEED_CREATED, actor=user, obj=feed, context={"replaced": replaced})
    return feed, raw


def do_revoke_calendar_feed(user: User) -> bool:
    """Stop ``user``'s calendar feed URL from working; return whether there was one."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return False
        record(Verb.CALENDAR_FEED_REVOKED, actor=user, obj=feed)
        feed.delete()
    return True


def feed_owner(raw_key: str) -> User | None:
    """Return the active member whose feed key this is, or None (unknown, revoked, left)."""
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 80:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=hash_token(raw_key), user__is_active=True)
        .first()
    )
    return feed.user if feed and feed.user.organisation_id else None
