"""Append-only tables (the activity ledger, the audit log): rows are added, never changed.

A model says once which exception refuses a change and why; its rows and its querysets then
refuse ``save()`` of an existing row, ``update()`` and ``delete()`` alike. The few sanctioned
changes (retention pruning, erasing a person's words) go past the guard on purpose, with the
plain ``models.QuerySet`` methods.
"""

from typing import Any, ClassVar

from django.db import models


class AppendOnly(models.Model):
    """A row that is saved once and then never updated or deleted.

    Subclasses name ``refusal`` (the exception raised) and say why in ``never_updated`` and
    ``never_deleted``; their querysets derive from :class:`AppendOnlyQuerySet`.
    """

    refusal: ClassVar[type[Exception]]
    never_updated: ClassVar[str]
    never_deleted: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.refusal(self.never_updated)
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise self.refusal(self.never_deleted)


class AppendOnlyQuerySet[M: AppendOnly](models.QuerySet[M]):
    """Rows of an :class:`AppendOnly` model: ``update()`` and ``delete()`` are refused."""

    def update(self, **kwargs: object) -> int:
        raise self.model.refusal(self.model.never_updated)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise self.model.refusal(self.model.never_deleted)
