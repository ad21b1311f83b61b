"""One lock per person, so that what a person may do a limited number of times is counted exactly.

A daily limit, a pair cap or a double-submission check counts rows and then writes one; two
requests doing that at once would both count the same total. Every such action locks the acting
person's row first, inside its transaction, and counts afterwards: on PostgreSQL the row lock
makes the second request wait until the first commits (its count then includes the first
write); on SQLite every transaction already begins with ``BEGIN IMMEDIATE`` and so runs alone.

Per-organisation state rows (trust's, the recommendation indexes') are locked the same way,
by :func:`lock_organisation_row`, and share their versioning fields through :class:`WorkState`.
An action that moves one row from state to state re-reads it locked with :func:`lock_row`.
"""

from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.tasks import default_task_backend
from django.utils import timezone

from cairn.people.models import User


class LockOutsideTransaction(RuntimeError):
    """A person was locked outside a transaction, where the lock would end at once."""


def lock_person(user: User) -> None:
    """Hold ``user``'s row until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise LockOutsideTransaction("lock_person() must run inside transaction.atomic().")
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


class WorkState(models.Model):
    """Per organisation: whether the worker's stored result of some work is still current.

    ``input_version`` goes up with every change to the work's input; ``stored_version`` is the
    input version the stored result reflects, so an older, slower run never overwrites a newer
    one; ``queued`` debounces, so a burst of changes is one run.
    """

    queued = models.BooleanField(default=False)
    input_version = models.BigIntegerField(default=0)
    stored_version = models.BigIntegerField(default=-1)

    class Meta:
        abstract = True

    def is_stale(self) -> bool:
        """Return whether the work's input has changed since the stored result."""
        return self.input_version > self.stored_version

    def mark_queued(self, changed: list[str]) -> bool:
        """Mark the work queued unless it already is, and save that with the ``changed``
        fields (on a row locked by :func:`lock_organisation_row`). Return whether the caller
        should enqueue the task: False when one is already waiting."""
        queue = not self.queued
        if queue:
            self.queued = True
            changed = [*changed, "queued"]
        if changed:
            self.save(update_fields=sorted(set(changed)))
        return queue


def deferred(task: Any, seconds: float) -> Any:
    """Return ``task`` set to run ``seconds`` from now where the task backend can defer, so
    that a burst of changes is one run; elsewhere as it is (it runs when enqueued)."""
    if default_task_backend.supports_defer:
        return task.using(run_after=timezone.now() + timedelta(seconds=seconds))
    return task


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


def lock_row[M: models.Model](row: M) -> M:
    """Return ``row`` read again and locked until the end of the transaction: the state an
    action checks and changes is then the current one, and a second request waits for it."""
    return type(row)._default_manager.select_for_update().get(pk=row.pk)
