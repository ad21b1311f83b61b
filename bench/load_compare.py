"""The load test's mix, side by side: this source tree against an earlier commit, at one rate.

The full load test (bench/load.py) tells which rate the code holds, but its figures move by
tens of percent from run to run and from one hour to the next on a shared machine, so two of
its runs cannot say which code is cheaper. This runs both in turn, alternating, on the same
database, the same machine and the same hour: each round starts gunicorn and the worker from
the earlier commit (a ``git worktree`` of ``CAIRN_BENCH_AGAINST``), then from this tree, and
measures one warm-up step and one measured step of the same scenario (bench/_locustfile.py,
prepared by this tree's bench/_load_setup.py) at ``CAIRN_BENCH_RATE`` requests/s (default 50).
The figures are medians over the rounds (``CAIRN_BENCH_ROUNDS``, default 2) of the CPU each
process group spent per request served and of the latencies. The organisation is
``CAIRN_BENCH_ORG``, as for the load test: the large one by default, the small demo with
``--quick``.

    DATABASE_URL=postgresql://… CAIRN_BENCH_ORG=meridian CAIRN_BENCH_AGAINST=0242a2f \\
        python -m bench load_compare

The earlier commit must run on this tree's database: it is refused when migrations differ.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bench._large_org import SLUG as LARGE_ORG
from bench.load import ROOT, SMALL_ORG, _holds, _step, prepared, serving

WARM_UP_SECONDS = 20
STEP_SECONDS, STEP_SECONDS_QUICK = 60, 20
GROUPS = ("gunicorn", "postgres", "worker", "locust", "machine")


def _skipped(why: str) -> str:
    return f"## Load test side by side (`bench/load_compare.py`)\n\nSkipped: {why}.\n"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def _why_not_comparable(against: str) -> str:
    """Return why ``against`` cannot run on this tree's database ("" when it can)."""
    try:
        _git("rev-parse", "--verify", f"{against}^{{commit}}")
    except subprocess.CalledProcessError:
        return f"CAIRN_BENCH_AGAINST={against!r} is not a commit of this repository"
    changed = _git("diff", "--name-only", against, "--", "cairn/*/migrations/*.py")
    if changed:
        first = changed.splitlines()[0]
        return f"{against} has other migrations than this tree ({first}, …)"
    return ""


def _measure(
    env: dict[str, str], tree: Path, organisation: str, rate: float, seconds: int, folder: Path
) -> dict[str, float]:
    """Return one round's figures for the code in ``tree``: CPU ms per request by group,
    achieved rate, p50, p95, failures and whether the step held."""
    with serving(env, tree) as (base, meter):
        _step(base, env, organisation, rate, WARM_UP_SECONDS, folder, meter)
        step = _step(base, env, organisation, rate, seconds, folder, meter)
    achieved = float(step["achieved"])  # type: ignore[arg-type]
    cpu: dict[str, float] = step["cpu"]  # type: ignore[assignment]
    figures = {name: cpu[name] * 1000 / max(achieved, 1e-9) for name in GROUPS}
    figures.update(
        achieved=achieved,
        p50=float(step["p50"]),  # type: ignore[arg-type]
        p95=float(step["p95"]),  # type: ignore[arg-type]
        failures=float(step["failures"]),  # type: ignore[arg-type]
        holds=float(_holds(step)),
    )
    return figures


def run(quick: bool) -> str:
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in ("postgres", "postgresql"):
        return _skipped("set DATABASE_URL=postgresql://… (the load test runs on PostgreSQL)")
    against = os.environ.get("CAIRN_BENCH_AGAINST", "")
    if not against:
        return _skipped("set CAIRN_BENCH_AGAINST to the commit to compare this tree with")
    why_not = _why_not_comparable(against)
    if why_not:
        return _skipped(why_not)
    organisation = os.environ.get("CAIRN_BENCH_ORG", SMALL_ORG if quick else LARGE_ORG)
    rate = float(os.environ.get("CAIRN_BENCH_RATE", "50"))
    rounds = int(os.environ.get("CAIRN_BENCH_ROUNDS", "1" if quick else "2"))
    seconds = STEP_SECONDS_QUICK if quick else STEP_SECONDS
    commit = _git("rev-parse", "--short", against)
    # Uncommitted changes to the code (not the results the benchmarks write) are named.
    changed = _git("status", "--short", "--", "cairn", "bench/*.py")
    here = _git("rev-parse", "--short", "HEAD") + (" + changes" if changed else "")
    folder = Path(tempfile.mkdtemp(prefix="cairn-load-compare-"))
    earlier = folder / "earlier"
    measured: dict[str, list[dict[str, float]]] = {commit: [], here: []}
    try:
        _git("worktree", "add", "--detach", str(earlier), against)
        env, why_not = prepared(database_url, organisation, folder)
        if why_not:
            return _skipped(why_not)
        for round_number in range(rounds):
            for name, tree in ((commit, earlier), (here, ROOT)):
                print(
                    f"   round {round_number + 1}: {name} at {rate:g} requests/s",
                    file=sys.stderr,
                    flush=True,
                )
                measured[name].append(_measure(env, tree, organisation, rate, seconds, folder))
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(earlier)],
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
    return _report(measured, commit, here, organisation, rate, seconds, rounds)


def _report(
    measured: dict[str, list[dict[str, float]]],
    commit: str,
    here: str,
    organisation: str,
    rate: float,
    seconds: int,
    rounds: int,
) -> str:
    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in measured[name])

    lines = [
        "## Load test side by side (`bench/load_compare.py`)",
        "",
        f"Organisation `{organisation}`, the load test's scenario at {rate:g} requests/s: "
        f"{rounds} round(s), each running `{commit}` and then this tree (`{here}`) in turn, "
        f"each with a fresh gunicorn and worker, a {WARM_UP_SECONDS} s warm-up step and a "
        f"{seconds} s measured step. CPU is milliseconds of CPU per request served, by process "
        "group (PostgreSQL counts every backend on the machine; machine is everything). "
        "Figures are medians over the rounds; each round's are in brackets.",
        "",
        "| code | gunicorn | PostgreSQL | worker | locust | machine | achieved req/s | "
        "p50 | p95 | failures | held |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in (commit, here):
        rows = measured[name]

        def cell(key: str, unit: str = "", rows=rows, name=name) -> str:
            each = ", ".join(f"{r[key]:.1f}" if not unit else f"{r[key]:.0f}" for r in rows)
            value = median(name, key)
            shown = f"{value:.0f}{unit}" if unit else f"{value:.1f}"
            return f"{shown} ({each})" if len(rows) > 1 else shown

        held = sum(int(r["holds"]) for r in rows)
        lines.append(
            f"| `{name}` | {cell('gunicorn')} | {cell('postgres')} | {cell('worker')} | "
            f"{cell('locust')} | {cell('machine')} | {cell('achieved')} | {cell('p50', ' ms')} "
            f"| {cell('p95', ' ms')} | {sum(int(r['failures']) for r in rows)} | "
            f"{held} of {len(rows)} |"
        )
    ratio = median(here, "machine") / max(median(commit, "machine"), 1e-9)
    web = median(here, "gunicorn") / max(median(commit, "gunicorn"), 1e-9)
    lines += [
        "",
        f"This tree against `{commit}`: the machine's CPU per request × {ratio:.2f}, "
        f"gunicorn's × {web:.2f}.",
    ]
    return "\n".join(lines) + "\n"
