"""Searching every kind of thing, each filtered by its model's own visibility rule, and ranked."""

from datetime import timedelta
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cairn.communities.actions import do_join
from cairn.exchange.actions import do_ask, do_mark_response, do_respond, do_share_post
from cairn.exchange.models import Post
from cairn.search.models import Document
from cairn.search.query import ANSWERS_ONLY, search, terms_of
from cairn.search.tests.helpers import SearchTestCase
from cairn.trust.models import TrustProfile


def found(groups) -> dict[str, set[str]]:
    """Return each kind's titles, without their highlight marks."""
    return {
        group.kind: {
            str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in group.hits
        }
        for group in groups
    }


def totals(groups) -> dict[str, int]:
    return {group.kind: group.total for group in groups}


class SearchVisibilityTest(SearchTestCase):
    def test_a_member_finds_every_kind_they_may_see(self) -> None:
        results = found(search(self.bob, "kubernetes"))
        self.assertEqual(results["request"], {"Kubernetes pods keep restarting"})
        self.assertEqual(results["post"], {"The Kubernetes upgrade that broke ingress"})
        self.assertEqual(results["community"], {"Kubernetes guild"})
        self.assertEqual(results["thread"], {"Kubernetes office hours"})
        self.assertEqual(results["resource"], {"Kubernetes the hard way"})
        self.assertEqual(results["goal"], {"Run Kubernetes in production"})

    def test_a_private_goal_shows_to_its_owner_only_not_even_as_a_count(self) -> None:
        self.assertEqual(totals(search(self.bob, "kubernetes"))["goal"], 1)
        self.assertNotIn("goal", totals(search(self.bob, "exam")))
        self.assertEqual(found(search(self.carol, "exam"))["goal"], {"Pass the Kubernetes exam"})

    def test_a_closed_communitys_thread_shows_to_its_members_only(self) -> None:
        self.assertEqual(totals(search(self.bob, "kubernetes"))["thread"], 1)
        self.assertNotIn("thread", totals(search(self.bob, "rotation")))
        self.assertEqual(
            found(search(self.alice, "rotation"))["thread"], {"Kubernetes secrets rotation"}
        )

    def test_another_organisations_post_never_shows_not_even_as_a_count(self) -> None:
        self.assertEqual(totals(search(self.alice, "kubernetes"))["post"], 1)
        self.assertEqual(search(self.alice, "globex"), [])
        self.assertEqual(
            found(search(self.oscar, "kubernetes")), {"post": {"Globex Kubernetes notes"}}
        )

    def test_people_are_found_by_name_headline_and_skills(self) -> None:
        self.assertEqual(found(search(self.bob, "archer"))["person"], {"Alice Archer"})
        self.assertEqual(found(search(self.bob, "designer"))["person"], {"Carol Chen"})
        self.assertEqual(found(search(self.bob, "stakeholder"))["person"], {"Alice Archer"})
        self.assertEqual(search(self.oscar, "archer"), [])

    def test_visitors_and_people_without_an_organisation_find_nothing(self) -> None:
        self.assertEqual(search(AnonymousUser(), "kubernetes"), [])


class SearchMatchingTest(SearchTestCase):
    def test_an_answered_request_is_marked_and_quotes_its_accepted_answer(self) -> None:
        (group,) = search(self.bob, "crashloopbackoff")
        self.assertEqual(group.hits[0].label, "Answered")
        self.assertEqual(group.hits[0].answer, "Raise the memory limit of the pod.")

    def test_words_match_by_their_stem(self) -> None:
        self.assertIn("request", found(search(self.bob, "restarts")))

    def test_the_last_word_matches_as_a_prefix_while_typing(self) -> None:
        self.assertEqual(
            found(search(self.bob, "ingr"))["post"], {"The Kubernetes upgrade that broke ingress"}
        )

    def test_the_accepted_answer_is_searched_too(self) -> None:
        self.assertIn("request", found(search(self.bob, "memory limit")))

    def test_snippets_mark_matched_words_and_escape_the_rest(self) -> None:
        do_share_post(
            self.bob, "Escaping in templates", "Never trust <script>alert(1)</script> input."
        )
        (group,) = search(self.bob, "escaping")
        self.assertIn("<mark>Escaping</mark>", group.hits[0].title)
        snippet = search(self.bob, "trust input")[0].hits[0].snippet
        self.assertIn("<mark>trust</mark>", snippet)
        self.assertNotIn("<script", snippet)  # escaped (SQLite) or dropped (PostgreSQL)

    def test_operators_and_punctuation_are_plain_words(self) -> None:
        self.assertEqual(terms_of('pods & | ! :* "kube" (x) <-> -'), ["pods", "kube", "x"])
        self.assertIn("request", found(search(self.bob, 'pods & | ! :* "')))

    def test_a_query_without_words_finds_nothing(self) -> None:
        self.assertEqual(search(self.bob, " ?! "), [])

    def test_answers_only_keeps_answered_requests_and_lessons(self) -> None:
        do_share_post(self.bob, "Kubernetes cheat sheet", "kubectl get pods")
        do_share_post(self.bob, "Kubernetes question", "Unanswered")
        results = found(
            search(self.bob, "kubernetes", narrow=ANSWERS_ONLY, kinds=["request", "post"])
        )
        self.assertEqual(results["post"], {"The Kubernetes upgrade that broke ingress"})
        self.assertEqual(results["request"], {"Kubernetes pods keep restarting"})


class SearchRankingTest(SearchTestCase):
    def test_a_title_match_ranks_above_a_body_match(self) -> None:
        do_share_post(self.bob, "Notes", "Helm charts for everything")
        do_share_post(self.bob, "Helm charts", "Notes")
        (group,) = search(self.bob, "helm")
        self.assertEqual([str(h.title) for h in group.hits][0], "<mark>Helm</mark> charts")

    def test_a_newer_post_ranks_above_an_older_one_that_matches_as_well(self) -> None:
        old = do_share_post(self.bob, "Terraform state tips", "Lock it.")
        Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=900))
        Post.objects.get(pk=old.pk).save()  # re-indexed as the action layer would
        do_share_post(self.carol, "Terraform state tips", "Lock it.")
        (group,) = search(self.bob, "terraform")
        self.assertEqual([h.object_id for h in group.hits][-1], old.pk)

    def test_a_lesson_from_a_trusted_author_ranks_above_an_equal_one(self) -> None:
        trusted = do_share_post(
            self.bob, "Pager duty lesson", "Sleep.", kind="lesson", learned="Rest."
        )
        do_share_post(self.carol, "Pager duty lesson", "Sleep.", kind="lesson", learned="Rest.")
        TrustProfile.objects.update_or_create(
            user=self.bob, defaults={"organisation": self.acme, "trust": 0.9, "confidence": 0.9}
        )
        (group,) = search(self.alice, "pager")
        self.assertEqual(group.hits[0].object_id, trusted.pk)


class IndexInStepTest(SearchTestCase):
    def test_an_edit_a_deletion_and_new_skills_reach_the_index(self) -> None:
        post = do_share_post(self.bob, "Grafana dashboards", "Panels.")
        post.title = "Prometheus dashboards"
        post.save()
        self.assertEqual(search(self.bob, "grafana"), [])
        self.assertTrue(search(self.bob, "prometheus"))
        post.skills.create(organisation=self.acme, name="Observability", slug="observability")
        self.assertTrue(search(self.bob, "observability"))
        post.delete()
        self.assertEqual(search(self.bob, "prometheus"), [])
        self.assertFalse(Document.objects.filter(kind="post", object_id=post.pk).exists())

    def test_a_response_rewrites_its_requests_row_only_when_it_can_be_the_answer(self) -> None:
        request = do_ask(self.bob, "Helm charts or Kustomize?", "For a small team.")
        with mock.patch("cairn.search.index.index") as index:
            do_respond(self.alice, request, "Kustomize, until you need templating.")
            self.assertEqual(index.call_count, 0)  # new, unmarked: nothing the row says changed
        answer = do_respond(self.carol, request, "Helm, for the charts others publish.")
        do_mark_response(self.bob, answer, helpful=True)
        self.assertEqual(found(search(self.bob, "helm"))["request"], {"Helm charts or Kustomize?"})
        self.assertEqual(search(self.bob, "publish")[0].hits[0].label, "Answered")
        answer.delete()  # the instance read before it was marked
        self.assertEqual(search(self.bob, "publish"), [])

    def test_joining_a_closed_community_opens_its_threads_to_search(self) -> None:
        self.assertNotIn("thread", totals(search(self.carol, "rotation")))
        membership = do_join(self.carol, self.closed_circle)
        membership.status = membership.Status.ACTIVE
        membership.save()
        self.assertEqual(totals(search(self.carol, "rotation"))["thread"], 1)


class FirstPassTest(SearchTestCase):
    """Only the best rows by text relevance are probed for visibility and scored."""

    def test_a_full_first_pass_counts_what_it_saw_and_says_there_may_be_more(self) -> None:
        for n in range(3):
            do_share_post(self.bob, f"Kubernetes note {n}", "Pods.")
        with mock.patch("cairn.search.query.CANDIDATES", 2):
            (posts,) = search(self.bob, "kubernetes", kinds=["post"], per_kind=1)
        self.assertEqual((posts.total, posts.more), (2, True))

    def test_too_few_visible_among_the_best_searches_every_match(self) -> None:
        # Carol's private goal matches best, but Bob may not see it: the shared one is found.
        with mock.patch("cairn.search.query.CANDIDATES", 1):
            results = search(self.bob, "kubernetes exam production", kinds=["goal"])
        self.assertEqual(found(results), {"goal": {"Run Kubernetes in production"}})
        self.assertFalse(results[0].more)
