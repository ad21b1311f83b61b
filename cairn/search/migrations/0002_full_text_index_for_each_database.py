"""The full-text index each database searches with, created only on that database.

PostgreSQL: a GIN index on ``search_document.vector`` (the weighted tsvector written with each
row). SQLite: an FTS5 table ``search_fts`` over the same rows (external content, so the words
are stored once), stemmed by the porter tokenizer and kept in step by triggers.

A later migration that alters ``search_document`` makes SQLite rebuild the table, which drops
these triggers: such a migration must create them again and rebuild ``search_fts``.
"""

from django.db import migrations

POSTGRESQL_INSTALL = ["CREATE INDEX search_document_vector ON search_document USING gin (vector)"]
POSTGRESQL_REMOVE = ["DROP INDEX search_document_vector"]

SQLITE_INSTALL = [
    """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, tags, body, answer,
    content='search_document', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)""",
    """
CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN
    INSERT INTO search_fts(rowid, title, tags, body, answer)
    VALUES (new.id, new.title, new.tags, new.body, new.answer);
END""",
    """
CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answer)
    VALUES ('delete', old.id, old.title, old.tags, old.body, old.answer);
END""",
    """
CREATE TRIGGER search_fts_update AFTER UPDATE ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answer)
    VALUES ('delete', old.id, old.title, old.tags, old.body, old.answer);
    INSERT INTO search_fts(rowid, title, tags, body, answer)
    VALUES (new.id, new.title, new.tags, new.body, new.answer);
END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_fts",
]


def _run(schema_editor, sql: dict[str, list[str]]) -> None:  # noqa: ANN001
    for statement in sql.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor) -> None:  # noqa: ANN001
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(apps, schema_editor) -> None:  # noqa: ANN001
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_rows_and_languages")]

    operations = [migrations.RunPython(install, remove)]
