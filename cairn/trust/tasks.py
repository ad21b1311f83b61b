"""Background work for trust: small tasks taking ids, run by ``cairn db_worker``."""

from typing import Any

from django.tasks import task

from cairn.trust import actions


@task()
def recompute_trust(organisation_id: int, event_id: int | None = None) -> dict[str, Any] | None:
    """Recompute the trust of an organisation after ``event_id`` (and any burst around it)."""
    return actions.do_run_queued_recompute(organisation_id)
