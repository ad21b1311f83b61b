"""`cairn relationship_health`: lapse unanswered session proposals, remind members of accepted
ones, and nudge relationships that missed their rhythm (each safe to run often)."""

from django.core.management.base import BaseCommand

from cairn.learning.actions import (
    do_ask_check_ins,
    do_lapse_proposals,
    do_nudge_quiet,
    do_remind_proposals,
)


class Command(BaseCommand):
    help = (
        "Close session proposals nobody answered before their time (recording 'unanswered' for "
        "whoever let them lapse), remind members a day before an accepted session, and nudge "
        "both members of a relationship that missed its agreed rhythm, once per quiet spell; ask "
        "members halfway and at the end how it is going. "
        "Idempotent: run it from cron as often as you like."
    )

    def handle(self, *args: object, **options: object) -> None:
        lapsed = do_lapse_proposals()
        reminded = do_remind_proposals()
        nudged = do_nudge_quiet()
        asked = do_ask_check_ins()
        self.stdout.write(
            f"Lapsed {lapsed} proposal(s); reminded {reminded} session(s); "
            f"nudged {nudged} relationship(s); asked or reminded {asked} check-in(s)."
        )
