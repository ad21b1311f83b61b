"""The live trust benchmark's measurements, in a fresh process with DATABASE_URL set (run by
bench/live_trust.py). Prints one JSON object on its last line."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django

from bench._large_org import BUILD_ARGS
from bench._large_org import SLUG as LARGE_ORG

ROOT = Path(__file__).resolve().parent.parent

FULL = """
import json, os, resource, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
django.setup()
from cairn.people.models import Organisation
from cairn.trust import adapter
org = Organisation.objects.get(slug=os.environ["LIVE_TRUST_ORG"])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
summary = adapter.recompute_organisation(org)
print(json.dumps({**summary, "wall": time.perf_counter() - started,
                  "cpu": time.process_time() - cpu, "rss_before": before,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench live_trust measures on PostgreSQL: set DATABASE_URL to one.")
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages render static URLs without the collected manifest (their cost is the same).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def organisation(quick: bool) -> Any:
    """Return the organisation to measure: ``CAIRN_BENCH_ORG``; else, with --quick, a simulated
    one of 300 people; else the large one, built now if it is not there yet."""
    from cairn.people.models import Organisation

    slug = os.environ.get("CAIRN_BENCH_ORG", "")
    if slug:
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise SystemExit(f"CAIRN_BENCH_ORG={slug!r}: no such organisation in DATABASE_URL.")
        return found
    if quick:
        from cairn.demo.simulated_org import simulated_organisation

        found = Organisation.objects.filter(slug="livetrust-quick").first()
        return found or simulated_organisation("livetrust-quick", people=300, days=120)
    found = Organisation.objects.filter(slug=LARGE_ORG).first()
    if found is not None:
        return found
    from django.core.management import call_command

    call_command(*BUILD_ARGS)
    return Organisation.objects.get(slug=LARGE_ORG)


def full_recompute(org: Any) -> dict[str, Any]:
    env = {**os.environ, "LIVE_TRUST_ORG": org.slug, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", FULL], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def members(org: Any) -> list[Any]:
    from cairn.people.models import User

    return list(
        User.objects.filter(organisation=org, is_active=True)
        .select_related("profile")
        .order_by("pk")
    )


def live_events(org: Any, people: list[Any], repeats: int) -> list[dict[str, Any]]:
    """Thank a colleague through the action with the worker running; time until the
    recipient's stored trust (what the profile reads) is rewritten."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from cairn.exchange.actions import do_thank
    from cairn.trust.models import TrustProfile

    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "cairn", "worker", "--worker-id", "live-trust-bench"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out = []
    try:
        # The first event (not counted) waits for the worker to import Django and start.
        for k in range(repeats + 1):
            sender, recipient = people[2 * k + 1], people[2 * k + 2]
            action_at = timezone.now()
            before = (
                TrustProfile.objects.filter(user=recipient)
                .values_list("computed_at", flat=True)
                .first()
            )
            started = time.perf_counter()
            do_thank(sender, recipient, f"Thanks for the help (live trust bench {time.time()})")
            recorded = time.perf_counter() - started
            while time.perf_counter() - started < 120:
                now = (
                    TrustProfile.objects.filter(user=recipient)
                    .values_list("computed_at", flat=True)
                    .first()
                )
                if now is not None and now != before:
                    break
                time.sleep(0.02)
            seen = time.perf_counter() - started
            summary = None
            for _ in range(100):  # the task's own summary, once the worker has saved it
                task = (
                    DBTaskResult.objects.filter(enqueued_at__gte=action_at)
                    .order_by("enqueued_at")
                    .first()
                )
                if task is not None and task.finished_at is not None:
                    summary = task.return_value
                    break
                time.sleep(0.05)
            if k:
                out.append({"recorded": recorded, "seen": seen, "summary": summary})
    finally:
        worker.terminate()
        worker.wait(30)
    return out


def burst(org: Any, people: list[Any], size: int) -> dict[str, Any]:
    """Record ``size`` thanks in a burst; count the tasks queued; run the task in this
    process; compare with a full recompute at the same reference time."""
    import numpy as np
    from django_tasks_db.models import DBTaskResult

    from cairn.exchange.actions import do_thank
    from cairn.trust import adapter
    from cairn.trust.tasks import recompute_trust

    tasks_before = DBTaskResult.objects.count()
    offset = len(people) // 2
    started = time.perf_counter()
    for k in range(size):
        do_thank(people[offset + k], people[offset - k - 1], f"Burst thanks {time.time()}")
    recorded = time.perf_counter() - started
    queued = DBTaskResult.objects.count() - tasks_before
    started = time.perf_counter()
    summary = recompute_trust.call(org.pk)
    passed = time.perf_counter() - started
    started = time.perf_counter()
    again = recompute_trust.call(org.pk)
    duplicate = time.perf_counter() - started
    adapter.forget_results()
    result = adapter.stored_result(org.pk).result
    full, _ = adapter.compute(org.pk, at=datetime.fromtimestamp(result.at, UTC))
    order = [full.index(p) for p in result.people]
    gap = np.abs(result.trust - full.trust[order])
    return {
        "recorded": recorded,
        "queued": queued,
        "summary": summary,
        "seconds": passed,
        "duplicate": again,
        "duplicate_seconds": duplicate,
        "gap_max": float(gap.max()),
        "gap_median": float(np.median(gap)),
        "gap_over_002": int((gap > 0.02).sum()),
        "people": len(gap),
    }


def find_a_mentor(org: Any, people: list[Any]) -> dict[str, Any]:
    """Time "Find a mentor" against the stored recommendation index: the worker's build (in
    this process: every profile embedded) and its rebuild after a change (only changed texts
    embedded again), then, each in a fresh web process, the page's and the API's first
    request and warm requests (bench/_find_a_mentor.py)."""
    from cairn.matching.builder import build_organisation
    from cairn.matching.tasks import queue_build

    started = time.perf_counter()
    first = build_organisation(org.pk)
    build = time.perf_counter() - started
    queue_build(org.pk)
    started = time.perf_counter()
    rebuild_summary = build_organisation(org.pk)
    rebuild = time.perf_counter() - started
    seeker = next((p for p in people[1:200] if p.profile.wants.exists()), people[1])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    fresh = {}
    for target in ("page", "api", "page --warm-up", "api --warm-up"):
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "bench._find_a_mentor",
                org.slug,
                str(seeker.pk),
                *target.split(),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        fresh[target] = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "build": build,
        "build_mode": first["mode"],
        "rebuild": rebuild,
        "rebuild_summary": rebuild_summary,
        "page": fresh["page"],
        "api": fresh["api"],
        "page_warmed": fresh["page --warm-up"],
        "api_warmed": fresh["api --warm-up"],
        "wants": seeker.profile.wants.count(),
    }


def main() -> None:
    quick = "--quick" in sys.argv
    setup()
    from cairn.ledger.models import Event

    org = organisation(quick)
    people = members(org)
    facts = {
        "org": org.slug,
        "people": len(people),
        "events": Event.objects.filter(organisation=org).count(),
        "load_before": os.getloadavg(),
    }
    full = full_recompute(org)
    print(json.dumps({"full": full}), file=sys.stderr, flush=True)
    live = live_events(org, people, repeats=3)
    print(json.dumps({"live": live}, default=str), file=sys.stderr, flush=True)
    bursts = burst(org, people, size=50)
    print(json.dumps({"burst": bursts}, default=str), file=sys.stderr, flush=True)
    mentor = find_a_mentor(org, people)
    facts["load_after"] = os.getloadavg()
    facts["maxrss_here"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {**facts, "full": full, "live": live, "burst": bursts, "mentor": mentor},
            default=str,
        )
    )


if __name__ == "__main__":
    main()
