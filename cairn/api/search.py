"""API endpoint for search: the same results, grouped by kind, as the search page."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema

from cairn.http import SignedInRequest
from cairn.search.query import MAX_QUERY, PER_KIND, PER_KIND_ALONE, search

router = Router(tags=["search"])

KindName = Literal["request", "post", "person", "community", "thread", "resource", "goal"]


class Message(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: list[dict[str, object]]


class HitOut(Schema):
    kind: str
    id: int
    title: str
    snippet: str
    label: str
    url: str
    answer: str
    created_at: datetime
    score: float


class GroupOut(Schema):
    kind: str
    label: str
    total: int
    #: True when there may be more matches than ``total`` (only the best few hundred by text
    #: relevance are counted).
    more: bool
    items: list[HitOut]


class SearchOut(Schema):
    query: str
    groups: list[GroupOut]


@router.get(
    "/search",
    response={200: SearchOut, 401: Message, 422: ValidationErrors},
    summary="Search everything I may see",
)
def search_everything(
    request: SignedInRequest,
    q: str = Query(..., min_length=1, max_length=MAX_QUERY),  # noqa: B008 - ninja's idiom
    kind: KindName | None = None,
):
    """Search people, requests for help (with their accepted answer), posts and lessons
    learned, communities, discussions, resources and goals, each as its own page would show
    it to you. Results are grouped by kind, best first: up to 5 of each kind, or 40 of the one
    ``kind`` asked for, with ``total`` matches of that kind (counted among the best few
    hundred by text relevance; ``more`` is true when there may be others). ``title`` and
    ``snippet`` are HTML-escaped text whose matched words are wrapped in ``<mark>``.

    Errors: **401** when neither signed in nor sending a personal API token; **422** when
    ``q`` is missing, empty or longer than 200 characters, or ``kind`` is not one of the
    kinds listed (``{"detail": [{"loc": ["query", "q"], "msg": ..., "type": ...}]}``).
    """
    per_kind = PER_KIND_ALONE if kind else PER_KIND
    groups = search(request.user, q, kinds=[kind] if kind else None, per_kind=per_kind)
    return {
        "query": q,
        "groups": [
            {
                "kind": group.kind,
                "label": group.label,
                "total": group.total,
                "more": group.more,
                "items": [
                    {
                        "kind": hit.kind,
                        "id": hit.object_id,
                        "title": str(hit.title),
                        "snippet": str(hit.snippet),
                        "label": hit.label,
                        "url": hit.url,
                        "answer": hit.answer,
                        "created_at": hit.created_at,
                        "score": hit.score,
                    }
                    for hit in group.hits
                ],
            }
            for group in groups
        ],
    }
