"""Words, not ids: every notification type and every feed line names things by their own titles.

One of each kind of object is made through the actions, then an event of every verb is recorded
about the kind of object its action records it with, and the notification, the notification
page, the feed and the home page are read for database-id labels ("Response 545 to 326",
"Mentoring #47", "Thanks 20 → 25").
"""

import re
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from cairn.commitments.actions import do_commit, do_confirm
from cairn.commitments.models import Commitment
from cairn.communities import actions as communities
from cairn.disputes.actions import do_open_dispute
from cairn.exchange import actions as exchange
from cairn.learning.actions import (
    do_accept,
    do_give_feedback,
    do_log_session,
    do_propose_session,
    do_request_relationship,
    do_set_goal,
)
from cairn.learning.models import Feedback
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.matching.actions.programs import do_create_program
from cairn.notifications.actions import do_follow
from cairn.notifications.describe import SILENT
from cairn.notifications.feed import LEFT_OUT, PHRASES, feed_for, sentence
from cairn.notifications.models import Notification
from cairn.privacy.models import DataExport
from cairn.safeguards.models import Correction, RingFlag
from cairn.testing import CairnTestCase

#: Labels made of database ids, as the pages used to show them.
ID_LABEL = re.compile(
    r"#\s?\d|→\s*\d|\d\s*→"
    r"|\b(?:Response|Reply|Comment|Thanks|Credit to|Feedback|Mentoring|Coaching"
    r"|Peer partnership|Session|Data export|Moment|Check-in|event)\s+#?\d"
    r"|\b\d+\s+(?:to|on|in|as)\s+\d+\b",
    re.IGNORECASE,
)

#: Verbs whose events point at a person (or at nothing): platform events, follows.
ABOUT_A_PERSON = frozenset(
    {
        Verb.JOINED,
        Verb.FOLLOWED,
        Verb.UNFOLLOWED,
        Verb.ROLE_CHANGED,
        Verb.ORGANISATION_CREATED,
        Verb.JOINING_CHANGED,
        Verb.INVITED,
        Verb.PROFILE_UPDATED,
        Verb.TOKEN_CREATED,
        Verb.TOKEN_REVOKED,
        Verb.CALENDAR_FEED_CREATED,
        Verb.CALENDAR_FEED_REVOKED,
        Verb.LRS_CONFIGURED,
        Verb.WEBHOOK_ADDED,
        Verb.WEBHOOK_CHANGED,
        Verb.WEBHOOK_REMOVED,
        Verb.SSO_CONFIGURED,
        Verb.JOURNEY_SHARED,
        Verb.ACCOUNT_ERASED,
    }
)


class WordsNotIdsTest(CairnTestCase):
    objects: dict[str, models.Model]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        alice, bob, carol = cls.alice, cls.bob, cls.carol
        now = timezone.now()
        goal = do_set_goal(alice, "Speak at the meetup", visibility="organisation")
        circle = communities.do_create_community(bob, "Data circle")
        thread = communities.do_start_thread(
            bob, circle, "Reading query plans", "Where do you start?"
        )
        communities.do_join(carol, circle)
        communities.do_join(alice, circle)
        post = exchange.do_share_post(bob, "Pivot tables in ten minutes", "Start from a table.")
        lesson = exchange.do_share_post(
            bob, "The launch that slipped", "We shipped late.", kind="lesson", learned="Plan less."
        )
        asked = exchange.do_ask(alice, "Stuck on Excel — where do I start?", directed_to=[bob])
        relationship = do_request_relationship(alice, bob, "mentoring", goal, "Would you?")
        do_accept(bob, relationship)
        session = do_log_session(bob, relationship, now - timedelta(days=2), 60)
        missed = do_commit(
            alice, bob, "Send the slides", now - timedelta(days=1), now=now - timedelta(days=3)
        )
        do_confirm(missed, bob, Commitment.Status.MISSED, now=now)
        missed_event = Event.objects.get(verb=Verb.MISSED)
        cls.objects = {
            "goal": goal,
            "community": circle,
            "thread": thread,
            "reply": communities.do_reply(carol, thread, "The slowest node first."),
            "resource": communities.do_share_resource(
                bob, circle, "Use the index", "https://example.com/"
            ),
            "post": post,
            "lesson": lesson,
            "comment": exchange.do_comment(carol, post, "Saved me an hour."),
            "request": asked,
            "response": exchange.do_respond(bob, asked, "Start with a table."),
            "credit": exchange.do_credit(bob, post, [(alice, "Proofread it")])[0],
            "thanks": exchange.do_thank(bob, alice, "Thanks for the review"),
            "commitment": do_commit(bob, alice, "Send the deck", now + timedelta(days=3)),
            "relationship": relationship,
            "session": session,
            "proposal": do_propose_session(bob, relationship, now + timedelta(days=4)),
            "feedback": do_give_feedback(
                bob, alice, session, dict.fromkeys(Feedback.DIMENSIONS, 4)
            ),
            "program": do_create_program(
                alice, name="Spring mentoring", opens_at=now, closes_at=now + timedelta(days=9)
            ),
            "dispute": do_open_dispute(alice, missed_event, "I sent them on time."),
            "ring": RingFlag.objects.create(organisation=cls.acme, key="a,b,c", evidence="…"),
            "correction": Correction.objects.create(
                organisation=cls.acme, actor=bob, subject=alice, verb="thanked", reason="serial"
            ),
            "export": DataExport.objects.create(
                organisation=cls.acme, person=alice, requested_by=bob
            ),
            "person": bob.profile,
        }

    def object_of(self, verb: str) -> list[models.Model]:
        """Return the objects an event of ``verb`` is recorded about by its action."""
        o = self.objects
        kinds: dict[str, list[str]] = {
            "request": [Verb.ASKED, Verb.UNANSWERED, Verb.REQUEST_RESOLVED],
            "response": [Verb.RESPONDED, Verb.HELPED, Verb.RESPONSE_MARKED],
            "comment": [Verb.COMMENTED],
            "reply": [Verb.COMMENTED],
            "post": [
                Verb.SHARED,
                Verb.FLAGGED,
                Verb.CONTENT_HIDDEN,
                Verb.CONTENT_RESTORED,
                Verb.CONTENT_REDACTED,
                Verb.FLAGS_DISMISSED,
                Verb.FLAG_UPHELD,
                Verb.FLAG_DISMISSED,
            ],
            "lesson": [Verb.LESSON_SHARED],
            "credit": [Verb.CREDITED],
            "thanks": [Verb.THANKED],
            "commitment": [
                Verb.COMMITTED,
                Verb.KEPT,
                Verb.MISSED,
                Verb.COMMITMENT_RENEGOTIATED,
                Verb.COMMITMENT_CANCELLED,
            ],
            "goal": [
                Verb.GOAL_SET,
                Verb.GOAL_UPDATED,
                Verb.MILESTONE_DONE,
                Verb.GOAL_REFLECTED,
                Verb.GOAL_CLOSED,
            ],
            "relationship": [
                Verb.RESPONDED,
                Verb.UNANSWERED,
                Verb.MENTORING_REQUESTED,
                Verb.MENTORING_ACCEPTED,
                Verb.MENTORING_DECLINED,
                Verb.MENTORING_WITHDRAWN,
                Verb.MEMBER_ADDED,
                Verb.RELATIONSHIP_COMPLETED,
                Verb.RELATIONSHIP_CLOSED,
                Verb.RELATIONSHIP_NUDGED,
                Verb.RHYTHM_SET,
                Verb.CHECK_IN_ASKED,
                Verb.CHECK_IN_ANSWERED,
            ],
            "session": [Verb.SESSION_LOGGED, Verb.MENTORED],
            "proposal": [
                Verb.SESSION_PROPOSED,
                Verb.SESSION_ACCEPTED,
                Verb.SESSION_DECLINED,
                Verb.SESSION_REMINDED,
                Verb.UNANSWERED,
            ],
            "feedback": [Verb.RATED],
            "community": [
                Verb.COMMUNITY_CREATED,
                Verb.COMMUNITY_JOIN_REQUESTED,
                Verb.COMMUNITY_JOINED,
                Verb.COMMUNITY_LEFT,
                Verb.COMMUNITY_ARCHIVED,
                Verb.COMMUNITY_JOIN_DECLINED,
                Verb.FACILITATOR_ADDED,
                Verb.COMMUNITY_UPDATED,
            ],
            "thread": [Verb.THREAD_STARTED],
            "resource": [Verb.RESOURCE_SHARED],
            "program": [v for v in Verb if v.startswith("program_")],
            "dispute": [Verb.DISPUTE_OPENED, Verb.DISPUTE_RESOLVED],
            "ring": [Verb.RING_FLAGGED, Verb.RING_REVIEWED],
            "correction": [Verb.EVIDENCE_CORRECTED],
            "export": [Verb.DATA_EXPORT_REQUESTED],
            "person": list(ABOUT_A_PERSON),
        }
        return [o[kind] for kind, verbs in kinds.items() if verb in verbs]

    def emit(self, verb: str, obj: models.Model) -> Event:
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            return record(verb, actor=self.bob, subject=self.alice, obj=obj)

    def assertReadsInWords(self, text: str, what: Any) -> None:  # noqa: N802
        found = ID_LABEL.search(" ".join(text.split()))
        self.assertIsNone(found, f"{what}: an id label in {text!r}")

    def test_every_verb_is_recorded_about_a_known_kind_of_object(self) -> None:
        for verb in Verb:
            with self.subTest(verb=verb):
                self.assertTrue(self.object_of(verb), "add the verb to object_of()")

    def test_every_notification_type_reads_in_words(self) -> None:
        Notification.objects.all().delete()
        titled = 0
        for verb in Verb:
            for obj in self.object_of(verb):
                event = self.emit(verb, obj)
                notes = Notification.objects.filter(event=event, recipient=self.alice)
                if verb in SILENT:
                    self.assertFalse(notes.exists(), verb)
                    continue
                note = notes.get()
                self.assertReadsInWords(note.text, (verb, obj._meta.label_lower))
                titled += "“" in note.text
        self.assertGreater(titled, 40)  # the objects' own titles are in the texts
        self.client.force_login(self.alice)
        page = self.client.get("/notifications/?page=1")
        self.assertReadsInWords(strip_tags(page.content.decode()), "the notifications page")

    def test_the_titles_are_the_objects_own(self) -> None:
        Notification.objects.all().delete()
        self.emit(Verb.RESPONDED, self.objects["response"])
        self.emit(Verb.COMMENTED, self.objects["reply"])
        self.emit(Verb.THANKED, self.objects["thanks"])
        self.emit(Verb.MENTORING_ACCEPTED, self.objects["relationship"])
        texts = set(Notification.objects.values_list("text", flat=True))
        self.assertEqual(
            texts,
            {
                "Bob Baker responded to you: “Stuck on Excel — where do I start?”",
                "Bob Baker commented: “Reading query plans”",
                "Bob Baker thanked you: “Thanks for the review”",
                "Bob Baker accepted your mentoring request",
            },
        )

    def test_every_feed_line_reads_in_words(self) -> None:
        do_follow(self.alice, self.bob)
        shown = set()
        for verb in PHRASES:
            for obj in self.object_of(verb):
                if (verb, obj._meta.label_lower) in LEFT_OUT:
                    continue
                self.emit(verb, obj)
                shown.add((verb, obj._meta.label_lower))
        items = feed_for(self.alice, limit=100)
        self.assertEqual({(i.verb, i.object_type) for i in items}, shown)
        for item in items:
            self.assertReadsInWords(
                sentence(item.actor_name, item.phrase, item.title, item.verb), item
            )
        self.client.force_login(self.alice)
        page = self.client.get("/home/").content.decode()
        feed = page[page.index('id="feed-h"') :]
        feed = re.sub(r"<time[^>]*>.*?</time>", "", feed)  # the time of day is no label
        self.assertReadsInWords(strip_tags(feed), "the home feed")
        words = " ".join(strip_tags(feed).split())
        self.assertIn("Bob Baker answered your request Stuck on Excel — where do I start?", words)
