"""Permission-aware getters: anything a person may not see is a 404, never a leak."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cairn.matching.models import Participant, Program
from cairn.people.models import User


def programs_for(user: User) -> QuerySet[Program]:
    """Return the programs of the user's organisation (everyone there may see them)."""
    return Program.objects.visible_to(user)


def program_for(user: User, program_id: int) -> Program:
    """Return a program of the user's organisation, or raise 404."""
    return get_object_or_404(Program.objects.visible_to(user), pk=program_id)


def admin_program_for(user: User, program_id: int) -> Program:
    """Return a program the user administers; 404 outside the organisation, 403 for members."""
    program = program_for(user, program_id)
    if not program.is_admin(user):
        raise PermissionDenied("Only organisation admins can run programs.")
    return program


def participation_of(user: User, program: Program) -> Participant | None:
    """Return the user's own sign-up to a program, or None."""
    if not user.is_authenticated:
        return None
    return program.participants.filter(user=user).select_related("goal").first()
