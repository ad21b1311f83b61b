"""Background work for webhooks: small tasks taking ids, run by ``cairn db_worker``."""

from django.tasks import task

from cairn.webhooks import actions
from cairn.webhooks.models import Endpoint


@task()
def send_webhooks(endpoint_id: int) -> dict[str, object]:
    """Send what the endpoint has not received yet; after a failure, try again when the
    back-off ends; with more waiting than one run sends, go on at once."""
    report = actions.send_pending(endpoint_id)
    if report.more:
        send_webhooks.enqueue(endpoint_id)
    elif report.error and report.error != actions.BUSY:
        retry_at = (
            Endpoint.objects.filter(pk=endpoint_id, enabled=True)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if retry_at is not None:
            send_webhooks.using(run_after=retry_at).enqueue(endpoint_id)
    return {"sent": report.sent, "more": report.more, "error": report.error}
