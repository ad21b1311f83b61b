"""How long ``cairn demo --people N --days 365`` takes to build Meridian, and what it holds.

Goal (issue 15): 10,000 people and a year of life on PostgreSQL in at most 10 minutes. The
build runs as the real command in a fresh process against the database ``DATABASE_URL`` names
(PostgreSQL for the figure that counts), leaving Meridian there at the size measured. The
baseline, in the same run: the same kind of plan, smaller, written once through the actions
and once in bulk inside a transaction that is rolled back, so the two write rates compare.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 600

BUILD = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "cairn", "demo", "--people", sys.argv[1],
                       "--days", sys.argv[2], "--reset"], capture_output=True, text=True)
print(json.dumps({"wall": time.perf_counter() - started, "status": done.returncode,
                  "out": done.stdout[-2000:], "err": done.stderr[-2000:],
                  "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

BASELINE = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
import django
django.setup()
from django.db import transaction
from cairn.demo.large import build_large_org
from cairn.ledger.models import Event

class Rollback(Exception):
    pass

people, days = int(sys.argv[1]), int(sys.argv[2])
rates = {}
for bulk in (False, True):
    try:
        with transaction.atomic():
            started = time.perf_counter()
            org = build_large_org(people, days, seed=11, progress=False, bulk=bulk, trust=False,
                                  slug="meridian-baseline")
            took = time.perf_counter() - started
            events = Event.objects.filter(organisation=org).count()
            rates["bulk" if bulk else "actions"] = {"seconds": took, "events": events}
            raise Rollback
    except Rollback:
        pass
print(json.dumps(rates))
"""


def _database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith(("postgres://", "postgresql://")) else "SQLite"


def _python(code: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> str:
    people, days = (1_000, 365) if quick else (10_000, 365)
    base_people, base_days = (60, 30) if quick else (150, 60)
    load = os.getloadavg()
    baseline = _python(BASELINE, str(base_people), str(base_days))
    started = time.perf_counter()
    built = _python(BUILD, str(people), str(days))
    wall = time.perf_counter() - started
    if built["status"] != 0:
        return f"## Large organisation\n\nThe build failed:\n\n```\n{built['err']}\n```\n"
    found = re.search(r"([\d,]+) ledger events", built["out"])
    events = int(found.group(1).replace(",", "")) if found else 0
    person_years = people * days / 365
    verdict = "met" if wall <= GOAL_SECONDS else "not met"
    actions, bulk = baseline["actions"], baseline["bulk"]
    rows = [
        f"| through the actions (baseline) | {base_people} × {base_days} d | "
        f"{actions['events']:,} | {actions['seconds']:.1f} s | "
        f"{actions['events'] / actions['seconds']:,.0f} |",
        f"| in bulk, same plan | {base_people} × {base_days} d | {bulk['events']:,} | "
        f"{bulk['seconds']:.1f} s | {bulk['events'] / bulk['seconds']:,.0f} |",
        f"| `cairn demo --people {people} --days {days}` | {people:,} × {days} d | {events:,} | "
        f"{wall:.0f} s | {events / wall:,.0f} |",
    ]
    return "\n".join(
        [
            "## Large organisation: `cairn demo --people N --days D` (Meridian)",
            "",
            f"Database: {_database()}. Load average when it started: "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 cores, shared); the machine's "
            "other work slows every figure here, so re-run on a quiet machine for the real one.",
            "",
            "| how | size | ledger events | wall time | events / s |",
            "|---|---|---|---|---|",
            *rows,
            "",
            f"- {events / person_years:.0f} ledger events per person-year; peak memory of the "
            f"build {built['rss'] / 1024:.0f} MiB (its whole process: plan, rows, trust).",
            "- The wall time covers planning, people, the year of life, the search index and "
            "the trust computed once for everyone.",
            f"- Goal: 10,000 people × 365 days in ≤ {GOAL_SECONDS // 60} minutes on PostgreSQL: "
            + (
                f"**{verdict}** ({wall / 60:.1f} min)."
                if people == 10_000 and _database() == "PostgreSQL"
                else "not measured in this run (quick size or not PostgreSQL)."
            ),
        ]
    )
