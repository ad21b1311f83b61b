"""One lock per person, so that what a person may do a limited number of times is counted exactly.

A daily limit, a pair cap or a double-submission check counts rows and then writes one; two
requests doing that at once would both count the same total. Every such action locks the acting
person's row first, inside its transaction, and counts afterwards: on PostgreSQL the row lock
makes the second request wait until the first commits (its count then includes the first
write); on SQLite every transaction already begins with ``BEGIN IMMEDIATE`` and so runs alone.
"""

from django.db import transaction

from cairn.people.models import User


class LockOutsideTransaction(RuntimeError):
    """A person was locked outside a transaction, where the lock would end at once."""


def lock_person(user: User) -> None:
    """Hold ``user``'s row until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise LockOutsideTransaction("lock_person() must run inside transaction.atomic().")
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
