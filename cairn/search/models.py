"""The search index: one row per searchable thing, kept in step with it as it is saved.

A row holds the words to search (title, skills, body, the accepted answer) and what ranking
needs (when the thing was made, whose stored trust counts); it never decides who may see it.
Every search filters the rows of each kind through that model's ``visible_to(user)``.

On PostgreSQL the words are also kept as a weighted ``tsvector`` (``vector``, GIN-indexed,
written by :mod:`cairn.search.index` in the same transaction as the row); on SQLite an FTS5
table ``search_fts`` mirrors the rows through triggers (migration 0002).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Kind(models.TextChoices):
    """What a search result is, in the order the page shows them."""

    REQUEST = "request", "Requests for help"
    POST = "post", "Posts and lessons learned"
    PERSON = "person", "People"
    COMMUNITY = "community", "Communities"
    THREAD = "thread", "Discussions"
    RESOURCE = "resource", "Resources"
    GOAL = "goal", "Goals"


class Language(models.TextChoices):
    """PostgreSQL text search configurations offered for an organisation's stemming."""

    ENGLISH = "english", "English"
    DANISH = "danish", "Danish"
    DUTCH = "dutch", "Dutch"
    FINNISH = "finnish", "Finnish"
    FRENCH = "french", "French"
    GERMAN = "german", "German"
    ITALIAN = "italian", "Italian"
    NORWEGIAN = "norwegian", "Norwegian"
    PORTUGUESE = "portuguese", "Portuguese"
    SPANISH = "spanish", "Spanish"
    SWEDISH = "swedish", "Swedish"
    SIMPLE = "simple", "No stemming"


class SearchLanguage(models.Model):
    """The language an organisation writes in, for stemming (English when there is no row).

    Set it in the Django admin, then run ``cairn search_index --organisation SLUG`` to re-index
    that organisation's rows. SQLite's index stems English only (FTS5's porter tokenizer).
    """

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="search_language"
    )
    config = models.CharField(max_length=20, choices=Language.choices, default=Language.ENGLISH)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.config}"


class Document(models.Model):
    """The searchable words of one thing, and what ranking needs to know about it."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    #: A short word shown with the result ("Lesson learned", "Answered", "Approval only").
    label = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200)
    #: Skills, as words.
    tags = models.CharField(max_length=1000, blank=True)
    body = models.TextField(blank=True)
    #: A request's accepted (or else helpful) response, quoted with the result.
    answer = models.TextField(blank=True)
    #: The person whose stored trust lifts the result: a lesson's author, an answer's responder.
    trusted = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    #: The day it was made, counted from 1 January 2000: freshness by plain arithmetic on any
    #: database (see :mod:`cairn.search.query`).
    day = models.IntegerField()
    #: The text search configuration ``vector`` was built with (the organisation's language).
    config = models.CharField(max_length=20, default=Language.ENGLISH)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")
        ]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
