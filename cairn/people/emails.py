"""The invitation email (a background task): who invites you to which organisation, and the
link to join."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from cairn.people.models import Invitation


@task()
def send_invitation(invitation_id: int) -> None:
    """Email an invitation's link to the invitee; nothing once it is used."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by__profile")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    inviter = invitation.invited_by
    profile = getattr(inviter, "profile", None) if inviter is not None else None
    context = {
        "invitation": invitation,
        "inviter": profile.name if profile is not None else "A colleague",
        "link": settings.SITE_URL.rstrip("/") + reverse("join", args=[invitation.token]),
    }
    EmailMessage(
        subject=f"[Cairn] Join {invitation.organisation.name} on Cairn",
        body=render_to_string("people/invitation_email.txt", context),
        to=[invitation.email],
    ).send()
