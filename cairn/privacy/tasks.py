"""Background work for people's data: small tasks taking ids, run by ``cairn db_worker``."""

from django.tasks import task

from cairn.privacy.building import do_build_data_export


@task()
def build_data_export(export_id: int) -> str | None:
    """Build the zip of a person's data for a waiting request."""
    status = do_build_data_export(export_id)
    return None if status is None else str(status)
