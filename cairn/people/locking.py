"""One lock per person, so that what a person may do a limited number of times is counted exactly.

A daily limit, a pair cap or a double-submission check counts rows and then writes one; two
requests doing that at once would both count the same total. Every such action locks the acting
person's row first, inside its transaction, and counts afterwards: on PostgreSQL the row lock
makes the second request wait until the first commits (its count then includes the first
write); on SQLite every transaction already begins with ``BEGIN IMMEDIATE`` and so runs alone.

Per-organisation state rows (trust's, the recommendation indexes') are locked the same way,
by :func:`lock_organisation_row`.
"""

from django.db import models, transaction

from cairn.people.models import User


class LockOutsideTransaction(RuntimeError):
    """A person was locked outside a transaction, where the lock would end at once."""


def lock_person(user: User) -> None:
    """Hold ``user``'s row until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise LockOutsideTransaction("lock_person() must run inside transaction.atomic().")
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def lock_organisation_row[M: models.Model](
    model: type[M], organisation_id: int, *deferred: str
) -> M:
    """Return the organisation's row of ``model`` (without the ``deferred`` fields: the
    megabytes some of these rows hold), locked until the end of the transaction, made first if
    missing with an insert that does nothing when another transaction made it meanwhile."""
    rows = model._default_manager
    locked = rows.select_for_update().defer(*deferred)
    row = locked.filter(organisation_id=organisation_id).first()
    if row is None:
        rows.bulk_create([model(organisation_id=organisation_id)], ignore_conflicts=True)
        row = locked.get(organisation_id=organisation_id)
    return row
