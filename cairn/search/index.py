"""Writing the search index: what each kind of thing contributes, and keeping its row current.

Each source says how to turn one object into the row's fields. :func:`index` writes that row
(and, on PostgreSQL, its weighted ``tsvector`` in the same statement); the signal handlers in
:mod:`cairn.search.signals` call it whenever a source or its skills change, inside the same
transaction as the change. A generated column could not do this job: the row's words come from
other tables (skills, the accepted response) and its stemming from the organisation's language.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, models, transaction
from django.db.models import Value
from django.db.models.expressions import CombinedExpression
from django.urls import reverse

from cairn.communities.models import Community, Resource, Thread
from cairn.exchange.models import HelpRequest, Post, Response
from cairn.learning.models import Goal
from cairn.people.models import Profile
from cairn.search.models import Document, Kind, Language, SearchLanguage

#: Day 0 of :attr:`Document.day`.
EPOCH = date(2000, 1, 1)
#: Longest body kept in a row: enough for relevance and snippets, bounded for the index.
BODY_LIMIT = 8000


@dataclass(frozen=True)
class Source:
    """How one model is searched: its kind, how to load it and how to describe it."""

    kind: str
    model: type[models.Model]
    load: Callable[[Any], Any]
    fields: Callable[[Any], dict[str, Any]]
    #: The lookup from the model to its organisation's id.
    organisation: str = "organisation_id"
    #: Fields the row is not made from: a save of only these leaves the row as it was.
    unread: frozenset[str] = frozenset()

    def organisation_of(self, obj: Any) -> int:
        """Return the id of the organisation ``obj`` belongs to."""
        *path, last = self.organisation.split("__")
        for step in path:
            obj = getattr(obj, step)
        return int(getattr(obj, last))


def _names(skills: Iterable[Any]) -> str:
    return ", ".join(skill.name for skill in skills)


def _person(profile: Profile) -> dict[str, Any]:
    return {
        "title": profile.name,
        "body": profile.title,
        "tags": _names(profile.offers.all()),
        "created_at": profile.user.date_joined,
        "label": profile.title,
        "url": reverse("profile", args=[profile.handle]),
    }


def _post(post: Post) -> dict[str, Any]:
    return {
        "title": post.title,
        "body": f"{post.body}\n\n{post.learned}".strip(),
        "tags": _names(post.skills.all()),
        "created_at": post.created_at,
        "label": post.get_kind_display(),
        "trusted_id": post.author_id if post.is_lesson() else None,
    }


def _valued_answer(help_request: HelpRequest) -> Response | None:
    """Return the response to quote: the accepted one, else the first one marked helpful."""
    valued = [r for r in help_request.responses.all() if r.accepted or r.helpful]
    valued.sort(key=lambda r: (not r.accepted, r.created_at, r.pk))
    return valued[0] if valued else None


def _request(help_request: HelpRequest) -> dict[str, Any]:
    answer = _valued_answer(help_request)
    return {
        "title": help_request.title,
        "body": help_request.details,
        "tags": _names(help_request.skills.all()),
        "created_at": help_request.created_at,
        "label": "Answered" if answer is not None else help_request.get_status_display(),
        "answer": answer.body if answer is not None else "",
        "trusted_id": answer.responder_id if answer is not None else None,
    }


def _community(community: Community) -> dict[str, Any]:
    return {
        "title": community.name,
        "body": community.description,
        "created_at": community.created_at,
        "label": "" if community.is_open() else "By approval",
    }


def _thread(thread: Thread) -> dict[str, Any]:
    return {
        "title": thread.title,
        "body": thread.body,
        "created_at": thread.created_at,
        "label": thread.community.name,
    }


def _resource(resource: Resource) -> dict[str, Any]:
    return {
        "title": resource.title,
        "body": f"{resource.note}\n{resource.url}".strip(),
        "created_at": resource.created_at,
        "label": resource.community.name,
    }


def _goal(goal: Goal) -> dict[str, Any]:
    return {
        "title": goal.title,
        "body": goal.why,
        "tags": _names(goal.skills.all()),
        "created_at": goal.created_at,
        "label": goal.get_status_display(),
    }


SOURCES: dict[str, Source] = {
    source.kind: source
    for source in (
        Source(
            Kind.PERSON,
            Profile,
            lambda q: q.select_related("user").prefetch_related("offers"),
            _person,
        ),
        Source(Kind.POST, Post, lambda q: q.prefetch_related("skills"), _post),
        Source(
            Kind.REQUEST,
            HelpRequest,
            lambda q: q.prefetch_related("skills", "responses"),
            _request,
            unread=frozenset({"first_response_at", "expiry_recorded_at"}),
        ),
        Source(Kind.COMMUNITY, Community, lambda q: q, _community),
        Source(
            Kind.THREAD,
            Thread,
            lambda q: q.select_related("community"),
            _thread,
            "community__organisation_id",
        ),
        Source(
            Kind.RESOURCE,
            Resource,
            lambda q: q.select_related("community"),
            _resource,
            "community__organisation_id",
        ),
        Source(Kind.GOAL, Goal, lambda q: q.prefetch_related("skills"), _goal),
    )
}
KIND_OF_MODEL = {source.model: source.kind for source in SOURCES.values()}


def language_of(organisation_id: int) -> str:
    """Return the text search configuration of an organisation (English unless it chose one)."""
    chosen = SearchLanguage.objects.filter(organisation_id=organisation_id).values_list(
        "config", flat=True
    )
    return next(iter(chosen), Language.ENGLISH)


def weighted_vector(row: dict[str, Any], config: str) -> SearchVector | CombinedExpression:
    """Return the ``tsvector`` of a row's words: title A, skills B, body C, the answer D."""
    parts = [("title", "A"), ("tags", "B"), ("body", "C"), ("answer", "D")]
    vector: SearchVector | CombinedExpression | None = None
    for field, weight in parts:
        part = SearchVector(Value(row.get(field, "")), weight=weight, config=config)
        vector = part if vector is None else vector + part
    assert vector is not None  # parts is not empty
    return vector


def _row(source: Source, obj: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"label": "", "tags": "", "body": "", "answer": "", "trusted_id": None}
    row.update(source.fields(obj))
    if "url" not in row:
        row["url"] = obj.get_absolute_url()
    row["day"] = (row["created_at"].date() - EPOCH).days
    row["title"] = row["title"][:200]
    row["label"] = row["label"][:40]
    row["body"] = row["body"][:BODY_LIMIT]
    row["answer"] = row["answer"][:BODY_LIMIT]
    return row


def index(kind: str, object_id: int) -> None:
    """Write (or remove) the row of one thing from its current state."""
    source = SOURCES[kind]
    obj = source.load(source.model._default_manager.filter(pk=object_id)).first()
    if obj is None:
        Document.objects.filter(kind=kind, object_id=object_id).delete()
        return
    row = _row(source, obj)
    organisation_id = source.organisation_of(obj)
    config = language_of(organisation_id)
    row.update(organisation_id=organisation_id, config=config)
    if connection.vendor == "postgresql":
        row["vector"] = weighted_vector(row, config)
    with transaction.atomic():
        Document.objects.update_or_create(kind=kind, object_id=object_id, defaults=row)


def rebuild(organisation_id: int | None = None, batch: int = 2000) -> int:
    """Re-index every source (of one organisation, or all); return the number of rows."""
    written = 0
    with transaction.atomic():
        documents = Document.objects.all()
        if organisation_id is not None:
            documents = documents.filter(organisation_id=organisation_id)
        documents.delete()
        configs: dict[int, str] = {}
        for kind, source in SOURCES.items():
            objects = source.model._default_manager.order_by("pk")
            if organisation_id is not None:
                objects = objects.filter(**{source.organisation: organisation_id})
            rows = []
            for obj in source.load(objects).iterator(chunk_size=batch):
                org = source.organisation_of(obj)
                if org not in configs:
                    configs[org] = language_of(org)
                row = _row(source, obj)
                rows.append(
                    Document(
                        kind=kind,
                        object_id=obj.pk,
                        organisation_id=org,
                        config=configs[org],
                        **row,
                    )
                )
            Document.objects.bulk_create(rows, batch_size=batch)
            written += len(rows)
        if connection.vendor == "postgresql":
            _vectors_from_columns(organisation_id)
    return written


def _vectors_from_columns(organisation_id: int | None) -> None:
    """Compute every row's vector from its stored columns, in the database, one config at a
    time (a config must be a constant for the GIN index to serve the query)."""
    documents = Document.objects.all()
    if organisation_id is not None:
        documents = documents.filter(organisation_id=organisation_id)
    for config in documents.values_list("config", flat=True).distinct():
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("tags", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
            + SearchVector("answer", weight="D", config=config)
        )
        documents.filter(config=config).update(vector=vector)
