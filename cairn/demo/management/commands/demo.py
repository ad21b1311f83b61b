"""``cairn demo``: create the demo organisation Northwind once, and say how to sign in.

With ``--people N`` it builds Meridian instead: an organisation of N people with ``--days`` days
of life, written in bulk (see :mod:`cairn.demo.large`), for measuring Cairn at scale."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cairn.demo import large, northwind
from cairn.errors import ActionError
from cairn.matching.builder import build_organisation
from cairn.people.models import Organisation, Profile
from cairn.trust.adapter import recompute_organisation
from cairn.trust.history import backfill, take_snapshots


class Command(BaseCommand):
    help = (
        "Create the demo organisation Northwind (about 150 people in 8 departments) unless it "
        "is already there, and print the demo sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete Northwind and everything in it first, then create it again.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=northwind.SEED,
            help=f"Seed for the generated people (default {northwind.SEED}).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=northwind.HISTORY_DAYS,
            help=f"Days of history to replay (default {northwind.HISTORY_DAYS}; 0 for none).",
        )
        parser.add_argument(
            "--people",
            type=int,
            help=(
                f"Build {large.NAME}, an organisation of this many people (1 to "
                f"{large.MAX_PEOPLE:,}), instead of Northwind."
            ),
        )

    def handle(
        self, *args: Any, reset: bool, seed: int, days: int, people: int | None, **options: Any
    ) -> None:
        if not 0 <= days <= 730:
            raise CommandError("--days must be between 0 and 730.")
        if people is not None:
            self._large(people, days, seed, reset)
            return
        org = Organisation.objects.filter(slug=northwind.SLUG).first()
        if org is not None and not reset:
            people = Profile.objects.filter(organisation=org).count()
            self.stdout.write(
                f"{org.name} is already there ({people} people); nothing to do. "
                "Run `cairn demo --reset` to delete it and start again."
            )
            self._sign_in()
            return
        started = time.monotonic()
        try:
            with transaction.atomic():  # a failed rebuild leaves the old Northwind in place
                if org is not None:
                    northwind.delete_northwind()
                    self.stderr.write(f"Deleted {org.name} and everything in it.")
                org = northwind.build_northwind(stdout=self.stderr, seed=seed, history_days=days)
        except ActionError as error:
            raise CommandError(f"Could not create {northwind.NAME}: {error.message}") from None
        if days:
            self.stderr.write("Computing everyone's trust from the history...")
            recompute_organisation(org)
            take_snapshots(org.pk)
            weeks = days // 7
            self.stderr.write(f"Computing trust as it stood in each of the past {weeks} weeks...")
            backfill(org.pk, weeks)
        self.stderr.write("Preparing recommendations (embedding everyone's profile)...")
        build_organisation(org.pk)
        people = Profile.objects.filter(organisation=org).count()
        departments = org.department_set.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{org.name} is ready: {people} people in {departments} departments "
                f"({time.monotonic() - started:.1f} s)."
            )
        )
        self._sign_in()

    def _large(self, people: int, days: int, seed: int, reset: bool) -> None:
        if not 1 <= people <= large.MAX_PEOPLE:
            raise CommandError(f"--people must be between 1 and {large.MAX_PEOPLE:,}.")
        org = Organisation.objects.filter(slug=large.SLUG).first()
        if org is not None and not reset:
            count = Profile.objects.filter(organisation=org).count()
            self.stdout.write(
                f"{org.name} is already there ({count} people); nothing to do. "
                f"Run `cairn demo --people {people} --reset` to build it again."
            )
            self._sign_in(large.ADMIN_EMAIL, large.MEMBER_EMAIL, org.name)
            return
        started = time.monotonic()
        seed = large.SEED if seed == northwind.SEED else seed
        try:
            with transaction.atomic():  # a failed rebuild leaves the old Meridian in place
                if org is not None:
                    large.delete_large_org()
                    self.stderr.write(f"Deleted {org.name} and everything in it.")
                org = large.build_large_org(people, days, seed=seed, progress=True)
        except ActionError as error:
            raise CommandError(f"Could not create {large.NAME}: {error.message}") from None
        events = large.events_of(org)
        self.stdout.write(
            self.style.SUCCESS(
                f"{org.name} is ready: {people} people, {days} days, {events:,} ledger events "
                f"({time.monotonic() - started:.1f} s)."
            )
        )
        self._sign_in(large.ADMIN_EMAIL, large.MEMBER_EMAIL, org.name)

    def _sign_in(
        self,
        admin: str = northwind.DEMO_ADMIN_EMAIL,
        member: str = northwind.DEMO_MEMBER_EMAIL,
        name: str = northwind.NAME,
    ) -> None:
        self.stdout.write(
            f"Demo sign-in (every {name} person has the password "
            f"{northwind.DEMO_PASSWORD!r}):\n"
            f"  organisation admin  {admin}\n"
            f"  member              {member}"
        )
