"""The communities every community test starts from."""

from cairn.communities import actions
from cairn.communities.models import Community
from cairn.testing import CairnTestCase


class CommunityTestCase(CairnTestCase):
    """Acme with alice's open Data Circle and her Leaders Circle that admits by approval."""

    open: Community
    closed: Community

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.open = actions.do_create_community(cls.alice, "Data Circle", "SQL and friends")
        cls.closed = actions.do_create_community(
            cls.alice, "Leaders Circle", "Quiet room", Community.Policy.APPROVAL
        )
