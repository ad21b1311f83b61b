"""The API's one pagination: ``limit`` up to 100, ``offset`` bounded so it fits a database integer.

An offset past the end gives an empty page; a limit or offset out of range is a 422 naming it.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
#: Far past any organisation's list, far below the 64-bit integers databases take.
MAX_OFFSET = 1_000_000


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"At most {MAX_OFFSET}.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
