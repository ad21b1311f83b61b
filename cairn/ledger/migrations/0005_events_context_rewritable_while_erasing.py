"""Erasure may rewrite an event's context (a person's words) and nothing else.

On PostgreSQL the trigger lets an UPDATE through while ``cairn.allow_ledger_erasure`` is 'on'
for the transaction, and only when every column but ``context`` is unchanged. SQLite's trigger
is dropped and put back inside the erasing transaction (cairn.ledger.record._erasure_allowed).
"""

from django.db import migrations

POSTGRESQL_INSTALL = """
CREATE OR REPLACE FUNCTION ledger_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cairn.allow_ledger_erasure', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF (NEW.id, NEW.organisation_id, NEW.time, NEW.actor_id, NEW.verb, NEW.object_type,
            NEW.object_id, NEW.subject_id, NEW.value)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.organisation_id, OLD.time, OLD.actor_id, OLD.verb, OLD.object_type,
            OLD.object_id, OLD.subject_id, OLD.value) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'The ledger is append-only: % on ledger_event refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
"""
POSTGRESQL_REMOVE = """
CREATE OR REPLACE FUNCTION ledger_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('cairn.allow_ledger_erasure', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The ledger is append-only: % on ledger_event refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
"""


def install(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL, params=None)


def remove(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_events_protected_in_the_database")]

    operations = [migrations.RunPython(install, remove)]
