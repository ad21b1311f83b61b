"""The trust engine: events in, scores and explanations out (numpy/scipy only, no Django).

Public API::

    events = load_events("events.csv", skip_bad=False)      # -> Events
    result = compute_trust(events, seeds=None, at=None)      # -> TrustResult
    result.people, result.trust, result.dimensions, result.confidence
    explain(result, "alice", viewer="bob")                   # -> Explanation (data)
    pairwise_trust(result, "bob", "alice")                   # -> PairwiseTrust
    result.update("bob", "alice", "thanked", time)           # incremental, one event

``ratings.py`` (rating reliability, fairness/goodness, the backed rating behind the rating
fold, the bias model) is used by the model; ``predict.py`` (the rating predictor behind
``cairn trust predict``) builds on it. Both are documented in their own modules.
"""

from .csv_io import load_events
from .events import KINDS, EventError, Events, events_from_arrays
from .explain import Explanation, Fact, PairwiseTrust, explain, pairwise_trust
from .graph import propagate_levels
from .model import (
    PRIVILEGE_THRESHOLD,
    TrustParams,
    TrustResult,
    behaviour_quality,
    compute_trust,
    with_event,
)
from .ratings import ConvergenceError

DIMENSIONS = ("generosity", "courage", "integrity", "responsiveness")

__all__ = [
    "DIMENSIONS",
    "KINDS",
    "PRIVILEGE_THRESHOLD",
    "ConvergenceError",
    "EventError",
    "Events",
    "Explanation",
    "Fact",
    "PairwiseTrust",
    "TrustParams",
    "TrustResult",
    "behaviour_quality",
    "compute_trust",
    "events_from_arrays",
    "explain",
    "load_events",
    "pairwise_trust",
    "propagate_levels",
    "with_event",
]
