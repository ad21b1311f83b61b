"""Searching: the words people typed, matched on each database's full-text index, filtered
through each kind's ``visible_to(user)`` and ranked by relevance, freshness and stored trust.

Each kind is searched in two passes. The first takes the :data:`CANDIDATES` rows of the
person's organisation that match the words best by text relevance alone, straight from the
full-text index; the second keeps those the person may see (each model's ``visible_to``) and
ranks them by the blended score. A large organisation's common word matches tens of thousands of
rows; only a few hundred are ever probed for visibility or scored. If the first pass was full
and too few of its rows were visible, that kind is searched again over every match, so a
narrow rule (a closed community, answered requests only) still finds what it may see. One more
query makes highlighted snippets for the rows shown.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Value, Window
from django.db.models.expressions import Combinable, RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cairn.exchange.models import Post, Response
from cairn.search.index import EPOCH, SOURCES, language_of
from cairn.search.models import Document, Kind

#: Longest query read from a request (characters); the rest is ignored.
MAX_QUERY = 200
#: Results per kind when searching every kind, and when searching one.
PER_KIND, PER_KIND_ALONE = 5, 40
#: Rows of a kind taken by text relevance alone before visibility and the blended score.
CANDIDATES = 300
#: Rows holding any of the words (not all) that PostgreSQL ranks at most, per kind.
SAMPLE = 1000
#: Share of all rows above which a word is too common to pick rows by (still ranked by).
COMMON_SHARE = 0.02
#: Letters the last word needs to be matched as a prefix when other words come before it.
SHORTEST_PREFIX = 3
#: Words searched at most (the rest of a pasted paragraph is ignored).
MAX_TERMS = 12
#: How a search result's score is blended, in the words the page shows.
RANKING_EXPLAINED = (
    "Best matches first: words in a title count most, then skills, then the text; newer "
    "things rank a little higher, and lessons and answers from people colleagues have come "
    "to trust rank higher too."
)
#: Freshness halves the lift of newness after this many days: 1 / (1 + age / HALF_LIFE_DAYS).
HALF_LIFE_DAYS = 365.0
#: Share of the score that freshness can move (a year-old exact match still beats a vague new one).
FRESHNESS_SHARE = 0.4
#: How much a trusted author (stored trust 1.0) lifts a lesson or an answer.
TRUST_LIFT = 0.5
#: Marks around matched words in snippets, turned into <mark> after escaping.
START, STOP = "\x02", "\x03"


@dataclass
class Hit:
    kind: str
    object_id: int
    title: SafeString
    snippet: SafeString
    label: str
    url: str
    answer: str
    created_at: object
    score: float


@dataclass
class Group:
    kind: str
    label: str
    #: Matches the person may see, counted among the first pass's candidates.
    total: int
    hits: list[Hit] = field(default_factory=list)
    #: Whether there may be more matches than ``total`` (the first pass was full).
    more: bool = False


def terms_of(text: str) -> list[str]:
    """Return the words of a query, lower-cased, without punctuation or operators."""
    return re.findall(r"\w+", text.lower())[:MAX_TERMS]


def _marked(text: str) -> SafeString:
    """Return ``text`` escaped, with the database's match marks as <mark> elements."""
    # Escaped first: only the database's own marks become tags.
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _common_words(words: list[str], config: str) -> set[str]:
    """Return those of ``words`` whose stem is in more than :data:`COMMON_SHARE` of the index's
    rows, by PostgreSQL's own statistics of the column (its most common lexemes, kept by
    ANALYZE), so that no row is counted."""
    if not words:
        return set()
    sql = """
        SELECT word FROM unnest(%s::text[]) AS query(word), pg_stats AS stats,
            unnest(stats.most_common_elems::text::text[], stats.most_common_elem_freqs)
                AS common(lexeme, share)
        WHERE stats.tablename = 'search_document' AND stats.attname = 'vector'
            AND common.share > %s
            AND common.lexeme = ANY(tsvector_to_array(to_tsvector(%s::regconfig, query.word)))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [words, COMMON_SHARE, config])
        return {word for (word,) in cursor.fetchall()}


class _PostgresMatch:
    """Full-text search with a GIN-indexed tsvector, stemmed in the organisation's language."""

    def __init__(self, terms: list[str], config: str) -> None:
        # Any word may match (ranking rewards matching more of them); the last one is also a
        # prefix, for type-ahead, once it has SHORTEST_PREFIX letters: a shorter stub after
        # other words is still being typed, and as a prefix it would match most rows.
        # Words are \w+ only, so they cannot form tsquery operators.
        if len(terms) > 1 and len(terms[-1]) < SHORTEST_PREFIX:
            terms = terms[:-1]
        self.words = words = [*terms[:-1], f"{terms[-1]}:*"]
        self.query = SearchQuery(" | ".join(words), search_type="raw", config=config)
        self.every = SearchQuery(" & ".join(words), search_type="raw", config=config)
        self.config = config
        self.common: set[str] | None = None  # read once, when first needed

    def ranked(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        """Return ``documents`` (known to match) with their text relevance."""
        return documents.annotate(relevance=SearchRank(F("vector"), self.query))

    def filter(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        return self.ranked(documents.filter(vector=self.query))

    def candidates(self, documents: QuerySet[Document], limit: int) -> tuple[list[int], bool]:
        """Return the ids of up to ``limit`` of ``documents`` matching best by text relevance,
        and whether they are all the matches there are.

        Ranking every match of a common word means reading tens of thousands of vectors, so
        the rows holding every word are ranked first (the GIN index finds them at once); the
        rest are ranked among the first :data:`SAMPLE` rows holding any word that is not too
        common to tell rows apart (see :func:`_common_words`).
        """
        best = list(
            self.ranked(documents.filter(vector=self.every))
            .order_by(F("relevance").desc(), F("pk").desc())
            .values_list("pk", flat=True)[:limit]
        )
        if len(best) == limit:
            return best, False
        if self.common is None:
            self.common = _common_words(self.words[:-1], self.config)
        common = self.common
        telling = [word for word in self.words if word not in common]
        query = SearchQuery(" | ".join(telling), search_type="raw", config=self.config)
        sample = list(documents.filter(vector=query).values_list("pk", flat=True)[:SAMPLE])
        rest = (
            self.ranked(Document.objects.filter(pk__in=sample).exclude(pk__in=best))
            .order_by(F("relevance").desc(), F("pk").desc())
            .values_list("pk", flat=True)
        )
        best += rest[: limit - len(best)]
        return best, not common and len(sample) < SAMPLE and len(best) < limit

    def snippets(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        return documents.annotate(
            title_marked=self._marked("title", highlight_all=True),
            snippet=self._marked(
                "body", max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … "
            ),
        )

    def _marked(self, column: str, **options: Any) -> SearchHeadline:
        """Return ``column`` with the query's words between ``START`` and ``STOP``."""
        return SearchHeadline(
            column, self.query, config=self.config, start_sel=START, stop_sel=STOP, **options
        )


#: English words too common to tell things apart. PostgreSQL's configurations drop their own
#: language's; FTS5 has no such list, so the SQLite search drops these before matching.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves""".split()
)


class _SqliteMatch:
    """Full-text search with the FTS5 table ``search_fts`` (porter stemming, bm25)."""

    #: bm25 weights of the columns title, tags, body, answer.
    BM25 = "bm25(search_fts, 10.0, 4.0, 2.0, 1.0)"

    def __init__(self, terms: list[str]) -> None:
        # The last word stays even if common: it may be the start of a longer one being typed.
        kept = [term for term in terms[:-1] if term not in STOPWORDS] + terms[-1:]
        words = [f'"{term}"' for term in kept]
        words[-1] += "*"
        self.match = " OR ".join(words)

    def _correlated(self, select: str) -> RawSQL:
        """Return ``select`` (one of this class's constant expressions) for the outer row;
        the words are a parameter."""
        sql = (
            f"SELECT {select} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608  # nosec B608
            'AND search_fts.rowid = "search_document"."id"'
        )
        return RawSQL(  # noqa: S611  # nosec B611
            sql,
            [self.match],
        )

    def ranked(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        """Return ``documents`` (known to match) with their text relevance."""
        # bm25 is lower (more negative) for better matches.
        relevance = Cast(self._correlated(f"-{self.BM25}"), FloatField())
        return documents.annotate(relevance=relevance)

    def filter(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [self.match])
        return self.ranked(documents.filter(pk__in=matching))

    def candidates(self, documents: QuerySet[Document], limit: int) -> tuple[list[int], bool]:
        """Return the ids of up to ``limit`` of ``documents`` matching best by text relevance,
        and whether they are all the matches there are."""
        ranked = self.filter(documents).order_by(F("relevance").desc(), F("pk").desc())
        best = list(ranked.values_list("pk", flat=True)[:limit])
        return best, len(best) < limit

    def snippets(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        return documents.annotate(
            title_marked=self._correlated(f"highlight(search_fts, 0, '{START}', '{STOP}')"),
            snippet=self._correlated(f"snippet(search_fts, 2, '{START}', '{STOP}', ' … ', 24)"),
        )


def _match(terms: list[str], organisation_id: int):
    if connection.vendor == "postgresql":
        return _PostgresMatch(terms, language_of(organisation_id))
    return _SqliteMatch(terms)


def _answered(requests: QuerySet) -> QuerySet:
    valued = Response.objects.filter(help_request_id=OuterRef("pk")).filter(
        Q(accepted=True) | Q(helpful=True)
    )
    return requests.filter(Exists(valued))


#: Only what already answers a question: requests with a valued response, lessons learned.
ANSWERS_ONLY: dict[str, Callable[[QuerySet], QuerySet]] = {
    Kind.REQUEST: _answered,
    Kind.POST: lambda posts: posts.filter(kind=Post.Kind.LESSON),
}


def visible_documents(
    user, kinds: list[str], narrow: dict[str, Callable[[QuerySet], QuerySet]] | None = None
) -> QuerySet[Document]:
    """Return the rows of ``kinds`` whose thing ``user`` may see, by each model's own rule
    (further narrowed, per kind, by ``narrow``)."""
    seen: Q | Combinable = Q(pk__in=[])
    for kind in kinds:
        # Every searched model has a visible_to rule; Source.model only knows it is a model.
        manager: Any = SOURCES[kind].model._default_manager
        visible = manager.visible_to(user)
        if narrow and kind in narrow:
            visible = narrow[kind](visible)
        # A semi-join probed per matching row (by primary key), rather than every visible id
        # of the kind collected first: a search matches far fewer rows than a person may see.
        seen |= Q(kind=kind) & Exists(visible.filter(pk=OuterRef("object_id")))
    return Document.objects.filter(seen)


def score(today: date | None = None):
    """Return the expression ranking a matched row: relevance × freshness × trust lift."""
    today_number = ((today or timezone.localdate()) - EPOCH).days
    age = Value(float(today_number)) - F("day")
    freshness = Value(1.0) / (Value(1.0) + age / Value(HALF_LIFE_DAYS))
    trust = Coalesce(F("trusted__trust_profile__trust"), Value(0.0), output_field=FloatField())
    return (
        F("relevance")
        * (Value(1.0 - FRESHNESS_SHARE) + Value(FRESHNESS_SHARE) * freshness)
        * (Value(1.0) + Value(TRUST_LIFT) * trust)
    )


def _best(documents: QuerySet[Document], per_kind: int) -> list[dict[str, Any]]:
    """Return the ``per_kind`` best of ``documents`` by score, each with their number."""
    ranked = documents.annotate(score=score(), total=Window(Count("pk")))
    best = ranked.order_by("-score", "-pk").values("pk", "kind", "score", "total")[:per_kind]
    return [dict(row) for row in best]


def search(
    user,
    text: str,
    kinds: list[str] | None = None,
    per_kind: int = 5,
    narrow: dict[str, Callable[[QuerySet], QuerySet]] | None = None,
) -> list[Group]:
    """Return the groups of results for ``text`` that ``user`` may see, best first in each.

    ``kinds`` limits the search (all kinds by default), ``narrow`` further limits a kind's
    things (e.g. :data:`ANSWERS_ONLY`); each group holds at most ``per_kind`` results and the
    number of all matches of its kind.
    """
    kinds = [k for k in Kind.values if kinds is None or k in kinds]
    terms = terms_of(text)
    organisation_id = getattr(user, "organisation_id", None)  # its language, its rows
    if not terms or not kinds or organisation_id is None:
        return []
    match = _match(terms, organisation_id)
    rows = []
    more: set[str] = set()
    for kind in kinds:
        of_kind = Document.objects.filter(organisation_id=organisation_id, kind=kind)
        candidates, every_match = match.candidates(of_kind, CANDIDATES)
        if not candidates:
            continue
        full = not every_match
        # Alone, a kind's visibility test is a semi-join probed for these rows only.
        visible = visible_documents(user, [kind], narrow)
        best = _best(match.ranked(visible.filter(pk__in=candidates)), per_kind)
        if full and len(best) < per_kind:
            # Too few visible among the best: every match, however many.
            best = _best(match.filter(visible), per_kind)
        elif full:
            more.add(kind)
        rows += best
    if not rows:
        return []
    shown = {
        doc.pk: doc
        for doc in match.snippets(Document.objects.filter(pk__in=[r["pk"] for r in rows]))
    }
    groups = {kind: Group(kind, Kind(kind).label, 0) for kind in kinds}
    for row in sorted(rows, key=lambda r: -r["score"]):
        doc = shown[row["pk"]]
        group = groups[row["kind"]]
        group.total = row["total"]
        group.more = row["kind"] in more
        group.hits.append(
            Hit(
                kind=doc.kind,
                object_id=doc.object_id,
                title=_marked(doc.title_marked or doc.title),
                snippet=_marked(doc.snippet or ""),
                label=doc.label,
                url=doc.url,
                answer=doc.answer,
                created_at=doc.created_at,
                score=row["score"],
            )
        )
    return [group for group in groups.values() if group.hits]
