"""Who sees which request, response, post, comment, credit and thank-you note: the
``visible_to`` queries tried on the personas, and every exchange list at a constant number of
queries."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from cairn.communities.actions import do_create_community
from cairn.exchange import actions
from cairn.exchange.models import Comment, Credit, HelpRequest, Post, Response, Thanks
from cairn.testing import CairnTestCase


class ExchangeVisibilityTest(CairnTestCase):
    public: HelpRequest
    quiet: HelpRequest
    answer: Response
    post: Post
    closed_post: Post
    comment: Comment
    credit: Credit
    thanks: Thanks

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        closed = do_create_community(cls.alice, "Leads", policy="approval")
        cls.public = actions.do_ask(cls.bob, "Window functions?")
        cls.quiet = actions.do_ask(
            cls.alice, "Quiet one", community=closed, directed_to=[cls.carol]
        )
        cls.answer = actions.do_respond(cls.carol, cls.quiet, "Try this")
        cls.post = actions.do_share_post(cls.bob, "Joins", "Use keys.")
        cls.closed_post = actions.do_share_post(cls.alice, "Leads only", "Sh.", community=closed)
        cls.comment = actions.do_comment(cls.alice, cls.closed_post, "Noted")
        cls.credit = Credit.objects.create(
            organisation=cls.acme,
            giver=cls.alice,
            recipient=cls.carol,
            line="The answer",
            content_type=ContentType.objects.get_for_model(HelpRequest),
            object_id=cls.quiet.pk,
        )
        cls.thanks = actions.do_thank(cls.bob, cls.alice, "Thank you!")

    def seen(self, model, user) -> set[int]:
        return set(model.objects.visible_to(user).values_list("pk", flat=True))

    def test_requests_and_their_responses(self) -> None:
        both = {self.public.pk, self.quiet.pk}
        expected = {
            self.alice: both,
            self.bob: {self.public.pk},  # not in the approval community, not asked
            self.carol: both,  # asked by name
            self.oscar: set(),
            AnonymousUser(): set(),
        }
        self.assertEqual({u: self.seen(HelpRequest, u) for u in expected}, expected)
        self.assertEqual(self.seen(Response, self.carol), {self.answer.pk})
        self.assertEqual(self.seen(Response, self.bob), set())

    def test_posts_and_their_comments(self) -> None:
        both = {self.post.pk, self.closed_post.pk}
        expected = {self.alice: both, self.bob: {self.post.pk}, self.oscar: set()}
        self.assertEqual({u: self.seen(Post, u) for u in expected}, expected)
        self.assertEqual(self.seen(Comment, self.alice), {self.comment.pk})
        self.assertEqual(self.seen(Comment, self.bob), set())

    def test_a_credit_is_seen_by_whoever_sees_what_it_is_on(self) -> None:
        expected = {self.alice: {self.credit.pk}, self.carol: {self.credit.pk}, self.bob: set()}
        self.assertEqual({u: self.seen(Credit, u) for u in expected}, expected)
        self.assertEqual(self.seen(Credit, self.oscar), set())

    def test_thanks_are_for_the_two_people(self) -> None:
        expected = {self.alice: {self.thanks.pk}, self.bob: {self.thanks.pk}, self.carol: set()}
        self.assertEqual({u: self.seen(Thanks, u) for u in expected}, expected)


class ExchangeListQueriesTest(CairnTestCase):
    """Each list costs the same number of queries with 2 rows as with 8."""

    def add_requests(self, n: int) -> None:
        for _ in range(n):
            help_request = HelpRequest.objects.create(
                organisation=self.acme, asker=self.bob, title="Question", details="?"
            )
            help_request.directed_to.add(self.carol)
            Response.objects.create(help_request=help_request, responder=self.carol, body="A")

    def add_posts(self, n: int) -> None:
        for _ in range(n):
            post = Post.objects.create(
                organisation=self.acme, author=self.bob, title="Tip", body="."
            )
            Comment.objects.create(post=post, author=self.carol, body="Thanks")

    def add_thanks(self, n: int) -> None:
        Thanks.objects.bulk_create(
            Thanks(organisation=self.acme, sender=self.bob, recipient=self.alice, note="Merci")
            for _ in range(n)
        )

    def test_requests_page(self) -> None:
        self.assertPageListConstant(self.alice, "/requests/", ">Question</a>", self.add_requests)

    def test_requests_api(self) -> None:
        self.assertApiListConstant(self.alice, "/requests", self.add_requests)

    def test_posts_page(self) -> None:
        self.assertPageListConstant(self.alice, "/posts/", ">Tip</a>", self.add_posts)

    def test_posts_api(self) -> None:
        self.assertApiListConstant(self.alice, "/posts", self.add_posts)

    def test_thanks_page(self) -> None:
        self.assertPageListConstant(self.alice, "/thanks/", "Merci", self.add_thanks)

    def test_thanks_api(self) -> None:
        self.assertApiListConstant(self.alice, "/thanks", self.add_thanks)
