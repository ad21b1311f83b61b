"""The ledger protected in the database too: a trigger refuses UPDATE and DELETE on events.

On PostgreSQL a delete passes only while ``cairn.allow_ledger_erasure`` is 'on' for the
transaction, which cairn.ledger.record sets for account erasure alone. SQLite refuses updates
(its triggers cannot read a per-transaction setting, so deletes rely on the Python guard there).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


POSTGRESQL_INSTALL = """
CREATE FUNCTION ledger_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('cairn.allow_ledger_erasure', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The ledger is append-only: % on ledger_event refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER ledger_event_append_only BEFORE UPDATE OR DELETE ON ledger_event
    FOR EACH ROW EXECUTE FUNCTION ledger_event_append_only();
"""
POSTGRESQL_REMOVE = """
DROP TRIGGER ledger_event_append_only ON ledger_event;
DROP FUNCTION ledger_event_append_only();
"""
SQLITE_INSTALL = """
CREATE TRIGGER ledger_event_append_only BEFORE UPDATE ON ledger_event
BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: UPDATE on ledger_event refused'); END;
"""
SQLITE_REMOVE = "DROP TRIGGER ledger_event_append_only;"


def _run(schema_editor, sql: dict[str, str]) -> None:  # noqa: ANN001
    statements = sql.get(schema_editor.connection.vendor)
    if statements:
        schema_editor.execute(statements, params=None)


def install(apps, schema_editor) -> None:  # noqa: ANN001
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(apps, schema_editor) -> None:  # noqa: ANN001
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_verb_grows_without_migrations'),
        ('people', '0003_skill_order_ignores_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='actor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='event',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='people.organisation'),
        ),
        migrations.AlterField(
            model_name='event',
            name='subject',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(install, remove),
    ]
