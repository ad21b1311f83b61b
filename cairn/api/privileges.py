"""API: my privileges — each one, whether I have it, why, or what I still need."""

from ninja import Router, Schema

from cairn.http import SignedInRequest
from cairn.privileges.access import flag_weight, privileges_for

router = Router(tags=["privileges"])


class PrivilegeOut(Schema):
    name: str
    title: str
    allows: str
    held: bool
    why: str
    needs: list[str]
    daily_limit: int | None
    left_today: int | None


class PrivilegesOut(Schema):
    privileges: list[PrivilegeOut]
    flag_weight: float


@router.get("/privileges", response=PrivilegesOut, summary="My privileges")
def my_privileges(request: SignedInRequest) -> dict[str, object]:
    """Worked out from my trust as it is now: a privilege no longer earned is gone."""
    return {
        "privileges": [
            {
                "name": s.privilege.name,
                "title": s.privilege.title,
                "allows": s.privilege.allows,
                "held": s.held,
                "why": s.why,
                "needs": s.needs,
                "daily_limit": s.limit(),
                "left_today": s.left_today(),
            }
            for s in privileges_for(request.user)
        ],
        "flag_weight": flag_weight(request.user),
    }
