"""Shared setup for moderation tests: Acme's personas, three more colleagues, a community
carol facilitates, and ways to give people the trust that earns "flag to hide"."""

from cairn.communities.actions import do_create_community, do_join
from cairn.communities.models import Community
from cairn.exchange.actions import do_share_post
from cairn.exchange.models import Post
from cairn.people.models import User
from cairn.privileges.tests.test_checks import trusted
from cairn.testing import CairnTestCase, make_person


class ModerationTestCase(CairnTestCase):
    """alice (admin), bob, carol (facilitates "Circle"), dave, erin and frank (trusted: they
    may flag to hide), and oscar from Globex."""

    dave: User
    erin: User
    frank: User
    circle: Community
    post: Post
    circle_post: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dave = make_person(cls.acme, "Dave Dunn")
        cls.erin = make_person(cls.acme, "Erin Eze")
        cls.frank = make_person(cls.acme, "Frank Fox")
        for person in (cls.dave, cls.erin, cls.frank):
            trusted(person)
        cls.circle = do_create_community(cls.carol, "Circle")
        for person in (cls.bob, cls.dave, cls.erin, cls.frank):
            do_join(person, cls.circle)
        cls.post = do_share_post(cls.bob, "Our on-call rota", "Call Bob on 07700 900123")
        cls.circle_post = do_share_post(
            cls.bob, "Circle notes", "Notes from the circle", community=cls.circle
        )
