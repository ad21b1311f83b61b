"""The worker's side of a copy of a person's data: build the zip of a waiting request."""

import logging

from django.db import transaction
from django.utils import timezone

from cairn.privacy.collect import person_archive
from cairn.privacy.models import KEPT_FOR, DataExport

logger = logging.getLogger(__name__)


def do_build_data_export(export_id: int) -> DataExport.Status | None:
    """Build the zip of a waiting request (the worker's task); return its new status, or None
    if there was nothing to build (already built, or the person has since been erased)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("person__organisation")
            .filter(pk=export_id, status=DataExport.Status.PENDING)
            .first()
        )
        if export is None:
            return None
        now = timezone.now()
        try:
            with transaction.atomic():
                archive = person_archive(export.person, when=f"{now:%Y-%m-%d %H:%M} UTC")
        except Exception:
            logger.exception("The copy of data #%s could not be built", export_id)
            export.status = DataExport.Status.FAILED
            export.save(update_fields=["status"])
            return export.status
        export.archive = archive
        export.size = len(archive)
        export.status = DataExport.Status.READY
        export.ready_at = now
        export.expires_at = now + KEPT_FOR
        export.save(update_fields=["archive", "size", "status", "ready_at", "expires_at"])
        return export.status
