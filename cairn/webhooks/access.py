"""Permission-aware getters: an endpoint someone may not see is a 404, never a leak."""

from django.shortcuts import get_object_or_404

from cairn.people.models import User
from cairn.webhooks.models import Endpoint


def webhook_for(user: User, endpoint_id: int) -> Endpoint:
    """Return one of the organisation's webhooks (not a chat channel) ``user`` may manage, or
    raise 404."""
    webhooks = Endpoint.objects.visible_to(user).filter(community__isnull=True)
    return get_object_or_404(webhooks.select_related("organisation"), pk=endpoint_id)
