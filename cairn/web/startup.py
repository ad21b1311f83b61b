"""What a web process does before it serves its first request."""

import gc


def prepare_to_serve() -> None:
    """Load the URL patterns (and with them every view module), read the stored recommendation
    indexes, then freeze what the process holds so far out of the garbage collector's reach.

    A fresh process's first page otherwise spends most of a second importing, and its first
    "Find a mentor" reads about 16 MB for a 10,000-person organisation and loads the embedding
    model. The freeze is for every request after: a full collection walks every object the
    process tracks, and Django, the views and the indexes are about 230,000 that live as long
    as it does. On Meridian each full collection took about 125 ms, once every dozen requests
    of the API's list of a busy community's members: ``python -m bench pages`` measured its p95
    at 207 ms against a median of 64 before the freeze, 90 ms after."""
    from django.urls import get_resolver

    from cairn.matching.indexes import warm_up

    get_resolver().url_patterns  # noqa: B018  # read for its imports
    warm_up()
    gc.collect()  # what start-up left as garbage is freed, not frozen
    gc.freeze()
