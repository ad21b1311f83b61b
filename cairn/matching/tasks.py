"""Background work for matching: small tasks taking ids, run by ``cairn db_worker``."""

from typing import Any

from django.tasks import task

from cairn.matching.matcher import compute_matches


@task()
def run_program_matching(program_id: int) -> dict[str, Any]:
    """Compute the proposed matches of a program whose admin started the matching."""
    return compute_matches(program_id)
