"""The home feed: what the people and communities around me did, and only what I may see."""

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.communities.actions import (
    do_answer_join_request,
    do_create_community,
    do_join,
    do_start_thread,
)
from cairn.exchange.actions import do_credit
from cairn.learning.actions import do_decline, do_request_relationship, do_set_goal
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.notifications.actions import do_follow
from cairn.notifications.feed import PAGE, feed_for, feed_page
from cairn.testing import CairnTestCase, make_person


def lines(user) -> list[str]:
    return [f"{i.actor_name} {i.phrase}: {i.title}" for i in feed_for(user)]


class FeedTest(CairnTestCase):
    due: datetime

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_follow(cls.bob, cls.alice)
        cls.due = timezone.now() + timedelta(days=3)

    def test_it_shows_what_the_people_i_follow_did(self) -> None:
        do_set_goal(self.alice, "Learn Rust", visibility="organisation")
        self.assertIn("Alice Archer set the learning goal: Learn Rust", lines(self.bob))

    def test_it_never_shows_a_private_goal(self) -> None:
        do_set_goal(self.alice, "Secret goal", visibility="private")
        self.assertFalse(any("Secret goal" in line for line in lines(self.bob)))

    def test_a_commitment_shows_only_to_the_two_people(self) -> None:
        do_commit(self.alice, self.bob, "Send the data", self.due)
        do_follow(self.carol, self.alice)
        self.assertIn("Alice Archer made you a commitment: Send the data", lines(self.bob))
        self.assertFalse(any("Send the data" in line for line in lines(self.carol)))

    def test_a_page_hidden_at_its_newest_is_filled_from_the_older_events(self) -> None:
        for n in range(PAGE):
            do_set_goal(self.alice, f"Open {n:02}", visibility="organisation")
        for n in range(PAGE):
            do_set_goal(self.alice, f"Private {n:02}", visibility="private")
        page = feed_page(self.bob)
        titles = [item.title for item in page.items]
        self.assertEqual(titles, [f"Open {n:02}" for n in reversed(range(PAGE))])
        self.assertIsNotNone(page.next_cursor)

    def test_an_answer_to_a_mentoring_request_is_not_read_for_the_feed(self) -> None:
        """A decline is nobody else's news (an acceptance reads as "began working with"): the
        feed neither shows nor reads the answer, nor the relationship it is about."""
        goal = do_set_goal(self.carol, "Learn SQL", visibility="organisation")
        relationship = do_request_relationship(self.carol, self.alice, "mentoring", goal, "?")
        do_decline(self.alice, relationship, "No time this quarter.")
        with CaptureQueriesContext(connection) as queries:
            shown = lines(self.bob)
        self.assertFalse(any("Learn SQL" in line for line in shown), shown)
        read = " ".join(query["sql"] for query in queries.captured_queries)
        self.assertNotIn('FROM "learning_relationship"', read)

    def test_it_never_shows_feedback(self) -> None:
        with transaction.atomic():
            record(
                Verb.RATED, actor=self.alice, subject=self.carol, obj=self.carol.profile, value=1
            )
        self.assertFalse(any("rated" in line for line in lines(self.bob)))

    def test_it_leaves_out_my_own_doings_and_strangers(self) -> None:
        do_set_goal(self.bob, "My own goal", visibility="organisation")
        do_set_goal(self.carol, "Carol's goal", visibility="organisation")
        text = "\n".join(lines(self.bob))
        self.assertNotIn("My own goal", text)
        self.assertNotIn("Carol's goal", text)

    def test_my_communities_show_and_approval_only_threads_stay_with_members(self) -> None:
        circle = do_create_community(self.alice, "Data circle", policy="approval")
        membership = do_join(self.carol, circle)
        do_answer_join_request(self.alice, membership, approve=True)
        do_start_thread(self.alice, circle, "Quarterly numbers", "Thoughts?")
        self.assertTrue(any("Quarterly numbers" in line for line in lines(self.carol)))
        # Bob follows Alice but is not a member: the thread stays hidden from him.
        self.assertFalse(any("Quarterly numbers" in line for line in lines(self.bob)))

    def test_a_credit_shows_only_where_its_target_may_be_seen(self) -> None:
        public = do_set_goal(self.alice, "Public goal", visibility="organisation")
        private = do_set_goal(self.alice, "Private goal", visibility="private")
        do_credit(self.alice, public, [(self.carol, "Pointed me to the book")])
        do_credit(self.alice, private, [(self.carol, "Listened")])
        credits = [line for line in lines(self.bob) if "credited" in line]
        self.assertEqual(len(credits), 1)

    def test_nothing_from_another_organisation(self) -> None:
        do_set_goal(self.oscar, "Globex plan", visibility="organisation")
        self.assertFalse(any("Globex" in line for line in lines(self.bob)))

    def test_the_home_page_shows_the_feed_and_keeps_the_profile_prompt(self) -> None:
        do_set_goal(self.alice, "Learn Rust", visibility="organisation")
        self.client.force_login(self.bob)
        page = self.client.get("/home/")
        self.assertContains(page, "Learn Rust")
        self.assertContains(page, "Help colleagues find you")

    def test_an_empty_feed_invites(self) -> None:
        self.client.force_login(self.carol)
        self.assertContains(self.client.get("/home/"), "Follow a few colleagues")

    def test_the_home_page_takes_a_constant_number_of_queries(self) -> None:
        goal = do_set_goal(self.alice, "Learn Rust", visibility="organisation")
        do_credit(self.alice, goal, [(self.carol, "Helped")])
        do_commit(self.alice, self.bob, "Send the data", self.due)
        self.client.force_login(self.bob)

        def add() -> None:
            for n in range(4):
                someone = make_person(self.acme, f"Dana {n}")
                goal = do_set_goal(self.alice, f"Credited {n}", visibility="organisation")
                do_credit(self.alice, goal, [(someone, "Helped")])
                do_follow(self.bob, someone)
                do_set_goal(someone, f"Goal {n}", visibility="organisation")
                do_set_goal(self.alice, f"Private {n}", visibility="private")
                do_commit(someone, self.bob, f"Promise {n}", self.due)
                do_commit(self.bob, someone, f"Mine {n}", self.due)

        self.assertContains(self.assertSameQueries("/home/", add), "Goal 3")


class FeedApiTest(CairnTestCase):
    def test_it_lists_what_i_may_see(self) -> None:
        do_follow(self.bob, self.alice)
        do_set_goal(self.alice, "Learn Rust", visibility="organisation")
        do_set_goal(self.alice, "Secret goal", visibility="private")
        self.client.force_login(self.bob)
        items = self.client.get("/api/v1/feed").json()
        self.assertEqual([i["phrase"] for i in items], ["set the learning goal", "joined"])
        self.assertEqual((items[0]["actor"], items[0]["title"]), ("alice.archer", "Learn Rust"))

    def test_an_outsider_sees_nothing_of_acme(self) -> None:
        do_set_goal(self.alice, "Learn Rust", visibility="organisation")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get("/api/v1/feed").json(), [])
