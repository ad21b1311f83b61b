"""Background work for trust: small tasks taking ids, run by ``cairn db_worker``."""

from typing import Any

from django.tasks import task

from cairn.people.models import Organisation
from cairn.trust import adapter
from cairn.trust.models import TrustState


@task()
def recompute_trust(organisation_id: int, event_id: int | None = None) -> dict[str, Any] | None:
    """Recompute and store the trust of an organisation after ``event_id`` (and any burst
    around it). Return the adapter's summary.

    The queued flag is cleared before computing, so changes that arrive meanwhile queue the
    next pass; the adapter never lets an older pass overwrite a newer one.
    """
    TrustState.objects.filter(organisation_id=organisation_id).update(queued=False)
    if not Organisation.objects.filter(pk=organisation_id).exists():
        return None
    return adapter.recompute_organisation(organisation_id)
