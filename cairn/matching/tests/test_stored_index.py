"""The recommendation index: built by the worker, stored in the database, read by requests."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.test import override_settings

from cairn.communities.actions import do_create_community
from cairn.matching import adapter, builder, indexes
from cairn.matching.builder import build_organisation
from cairn.matching.engine import Query, build_index, recommend
from cairn.matching.models import RecommendationIndex
from cairn.matching.tasks import build_recommendations, queue_build
from cairn.matching.tests.test_find import FindTestCase
from cairn.people.actions import do_update_profile
from cairn.testing import dummy_tasks, make_person

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@contextmanager
def nothing_built() -> Iterator[None]:
    """Fail the test if anything reads the organisation's profiles or builds an index."""
    refused = AssertionError("an index was built")
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(builder, "build_index", side_effect=refused))
        for name in ("engine_profiles", "ledger_evidence", "organisation_communities"):
            stack.enter_context(mock.patch.object(adapter, name, side_effect=refused))
        yield


class StoredIndexTest(FindTestCase):
    def test_the_stored_index_recommends_as_the_one_built(self) -> None:
        embedder = indexes.embedder()
        built = build_index(adapter.engine_profiles(self.acme.pk), embedder)
        indexes.forget()
        with nothing_built():
            read = indexes.stored_indexes(self.acme.pk)
        assert read.people is not None
        self.assertFalse(read.stale)
        self.assertEqual(list(read.people.profiles), built.profiles)
        query = Query("Write good SQL queries", seeker=read.people.profiles[0], skills=["SQL"])
        got, want = recommend(read.people, query), recommend(built, query)
        self.assertEqual(
            [(r.person, r.reasons) for r in got], [(r.person, r.reasons) for r in want]
        )
        for stored_one, built_one in zip(got, want, strict=True):
            self.assertAlmostEqual(stored_one.score, built_one.score, delta=1e-3)  # float16

    def test_a_request_reads_the_stored_index_and_never_builds_one(self) -> None:
        self.client.force_login(self.bob)
        indexes.forget()  # a fresh process: the index is read from the database
        with nothing_built():
            page = self.client.get(f"/match/goals/{self.goal.pk}/")
            api = self.client.get(f"/api/v1/goals/{self.goal.pk}/recommendations")
        self.assertContains(page, "Fay Fisher")
        self.assertIn("Fay Fisher", [m["name"] for m in api.json()["mentors"]])
        self.assertTrue(api.json()["ready"])

    def test_each_organisation_has_its_own_index(self) -> None:
        acme = indexes.stored_indexes(self.acme.pk)
        globex = indexes.stored_indexes(self.globex.pk)
        assert acme.people is not None and globex.people is not None
        self.assertEqual([p.person for p in globex.people.profiles], [f"u{self.oscar.pk}"])
        self.assertNotIn(f"u{self.oscar.pk}", acme.people.position)
        assert globex.communities is not None
        self.assertEqual(len(globex.communities), 1)

    def test_an_older_build_never_overwrites_a_newer_one(self) -> None:
        state = RecommendationIndex.objects.get(organisation=self.acme)
        people = build_index(adapter.engine_profiles(self.acme.pk), indexes.embedder())
        communities = build_index([], indexes.embedder())
        late = indexes.store(self.acme.pk, state.stored_version - 1, people, communities, 0.0)
        self.assertFalse(late)
        self.assertEqual(
            RecommendationIndex.objects.get(organisation=self.acme).built_at, state.built_at
        )

    @override_settings(CAIRN_MATCHING_RELOAD_IN_BACKGROUND=True)
    def test_a_process_goes_on_with_its_index_while_it_reads_a_rebuilt_one(self) -> None:
        first = indexes.stored_indexes(self.acme.pk).people
        make_person(self.acme, "Hal Hart", offers=["SQL query tuning"])
        self.rebuild()

        class InlineThread:  # the thread's work, run when started (a test has one connection)
            def __init__(self, target: Callable[[int], None], args: tuple[int], daemon: bool):
                self.target, self.args = target, args

            def start(self) -> None:
                self.target(*self.args)

        with (
            mock.patch.object(indexes.threading, "Thread", InlineThread),
            mock.patch.object(indexes, "connection"),
            nothing_built(),
        ):
            during = indexes.stored_indexes(self.acme.pk)
            after = indexes.stored_indexes(self.acme.pk)
        self.assertIs(during.people, first)
        self.assertTrue(during.stale)
        assert after.people is not None
        self.assertIsNot(after.people, first)
        self.assertEqual(len(after.people), len(first or ()) + 1)

    @override_settings(CAIRN_MATCHING_EMBEDDER="tfidf")
    def test_a_tfidf_index_is_stored_with_its_own_fit(self) -> None:
        self.rebuild()
        indexes.forget()
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        self.assertIn(self.fay.pk, [s.profile.user_id for s in found["mentor"]])
        self.assertEqual([s.community.pk for s in found["community"]], [self.circle.pk])

    def test_a_duplicate_build_has_nothing_to_do(self) -> None:
        self.assertEqual(build_recommendations.call(self.acme.pk), {"mode": "nothing to do"})
        self.assertIsNone(build_recommendations.call(999_999))

    def test_a_new_colleague_is_recommended_once_the_index_is_rebuilt(self) -> None:
        make_person(self.acme, "Hal Hart", offers=["SQL query tuning"], department="Data")
        before = adapter.recommendations(self.bob, "SQL queries", k=25)
        self.assertNotIn("Hal Hart", [s.profile.name for s in before["mentor"]])
        self.rebuild()
        after = adapter.recommendations(self.bob, "SQL queries", k=25)
        self.assertIn("Hal Hart", [s.profile.name for s in after["mentor"]])


@override_settings(TASKS=DUMMY_TASKS)
class QueueingTest(FindTestCase):
    def test_a_changed_profile_queues_one_build_for_its_organisation(self) -> None:
        dummy_tasks().clear()
        version = RecommendationIndex.objects.get(organisation=self.acme).input_version
        with self.captureOnCommitCallbacks(execute=True):
            do_update_profile(self.gus, wants=["Public speaking"])
            do_update_profile(self.fay, mentoring_capacity=0)
        builds = [r for r in dummy_tasks().results if r.task.name == "build_recommendations"]
        self.assertEqual([r.args for r in builds], [[self.acme.pk]])
        self.assertIsNotNone(builds[0].task.run_after)  # debounced
        self.assertLess(builds[0].task.priority, 0)  # after a trust pass that is ready too
        state = RecommendationIndex.objects.get(organisation=self.acme)
        self.assertTrue(state.queued)
        self.assertEqual(state.input_version, version + 2)
        self.assertTrue(indexes.stored_indexes(self.acme.pk).stale)
        self.assertFalse(RecommendationIndex.objects.get(organisation=self.globex).queued)

    def test_a_new_community_queues_a_build(self) -> None:
        dummy_tasks().clear()
        with self.captureOnCommitCallbacks(execute=True):
            do_create_community(self.carol, "SQL night", "Window functions over pizza.")
        self.assertTrue(RecommendationIndex.objects.get(organisation=self.acme).queued)

    def test_stored_trust_queues_a_build(self) -> None:
        from cairn.trust.broadcast import trust_stored
        from cairn.trust.models import TrustState

        with self.captureOnCommitCallbacks(execute=True):
            trust_stored.send(sender=TrustState, organisation_id=self.acme.pk)
        self.assertTrue(RecommendationIndex.objects.get(organisation=self.acme).queued)

    def test_before_the_first_build_the_page_says_so_and_queues_one(self) -> None:
        RecommendationIndex.objects.filter(organisation=self.acme).delete()
        indexes.forget()
        dummy_tasks().clear()
        self.client.force_login(self.bob)
        with nothing_built(), self.captureOnCommitCallbacks(execute=True):
            page = self.client.get(f"/match/goals/{self.goal.pk}/")
            api = self.client.get(f"/api/v1/goals/{self.goal.pk}/recommendations").json()
        self.assertContains(page, "preparing suggestions")
        self.assertEqual((api["ready"], api["mentors"]), (False, []))
        self.assertEqual(len(dummy_tasks().results), 1)
        self.assertTrue(RecommendationIndex.objects.get(organisation=self.acme).queued)

    def test_an_index_of_another_embedder_is_not_used(self) -> None:
        RecommendationIndex.objects.filter(organisation=self.acme).update(embedder="other")
        indexes.forget()
        with self.assertRaises(adapter.NotReady):
            adapter.recommendations(self.bob, "SQL")
        queue_build(self.acme.pk, change=False)
        self.assertEqual(build_organisation(self.acme.pk)["mode"], "built")
        self.assertTrue(adapter.recommendations(self.bob, "SQL")["mentor"])


class WarmUpTest(FindTestCase):
    def test_a_starting_process_reads_every_stored_index_ahead(self) -> None:
        indexes.forget()
        self.assertEqual(indexes.warm_up(), 2)  # Acme and Globex
        with self.assertNumQueries(1), nothing_built():
            self.assertIsNotNone(indexes.stored_indexes(self.acme.pk).people)
