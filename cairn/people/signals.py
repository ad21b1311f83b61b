"""When a founder confirms their address, open the domain they asked for at the start."""

from typing import Any

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from cairn.people.actions import open_confirmed_domain


@receiver(email_confirmed)
def open_domain_on_confirmation(
    sender: Any, request: Any, email_address: Any, **kwargs: Any
) -> None:
    open_confirmed_domain(email_address.user)
