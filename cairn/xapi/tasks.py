"""Background work for learning records: small tasks taking ids, run by ``cairn db_worker``."""

from django.tasks import task

from cairn.xapi import actions
from cairn.xapi.models import LrsConnection


@task()
def send_statements(connection_id: int) -> dict[str, object]:
    """Send what the organisation's LRS has not acknowledged yet; retry later on failure."""
    report = actions.send_pending(connection_id)
    if report.error and report.error != "busy or backing off":
        retry_at = (
            LrsConnection.objects.filter(pk=connection_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if retry_at is not None:
            send_statements.using(run_after=retry_at).enqueue(connection_id)
    return {"sent": report.sent, "batches": report.batches, "error": report.error}
