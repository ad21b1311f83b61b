"""Publishing a program's matches: each pair's mentoring starts and everyone is told."""

from django.db import transaction
from django.utils import timezone

from cairn.errors import ActionError
from cairn.learning.models import Goal, Relationship, RelationshipMember
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.matching.actions.programs import check_program_admin
from cairn.matching.models import Program
from cairn.people.locking import lock_row
from cairn.people.models import User

# --- Publishing --------------------------------------------------------------------------------


def do_start_program_relationship(
    admin: User, program: Program, mentee: User, mentor: User, goal: Goal | None
) -> Relationship:
    """Create the active mentoring relationship of a published match and tell the pair.

    The learning app's request-and-accept flow does not fit a match both sides signed up for,
    so the relationship starts active here, with the same members and roles that flow creates;
    ``program_matched`` is recorded with the mentee as subject and the mentor notified too.
    An active mentoring relationship the two already have is reused.
    """
    existing = (
        Relationship.objects.filter(
            organisation_id=program.organisation_id,
            status=Relationship.Status.ACTIVE,
            kind=Relationship.Kind.MENTORING,
            members__user=mentee,
            members__role=RelationshipMember.Role.LEARNER,
        )
        .filter(
            pk__in=RelationshipMember.objects.filter(
                user=mentor, role=RelationshipMember.Role.MENTOR
            ).values("relationship_id")
        )
        .first()
    )
    relationship = existing
    if relationship is None:
        now = timezone.now()
        if goal is not None and (goal.owner_id != mentee.pk or not goal.is_open()):
            goal = None
        relationship = Relationship.objects.create(
            organisation_id=program.organisation_id,
            kind=Relationship.Kind.MENTORING,
            status=Relationship.Status.ACTIVE,
            goal=goal,
            requested_by=mentee,
            addressee=mentor,
            message=f"Matched in the mentoring program “{program.name}”.",
            created_at=now,
            responded_at=now,
        )
        RelationshipMember.objects.bulk_create(
            [
                RelationshipMember(
                    relationship=relationship, user=mentee, role=RelationshipMember.Role.LEARNER
                ),
                RelationshipMember(
                    relationship=relationship, user=mentor, role=RelationshipMember.Role.MENTOR
                ),
            ]
        )
    record(
        Verb.PROGRAM_MATCHED,
        actor=admin,
        subject=mentee,
        obj=program,
        context={
            "relationship": relationship.pk,
            "mentor": mentor.pk,
            "notify": [mentor.pk],
        },
    )
    return relationship


def do_publish(admin: User, program: Program) -> Program:
    """Publish the proposed matches: start each pair's mentoring and tell everyone.

    Publishing twice (a double click) publishes once.
    """
    check_program_admin(admin, program)
    with transaction.atomic():
        program = lock_row(program)
        if program.status == Program.Status.PUBLISHED:
            return program
        if program.status != Program.Status.PROPOSED:
            raise ActionError("Run the matching and review it before publishing.", status=409)
        matches = list(
            program.matches.select_for_update(of=("self",)).select_related(
                "mentee__user", "mentor__user", "mentee__goal"
            )
        )
        unmatched = []
        for match in matches:
            if match.mentor is None:
                unmatched.append(match.mentee.user_id)
                continue
            relationship = do_start_program_relationship(
                admin, program, match.mentee.user, match.mentor.user, match.mentee.goal
            )
            match.relationship = relationship
            match.save(update_fields=["relationship"])
        program.status = Program.Status.PUBLISHED
        program.published_at = timezone.now()
        program.save(update_fields=["status", "published_at"])
        record(
            Verb.PROGRAM_PUBLISHED,
            actor=admin,
            obj=program,
            context={
                "matched": len(matches) - len(unmatched),
                "unmatched": len(unmatched),
                "notify": unmatched,
            },
        )
    return program
