"""Background work for matching: small tasks taking ids, run by ``cairn db_worker``."""

import logging
from typing import Any

from django.db import transaction
from django.tasks import task

from cairn.matching.builder import build_organisation
from cairn.matching.indexes import BLOBS
from cairn.matching.matcher import compute_matches
from cairn.matching.models import RecommendationIndex
from cairn.people.locking import deferred, lock_organisation_row
from cairn.people.models import Organisation

log = logging.getLogger(__name__)


@task()
def run_program_matching(program_id: int) -> dict[str, Any]:
    """Compute the proposed matches of a program whose admin started the matching."""
    return compute_matches(program_id)


#: Below the default: a worker that has a trust pass and a build ready runs the pass first.
BUILD_PRIORITY = -10


@task(priority=BUILD_PRIORITY)
def build_recommendations(organisation_id: int) -> dict[str, Any] | None:
    """Build and store the organisation's recommendation indexes if they are behind."""
    if not Organisation.objects.filter(pk=organisation_id).exists():
        return None
    return build_organisation(organisation_id)


#: Changes within this many seconds cause one build. A build takes seconds at 10,000 people
#: on the worker that also runs trust passes (each of which queues a build); suggestions can
#: lag a changed profile by half a minute.
DEBOUNCE_SECONDS = 30


def queue_build(organisation_id: int, change: bool = True) -> bool:
    """Queue one build of the organisation's recommendation indexes unless one is waiting.

    ``change`` notes, under the same lock, that what the indexes are built from has changed.
    Return whether a task was enqueued. It runs after this transaction commits and, on a
    backend that can defer, a few seconds later, so that a burst of changes is one build.
    """
    with transaction.atomic():
        state = lock_organisation_row(RecommendationIndex, organisation_id, *BLOBS)
        changed = []
        if change:
            state.input_version += 1
            changed.append("input_version")
        if not state.mark_queued(changed):
            return False
        build = deferred(build_recommendations, DEBOUNCE_SECONDS)
        transaction.on_commit(lambda: _enqueue(build, organisation_id))
    return True


def _enqueue(build: Any, organisation_id: int) -> None:
    """Enqueue the build; if that fails, clear the flag so that the next change tries again
    (and never break the request whose transaction has already committed)."""
    try:
        build.enqueue(organisation_id)
    except Exception:
        log.exception(
            "Could not enqueue a recommendation build of organisation %s", organisation_id
        )
        RecommendationIndex.objects.filter(organisation_id=organisation_id).update(queued=False)
