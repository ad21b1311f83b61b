"""Closing what waited too long: one row at a time, each in its own transaction."""

from collections.abc import Callable

from django.db import models, transaction


def close_each[M: models.Model](
    due: models.QuerySet[M], closed: str, then: Callable[[M], None]
) -> int:
    """Move each row of ``due`` to status ``closed`` and call ``then`` with it.

    Each row is locked again and checked to be still in ``due`` (which filters on the status it
    waits in) in its own transaction, so that running it twice, or beside an answer, closes
    nothing twice; ``then`` records what closing it means in that same transaction. Return how
    many rows were closed.
    """
    closed_count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            row = due.select_for_update().filter(pk=pk).first()
            if row is None:
                continue
            row.status = closed  # type: ignore[attr-defined]
            row.save(update_fields=["status"])
            then(row)
            closed_count += 1
    return closed_count
