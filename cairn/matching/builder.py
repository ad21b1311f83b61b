"""Building an organisation's recommendation indexes: the body of the worker's task.

Profiles, skills, trust and ledger evidence (:func:`cairn.matching.adapter.engine_profiles`) and
the organisation's open communities -> :func:`~cairn.matching.engine.build_index` -> bytes on
:class:`~cairn.matching.models.RecommendationIndex`. Only the worker calls this; requests read
what it stored (:mod:`cairn.matching.indexes`).
"""

import time as clock
from typing import Any

from cairn.matching import adapter, indexes
from cairn.matching.engine import build_index


def build_organisation(organisation_id: int) -> dict[str, Any]:
    """Build and store the organisation's indexes unless the stored ones are current.

    Return a summary: ``{"mode": "nothing to do"}`` for a duplicate task, otherwise how many
    people and communities the indexes hold, how long it took, and whether it was stored.
    The build is stored under the input version it started from, so changes made meanwhile
    queue the next build rather than being lost.
    """
    started = clock.perf_counter()
    embedder = indexes.embedder()
    state = indexes.claim(organisation_id)
    if indexes.is_current(state, embedder.name):
        return {"mode": "nothing to do"}
    indexes.seed(organisation_id, embedder)
    people = build_index(adapter.engine_profiles(organisation_id), embedder)
    # A TF-IDF embedder is fitted on its index's texts: the communities get their own.
    communities = build_index(adapter.organisation_communities(organisation_id), indexes.embedder())
    stored = indexes.store(organisation_id, state.input_version, people, communities, started)
    return {
        "mode": "built",
        "people": len(people),
        "communities": len(communities),
        "seconds": clock.perf_counter() - started,
        "stored": stored,
    }
