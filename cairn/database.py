"""How Cairn's connections to PostgreSQL keep prepared statements (see DATABASES in settings)."""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

#: Prepared statements a connection keeps, least recently used dropped first. The load test's
#: mix of pages and writes runs about 210 distinct statements a connection, psycopg keeps 100
#: by default, and a dropped one is planned afresh twice before it is prepared again.
PREPARED_MAX = 500


def keep_prepared_statements(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Let a new PostgreSQL connection that prepares statements keep :data:`PREPARED_MAX`."""
    if (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    ):
        connection.connection.prepared_max = PREPARED_MAX
