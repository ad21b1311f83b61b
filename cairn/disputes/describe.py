"""An item of evidence in words, never naming who gave feedback."""

from collections.abc import Mapping

from django.apps import apps
from django.utils import timezone

from cairn.ledger.models import Event, Verb


def evidence_words(event: Event, commitments: Mapping[str, object] | None = None) -> str:
    """Return what the evidence says, e.g. "the rating you received on a response"."""
    when = f"{timezone.localtime(event.time):%-d %b %Y}"
    if event.verb == Verb.RATED:
        label = (event.context or {}).get("context", "")
        try:
            name = apps.get_model(label)._meta.verbose_name if label else "something"
        except (LookupError, ValueError):
            name = "something"
        return f"the rating on a {name} ({when})"
    if event.verb == Verb.MISSED:
        text = (commitments or {}).get(event.object_id)
        what = f"the commitment “{text}”" if text else "a commitment"
        return f"{what}, marked missed on {when}"
    if event.verb == Verb.CONTENT_HIDDEN:
        return f"the hiding of something you wrote, on {when}"
    return f"{event.verb_label()} ({when})"
