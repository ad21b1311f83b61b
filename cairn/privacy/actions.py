"""People's rights over their data: a copy of it, and erasure. Admins can do both for a member.

The copy itself is built by the worker: :func:`cairn.privacy.building.do_build_data_export`.
"""

from datetime import datetime

from django.db import transaction
from django.shortcuts import get_object_or_404

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import check_org_admin, organisation_id_of
from cairn.errors import ActionError
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.locking import lock_person
from cairn.people.models import Profile, User
from cairn.privacy.erasure import Identity, erase_person
from cairn.privacy.models import DataExport
from cairn.privacy.tasks import build_data_export


def member_for(admin: User, handle: str) -> User:
    """Return the member with this handle if ``admin`` administers their organisation; a
    member asking gets a 403, anyone who cannot see the person a 404."""
    profile = get_object_or_404(
        Profile.objects.visible_to(admin).select_related("user"), handle=handle
    )
    check_org_admin(admin, "do this for someone else")
    return profile.user


def check_acts_for(actor: User, person: User) -> None:
    """Refuse unless ``actor`` is ``person``, or an admin of the organisation ``person`` is in."""
    if not actor.is_authenticated or actor.organisation_id is None:
        raise ActionError("Sign in with an account of an organisation first.", status=403)
    if actor.pk == person.pk:
        return
    if person.organisation_id != actor.organisation_id or not person.is_active:
        raise ActionError("No such person.", status=404)
    check_org_admin(actor, "do this for someone else")


def do_request_data_export(actor: User, person: User) -> DataExport:
    """Ask the worker for a copy of ``person``'s data; return the request (the one already
    waiting, if ``actor`` asked twice)."""
    check_acts_for(actor, person)
    with transaction.atomic():
        lock_person(actor)
        waiting = DataExport.objects.filter(
            requested_by=actor, person=person, status=DataExport.Status.PENDING
        ).first()
        if waiting is not None:
            return waiting
        export = DataExport.objects.create(
            organisation_id=organisation_id_of(person), person=person, requested_by=actor
        )
        record(
            Verb.DATA_EXPORT_REQUESTED,
            actor=actor,
            subject=None if actor.pk == person.pk else person,
            obj=export,
        )
        audit.record(
            Action.DATA_EXPORT_REQUESTED,
            actor=actor,
            target=person.email,
            details={"export": export.pk},
        )
        transaction.on_commit(lambda: build_data_export.enqueue(export.pk))
    return export


def do_download_data_export(actor: User, export_id: int) -> DataExport:
    """Return a ready copy ``actor`` asked for, with its zip; audit the download."""
    export = get_object_or_404(DataExport.objects.visible_to(actor), pk=export_id)
    if not export.is_downloadable():
        raise ActionError("This copy is not ready, or its 7 days are over.", status=409)
    with transaction.atomic():
        audit.record(
            Action.DATA_EXPORT_DOWNLOADED,
            actor=actor,
            target=export.person.email,
            details={"export": export.pk},
        )
    return export


def do_prune_data_exports(now: datetime | None = None) -> int:
    """Delete the copies whose 7 days are over; return how many went (the periodic job)."""
    deleted, _ = DataExport.objects.expired(now).delete()
    return deleted


def check_erasure(actor: User, person: User, confirmation: str) -> None:
    """Refuse an erasure that is not confirmed by typing the account's email, or that would
    leave the organisation without an admin."""
    check_acts_for(actor, person)
    if confirmation.strip().lower() != person.email.lower():
        whose = "your" if actor.pk == person.pk else "their"
        raise ActionError(f"Type {whose} email address exactly to confirm.", field="confirm")
    if person.is_org_admin:
        others = User.objects.filter(
            organisation_id=organisation_id_of(person), role=User.Role.ADMIN, is_active=True
        ).exclude(pk=person.pk)
        if not others.exists():
            raise ActionError(
                "The organisation's only admin cannot be erased: make someone else an admin first.",
                status=409,
            )


def do_erase_account(actor: User, person: User, confirmation: str) -> Identity:
    """Erase ``person``'s account for good (see :mod:`cairn.privacy.erasure`); return who they
    were. The ledger keeps every event, naming the tombstone."""
    check_erasure(actor, person, confirmation)
    by_admin = actor.pk != person.pk
    with transaction.atomic():
        lock_person(person)
        identity = erase_person(person)
        record(
            Verb.ACCOUNT_ERASED,
            actor=actor,
            subject=person,
            organisation=person.organisation,
            context={"by_admin": by_admin},
        )
        audit.record(
            Action.ACCOUNT_ERASED,
            actor=actor,
            organisation=person.organisation,
            target=identity.tombstone_email,
            details={"by_admin": by_admin},
        )
    return identity
