"""Two people confirming the same commitment at the same moment, on real threads."""

import threading
from datetime import timedelta

from django.db import connection
from django.test import TransactionTestCase, skipUnlessDBFeature
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.commitments.models import Commitment
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.testing import make_organisation, make_person


@skipUnlessDBFeature("has_select_for_update")
class ConfirmRaceOnPostgresTest(TransactionTestCase):
    """Runs where rows can be locked (PostgreSQL); SQLite serialises whole transactions, which
    the single-threaded stale-object test in test_commit.py covers."""

    def test_two_concurrent_confirmations_end_in_one_state(self) -> None:
        org = make_organisation("race", "Race")
        bob, alice = make_person(org, "Bob Race"), make_person(org, "Alice Race")
        commitment = do_commit(bob, alice, "Ship it", timezone.now() + timedelta(hours=1))
        later = commitment.due_at + timedelta(minutes=1)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def confirm(outcome: str) -> None:
            try:
                barrier.wait()
                do_confirm(Commitment.objects.get(pk=commitment.pk), alice, outcome, now=later)
                outcomes.append(outcome)
            except ActionError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm, args=(o,)) for o in ("kept", "missed")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes).count("refused"), 1)
        commitment.refresh_from_db()
        self.assertIn(commitment.status, ("kept", "missed"))
        closing = Event.objects.filter(verb__in=[Verb.KEPT, Verb.MISSED])
        self.assertEqual(list(closing.values_list("verb", flat=True)), [commitment.status])
