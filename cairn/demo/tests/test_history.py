"""The demo's history: months of life replayed through the actions, every trust kind in it."""

import csv
import io
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.test import TestCase
from django.utils import timezone

from cairn.demo.history import build_history
from cairn.ledger.models import TRUST_KINDS, Event
from cairn.people.models import Organisation
from cairn.testing import make_organisation, make_person
from cairn.trust.export import export_trust_events

SKILLS = ("Python", "Public speaking", "Negotiation", "Giving feedback")


class HistoryTest(TestCase):
    org: Organisation
    start: datetime
    done: Counter[str]
    rows: list[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_organisation("tiny", "Tiny Co")
        for i in range(12):
            make_person(
                cls.org,
                f"Person {chr(65 + i)}",
                offers=[SKILLS[i % 4], SKILLS[(i + 1) % 4]],
                wants=[SKILLS[(i + 2) % 4]],
                open_to_mentor=i % 2 == 0,
                open_to_be_mentored=True,
                mentoring_capacity=3,
            )
        cls.start = (timezone.now() - timedelta(days=80)).replace(hour=0, minute=0)
        cls.done = build_history(cls.org, seed=7, start=cls.start, days=80, say=lambda _: None)
        out = io.StringIO()
        export_trust_events(cls.org, out)
        cls.rows = list(csv.DictReader(io.StringIO(out.getvalue())))

    def test_it_produces_most_trust_kinds(self) -> None:
        kinds = {row["kind"] for row in self.rows}
        self.assertGreaterEqual(len(kinds), 9, sorted(kinds))
        self.assertTrue(kinds <= {str(k) for k in TRUST_KINDS})

    def test_events_are_spread_over_the_past_months(self) -> None:
        times = sorted(float(row["time"]) for row in self.rows)
        self.assertGreaterEqual(times[0], self.start.timestamp())
        self.assertLessEqual(times[-1], timezone.now().timestamp() + 1)
        self.assertGreater(times[-1] - times[0], 45 * 86400)

    def test_everything_went_through_actions_that_recorded_events(self) -> None:
        made = sum(n for label, n in self.done.items() if not label.startswith("refused"))
        self.assertGreater(made, 100)
        self.assertGreater(Event.objects.filter(organisation=self.org).count(), made // 2)

    def test_colleagues_with_the_same_question_thank_an_answer_too(self) -> None:
        from cairn.exchange.models import Response, Thanks

        beyond = Thanks.objects.filter(
            organisation=self.org, note="Found your answer — it helped me too."
        )
        self.assertTrue(beyond.exists())
        for thanks in beyond:
            response = thanks.about
            assert isinstance(response, Response)
            self.assertNotEqual(thanks.sender_id, response.help_request.asker_id)

    def test_the_persona_is_an_ordinary_dependable_colleague(self) -> None:
        from cairn.demo.history import History, Traits

        persona = self.org.users.order_by("pk").first()
        assert persona is not None
        history = History(self.org, 7, self.start, 1, persona=persona.email)
        traits = {p.user.pk: p.traits for p in history.people}
        self.assertEqual(traits[persona.pk], Traits.helpful())
        self.assertEqual(
            [t for pk, t in traits.items() if pk != persona.pk],
            [p.traits for p in History(self.org, 7, self.start, 1).people][1:],
        )
