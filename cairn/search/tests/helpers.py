"""A small searchable world on the shared personas, for the search tests."""

from cairn.communities.actions import (
    do_create_community,
    do_join,
    do_share_resource,
    do_start_thread,
)
from cairn.communities.models import Community, Resource, Thread
from cairn.exchange.actions import do_ask, do_mark_response, do_respond, do_share_post
from cairn.exchange.models import HelpRequest, Post, Response
from cairn.learning.actions import do_set_goal
from cairn.learning.models import Goal
from cairn.testing import CairnTestCase


class SearchTestCase(CairnTestCase):
    """Acme has one thing of every kind about "kubernetes" (some of them private); Globex, the
    other organisation, has a post about it too."""

    request: HelpRequest
    answer: Response
    lesson: Post
    open_circle: Community
    closed_circle: Community
    closed_thread: Thread
    open_thread: Thread
    resource: Resource
    private_goal: Goal
    shared_goal: Goal
    outsider_post: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.request = do_ask(
            cls.bob, "Kubernetes pods keep restarting", "CrashLoopBackOff on deploy."
        )
        cls.answer = do_respond(cls.alice, cls.request, "Raise the memory limit of the pod.")
        do_mark_response(cls.bob, cls.answer, accepted=True)
        cls.lesson = do_share_post(
            cls.carol,
            "The Kubernetes upgrade that broke ingress",
            "We upgraded on a Friday.",
            kind="lesson",
            learned="Read the changelog first.",
        )
        cls.open_circle = do_create_community(cls.alice, "Kubernetes guild", "Clusters.")
        cls.closed_circle = do_create_community(
            cls.alice, "Platform team", "Our own.", policy="approval"
        )
        cls.closed_thread = do_start_thread(
            cls.alice, cls.closed_circle, "Kubernetes secrets rotation", "Who rotates them?"
        )
        cls.open_thread = do_start_thread(
            cls.alice, cls.open_circle, "Kubernetes office hours", "Thursdays at four."
        )
        cls.resource = do_share_resource(
            cls.alice, cls.open_circle, "Kubernetes the hard way", "https://example.com/k8s"
        )
        cls.private_goal = do_set_goal(cls.carol, "Pass the Kubernetes exam", visibility="private")
        cls.shared_goal = do_set_goal(
            cls.carol, "Run Kubernetes in production", visibility="organisation"
        )
        cls.outsider_post = do_share_post(cls.oscar, "Globex Kubernetes notes", "Ours.")
        do_join(cls.bob, cls.open_circle)
