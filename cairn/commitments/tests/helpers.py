"""Shared setup for commitment tests: bob's promise to alice."""

from datetime import datetime, timedelta

from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.commitments.models import Commitment
from cairn.testing import CairnTestCase


class CommitmentTestCase(CairnTestCase):
    """Bob committed to alice to "Review the draft", due ``due_in`` from now."""

    due_in = timedelta(days=3)
    due: datetime
    commitment: Commitment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.due = timezone.now() + cls.due_in
        cls.commitment = do_commit(cls.bob, cls.alice, "Review the draft", cls.due)
