"""Keep the search index in step: every save, delete or change of skills of a searchable thing
re-writes its row in the same transaction (so a rolled-back change leaves no trace either)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from cairn.exchange.models import HelpRequest, Post, Response
from cairn.learning.models import Goal
from cairn.people.models import Profile
from cairn.search import index
from cairn.search.models import Document, Kind

#: The many-to-many fields whose change alters a row's words.
WORD_RELATIONS = (Profile.offers, Post.skills, HelpRequest.skills, Goal.skills)


def _saved(
    sender: type,
    instance: Any,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    kind = index.KIND_OF_MODEL[sender]
    if raw or (update_fields and update_fields <= index.SOURCES[kind].unread):
        return
    index.index(kind, instance.pk)


def _deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    Document.objects.filter(kind=index.KIND_OF_MODEL[sender], object_id=instance.pk).delete()


def _relation_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and type(instance) in (
        index.KIND_OF_MODEL
    ):
        index.index(index.KIND_OF_MODEL[type(instance)], instance.pk)


def _response_saved(
    sender: type, instance: Response, raw: bool = False, created: bool = False, **kwargs: Any
) -> None:
    """A response marked accepted or helpful becomes the answer its request is quoted with; a
    new one that is neither changes nothing its request's row says."""
    if not raw and not (created and not instance.was_valued()):
        index.index(Kind.REQUEST, instance.help_request_id)


def _response_gone(sender: type, instance: Response, **kwargs: Any) -> None:
    """A deleted response may have been its request's answer (the instance deleted may not
    know it was marked since it was read)."""
    index.index(Kind.REQUEST, instance.help_request_id)


def connect() -> None:
    """Connect the handlers (once, from the app's ``ready``)."""
    for model in index.KIND_OF_MODEL:
        uid = f"search_{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
    for relation in WORD_RELATIONS:
        through = relation.through
        m2m_changed.connect(
            _relation_changed, sender=through, dispatch_uid=f"search_{through._meta.label_lower}"
        )
    post_save.connect(_response_saved, sender=Response, dispatch_uid="search_response_saved")
    post_delete.connect(_response_gone, sender=Response, dispatch_uid="search_response_gone")


def disconnect() -> None:
    """Disconnect the handlers (a bulk writer rebuilds the index once instead)."""
    for model in index.KIND_OF_MODEL:
        uid = f"search_{model._meta.label_lower}"
        post_save.disconnect(sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.disconnect(sender=model, dispatch_uid=f"{uid}_deleted")
    for relation in WORD_RELATIONS:
        through = relation.through
        m2m_changed.disconnect(sender=through, dispatch_uid=f"search_{through._meta.label_lower}")
    post_save.disconnect(sender=Response, dispatch_uid="search_response_saved")
    post_delete.disconnect(sender=Response, dispatch_uid="search_response_gone")


@contextmanager
def disconnected() -> Iterator[None]:
    """Keep the index out of step inside the block; the caller rebuilds it after."""
    disconnect()
    try:
        yield
    finally:
        connect()
