"""Who may see the insights: an organisation's admins only."""

from cairn.errors import ActionError
from cairn.people.models import User


def check_insights(user: User) -> None:
    """Refuse anyone but an admin of an organisation (members get a 403)."""
    if not user.is_authenticated or not user.is_org_admin:
        raise ActionError("Only organisation admins can see the insights.", status=403)
