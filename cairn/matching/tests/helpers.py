"""A small program for the matching tests: Acme's personas plus a few more mentors and mentees."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cairn.matching.actions import do_close_signups, do_create_program, do_sign_up
from cairn.matching.models import Program
from cairn.people.models import Organisation, User
from cairn.testing import CairnTestCase, make_person


def make_dan(org: Organisation, **profile: Any) -> User:
    """Return Dan Dunn, an engineering manager who offers public speaking and leading a team."""
    return make_person(
        org,
        "Dan Dunn",
        title="Engineering Manager",
        department="Engineering",
        offers=["Public speaking", "Leading a team"],
        **profile,
    )


class ProgramTestCase(CairnTestCase):
    """Acme with a program open for sign-ups: mentors alice and dan, mentees bob, carol, erin."""

    dan: User
    erin: User
    program: Program

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dan = make_dan(cls.acme, open_to_mentor=True)
        cls.erin = make_person(
            cls.acme, "Erin Evans", title="Engineer", department="Engineering", wants=["SQL"]
        )
        now = timezone.now()
        cls.program = do_create_program(
            cls.alice,
            name="Spring mentoring",
            description="Six months, one hour a fortnight.",
            opens_at=now - timedelta(days=7),
            closes_at=now + timedelta(days=7),
            questions=[
                {"label": "What would make this a success?", "kind": "text"},
                {"label": "How often?", "kind": "choice", "choices": ["Weekly", "Monthly"]},
            ],
        )

    @classmethod
    def sign_up_everyone(cls) -> None:
        do_sign_up(cls.alice, cls.program, role="mentor", capacity=2)
        do_sign_up(cls.dan, cls.program, role="mentor", capacity=1)
        do_sign_up(cls.bob, cls.program, role="mentee", goal_text="Write faster SQL queries")
        do_sign_up(cls.carol, cls.program, role="mentee", goal_text="Speak at a conference")
        do_sign_up(
            cls.erin,
            cls.program,
            role="mentee",
            goal_text="Query our data warehouse with SQL",
            picks=[cls.alice.pk],
        )

    @classmethod
    def close(cls) -> None:
        cls.program = do_close_signups(cls.alice, cls.program)


def participant(program, user: User):
    return program.participants.get(user=user)
