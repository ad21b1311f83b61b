"""The adapter: ledger rows -> engine arrays -> stored TrustProfile rows."""

import math

import numpy as np

from cairn.ledger.models import TRUST_KINDS, Verb
from cairn.testing import CairnTestCase, make_person
from cairn.trust import adapter, engine
from cairn.trust.engine import KINDS, PRIVILEGE_THRESHOLD
from cairn.trust.engine.events import KIND_CODE
from cairn.trust.models import TrustProfile, TrustState
from cairn.trust.tests.helpers import days_ago, happened, praise_ring, working_history


def test_the_ledgers_trust_kinds_are_the_engines() -> None:
    assert {str(kind) for kind in TRUST_KINDS} == set(KIND_CODE)


class LedgerEventsTest(CairnTestCase):
    def test_it_maps_ledger_rows_onto_engine_arrays(self) -> None:
        thanked = happened(Verb.THANKED, self.bob, self.alice, days=3)
        responded = happened(Verb.RESPONDED, self.alice, self.bob, days=2, value=4.0)
        shared = happened(Verb.SHARED, self.carol, days=1)
        ev = adapter.ledger_events(self.acme.pk)
        assert ev is not None
        self.assertEqual(
            sorted(ev.people), sorted(str(u.pk) for u in (self.alice, self.bob, self.carol))
        )
        rows = [
            (
                ev.people[a],
                ev.people[s] if s >= 0 else None,
                KINDS[k],
                t,
                None if math.isnan(v) else v,
            )
            for a, s, k, t, v in zip(ev.actor, ev.subject, ev.kind, ev.time, ev.value, strict=True)
        ]
        self.assertEqual(
            rows,
            [
                (str(self.bob.pk), str(self.alice.pk), "thanked", thanked.time.timestamp(), None),
                (
                    str(self.alice.pk),
                    str(self.bob.pk),
                    "responded",
                    responded.time.timestamp(),
                    4.0,
                ),
                (str(self.carol.pk), None, "shared", shared.time.timestamp(), None),
            ],
        )

    def test_it_reads_only_trust_events_of_the_organisation(self) -> None:
        happened(Verb.THANKED, self.bob, self.alice)
        happened(Verb.GOAL_SET, self.bob)
        other = make_person(self.globex, "Olga Other")
        happened(Verb.THANKED, self.oscar, other)
        ev = adapter.ledger_events(self.acme.pk)
        assert ev is not None
        self.assertEqual(len(ev), 1)
        self.assertNotIn(str(self.oscar.pk), ev.people)

    def test_an_organisation_without_events_has_no_engine_input(self) -> None:
        self.assertIsNone(adapter.ledger_events(self.acme.pk))

    def test_admins_who_take_part_join_the_seeds(self) -> None:
        happened(Verb.THANKED, self.bob, self.carol)
        ev = adapter.ledger_events(self.acme.pk)
        assert ev is not None
        self.assertEqual(adapter.admin_seeds(self.acme.pk, ev), [])
        happened(Verb.THANKED, self.alice, self.bob)
        ev = adapter.ledger_events(self.acme.pk)
        assert ev is not None
        self.assertEqual(adapter.admin_seeds(self.acme.pk, ev), [str(self.alice.pk)])
        result, _ = adapter.compute(self.acme.pk)
        self.assertIn(str(self.alice.pk), {result.people[i] for i in result.seeds.tolist()})

    def test_established_members_the_admins_do_not_reach_are_not_seeds(self) -> None:
        happened(Verb.THANKED, self.alice, self.bob)
        ring = [make_person(self.acme, f"Ring {n}") for n in range(4)]
        praise_ring(ring, 10, Verb.THANKED, day_fraction=0.5)
        events = adapter.ledger_events(self.acme.pk)
        assert events is not None
        unanchored = engine.compute_trust(events, seeds=None)
        ring_ids = {str(p.pk) for p in ring}
        self.assertTrue(ring_ids & {unanchored.people[i] for i in unanchored.seeds.tolist()})
        result, _ = adapter.compute(self.acme.pk)
        self.assertFalse(ring_ids & {result.people[i] for i in result.seeds.tolist()})


class RecomputeTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        working_history(cls.alice, cls.bob, cls.carol)

    def test_it_stores_one_profile_per_person_with_scores_explanation_and_version(self) -> None:
        summary = adapter.recompute_organisation(self.acme)
        self.assertEqual(summary["people"], 3)
        self.assertTrue(summary["stored"])
        profiles = {p.user_id: p for p in TrustProfile.objects.filter(organisation=self.acme)}
        self.assertEqual(set(profiles), {self.alice.pk, self.bob.pk, self.carol.pk})
        result, _ = adapter.compute(self.acme.pk)
        for user_id, profile in profiles.items():
            i = result.index(str(user_id))
            self.assertAlmostEqual(profile.trust, float(result.trust[i]), places=3)
            self.assertAlmostEqual(profile.integrity, float(result.integrity[i]), places=3)
            self.assertEqual(profile.engine_version, adapter.ENGINE_VERSION)
            self.assertEqual(set(profile.explanation["dimensions"]), set(adapter.SCORE_FIELDS))
        self.assertTrue(profiles[self.alice.pk].explanation["is_seed"])
        generosity = profiles[self.alice.pk].explanation["dimensions"]["generosity"]
        self.assertIn(
            {"kind": "helped", "count": 12, "people": 1, "value": 12.0, "total": 0},
            generosity["evidence"],
        )
        words = next(d for d in profiles[self.alice.pk].dimensions() if d["name"] == "generosity")
        self.assertIn("helped 1 person (12 hours given)", words["evidence"])

    def test_it_stores_since_when_there_is_evidence(self) -> None:
        adapter.recompute_organisation(self.acme)
        since = TrustProfile.objects.get(user=self.bob).evidence_since()
        self.assertEqual(since, days_ago(90.5).date())

    def test_explanations_never_name_anyone(self) -> None:
        adapter.recompute_organisation(self.acme)
        text = str(list(TrustProfile.objects.values_list("explanation", flat=True)))
        for user in (self.alice, self.bob, self.carol):
            self.assertNotIn(user.profile.name, text)
            self.assertNotIn(f"'{user.pk}'", text)

    def test_a_second_pass_updates_the_same_rows(self) -> None:
        adapter.recompute_organisation(self.acme)
        before = TrustProfile.objects.get(user=self.bob)
        for _ in range(3):
            happened(Verb.KEPT, self.alice, self.bob, days=0.5)
        adapter.recompute_organisation(self.acme)
        after = TrustProfile.objects.get(user=self.bob)
        self.assertEqual(after.pk, before.pk)
        self.assertEqual(TrustProfile.objects.count(), 3)
        self.assertGreater(after.integrity, before.integrity)

    def test_a_newcomer_without_events_is_not_yet_known(self) -> None:
        dana = make_person(self.acme, "Dana Dune")
        adapter.recompute_organisation(self.acme)
        profile = TrustProfile.objects.get(user=dana)
        self.assertFalse(profile.is_known())
        self.assertEqual(profile.standing(), "not yet known")
        self.assertEqual({d["words"] for d in profile.dimensions()}, {"not yet known"})

    def test_an_older_pass_never_overwrites_a_newer_one(self) -> None:
        adapter.recompute_organisation(self.acme)
        state = TrustState.objects.get(organisation=self.acme)
        TrustState.objects.filter(pk=state.pk).update(stored_version=state.input_version + 1)
        TrustProfile.objects.filter(user=self.bob).update(trust=0.99)
        summary = adapter.recompute_organisation(self.acme)
        self.assertFalse(summary["stored"])
        self.assertEqual(TrustProfile.objects.get(user=self.bob).trust, 0.99)

    def test_the_engine_sees_the_present_so_old_evidence_fades(self) -> None:
        result, events = adapter.compute(self.acme.pk, at=days_ago(-365))
        assert events is not None
        self.assertGreaterEqual(result.at, float(np.max(events.time)))
        faded = float(result.dimension_confidence[result.index(str(self.alice.pk))].max())
        result, _ = adapter.compute(self.acme.pk)
        fresh = float(result.dimension_confidence[result.index(str(self.alice.pk))].max())
        self.assertLess(faded, fresh)


class StandingTest(CairnTestCase):
    def test_overall_standing_in_words(self) -> None:
        t = PRIVILEGE_THRESHOLD  # "trusted" is where the engine's privileges begin
        cases = [
            (t + 0.25, 0.8, "highly trusted"),
            (t + 0.05, 0.8, "trusted"),
            (t * 0.75, 0.8, "building trust"),
            (t * 0.25, 0.8, "early days"),
            (0.0, 0.8, "not yet known"),
            (0.9, 0.1, "not yet known"),
        ]
        for trust, confidence, words in cases:
            profile = TrustProfile(trust=trust, confidence=confidence)
            self.assertEqual(profile.standing(), words, (trust, confidence))
