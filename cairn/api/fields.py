"""Output fields the API's schemas share: how a row's link and its related rows read in JSON.

Ninja reads an output field from the row by its alias (or name); a related manager arrives as
the list of its rows, and a method is called. So a schema names ``url: AbsoluteUrl`` or
``skills: Names`` instead of writing the same resolver again, and a field named like a
method (``progress``, ``last_active``) needs none at all.
"""

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

#: The row's page in the web app (``get_absolute_url``).
AbsoluteUrl = Annotated[str, Field(alias="get_absolute_url")]


def _names(rows: Iterable[Any]) -> list[str]:
    return [row.name for row in rows]


def _handles(users: Iterable[Any]) -> list[str]:
    return [user.profile.handle for user in users]


#: Related rows (skills) by their names.
Names = Annotated[list[str], BeforeValidator(_names)]
#: Related people by their handles.
Handles = Annotated[list[str], BeforeValidator(_handles)]
