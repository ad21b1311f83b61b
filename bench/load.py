"""Load test: members reading and acting against the production server, PostgreSQL and the
task worker on this machine, at increasing request rates.

Needs ``DATABASE_URL=postgresql://…`` (skipped otherwise). The organisation is
``CAIRN_BENCH_ORG``; by default the large one, ``meridian`` (built with
``cairn demo --people 10000 --days 365`` when missing, about 5 minutes), or with ``--quick``
the small demo, ``northwind`` (built with ``cairn demo``). The goal is judged only on the
large one.

The run migrates and collects static files, starts gunicorn with ``cairn/gunicorn_conf.py``
(``DEBUG=0``, on a free port) and ``cairn worker``, then for each target rate prepares the
members (bench/_load_setup.py: sessions, what each reads and may write today) and runs locust
headless (bench/_locustfile.py) for a fixed time. A step holds when locust achieved the target
rate, short of it by no more than the random arrivals explain, with p95 ≤ 500 ms and no failed
request. CPU time is sampled per
process group over each step: gunicorn, the worker, locust itself and PostgreSQL (every
backend on the machine, including those of other databases), against the machine's total;
the test database's backends are sampled twice a second (``pg_stat_activity``): how many run a
statement and how many of those wait for a lock another transaction holds, and on which table.
The report's "what limits it" is made of these measurements and the slowest requests.
"""

import csv
import math
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

from bench._large_org import BUILD_ARGS, BUILD_HINT
from bench._large_org import SLUG as LARGE_ORG

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
P95_GOAL_MS, RATE_GOAL = 500.0, 50.0
#: The organisation a smoke run uses (the goal is judged on bench/_large_org.py's).
SMALL_ORG = "northwind"
#: Target request rates (per second) of the steps, and how long each runs (seconds).
STEPS = [10, 20, 30, 40, 50, 60, 75, 90, 110, 130]
STEPS_QUICK = [10, 25, 50]
STEP_SECONDS, STEP_SECONDS_QUICK = 60, 20
#: Requests per task of the scenario: two tasks in three read one page, one in three makes
#: three requests (the form's page, the write, the page it redirects to).
REQUESTS_PER_TASK = (2 * 1 + 1 * 3) / 3
#: Simulated members at most (each a distinct person, so daily limits hold per person).
MAX_USERS = 150


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: The shared cache the servers use when nothing else is said and Redis answers here, as the
#: README's production setup has it (``CACHE_URL``: sessions are read from it first).
LOCAL_REDIS = "redis://127.0.0.1:6379/1"


def _cache_url() -> str:
    """Return ``CACHE_URL`` from the environment, else the local Redis if it answers, else ""
    (each process then keeps its own memory cache and sessions stay in the database)."""
    if "CACHE_URL" in os.environ:
        return os.environ["CACHE_URL"]
    import redis

    try:
        redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return ""
    return LOCAL_REDIS


def _environment(database_url: str, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CACHE_URL": _cache_url(),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-key-" + "k" * 40),
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback address, with no TLS proxy in front: cookies may not
        # be marked HTTPS-only, or the client would not send them back.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "EMAIL_URL": "dummy://",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "cairn.settings",
    }


def _cairn(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "cairn", *args], env=env, cwd=ROOT, check=True)


def _wait_healthy(base: str, server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 300  # a busy machine starts four Django processes slowly
    while True:
        try:
            # B310: an http URL of our own server on the loopback address.
            with urlopen(f"{base}/healthz", timeout=5):  # noqa: S310  # nosec B310
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)


class CpuMeter:
    """CPU seconds used by groups of processes between two readings."""

    def __init__(self, groups: dict[str, object]) -> None:
        import psutil

        self.psutil = psutil
        self.groups = groups
        self.seen: dict[tuple[str, int], float] = {}

    def _postgres(self) -> list:  # type: ignore[type-arg]
        return [
            p
            for p in self.psutil.process_iter(["name"])
            if p.info["name"] in ("postgres", "postmaster")
        ]

    def _members(self, name: str) -> list:  # type: ignore[type-arg]
        root = self.groups.get(name)
        if root == "postgres":
            return self._postgres()
        if root is None or root == "reaped":
            return []
        try:
            process = self.psutil.Process(root.pid)  # type: ignore[attr-defined]
            return [process, *process.children(recursive=True)]
        except self.psutil.NoSuchProcess:
            return []

    def reading(self) -> dict[str, float]:
        """Return CPU seconds so far per group (children that exited included, for
        postgres through the postmaster's reaped children), and the machine's busy time."""
        totals: dict[str, float] = {}
        for name in self.groups:
            used = 0.0
            for process in self._members(name):
                try:
                    times = process.cpu_times()
                except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                    continue
                used += times.user + times.system + times.children_user + times.children_system
            totals[name] = used
        # Locust ends within the step: its time is then among this process's reaped children.
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        totals["locust"] = reaped.ru_utime + reaped.ru_stime
        machine = self.psutil.cpu_times()
        totals["machine"] = machine.user + machine.system + machine.nice + machine.irq
        totals["machine"] += machine.softirq
        return totals


#: What the database's backends are doing, sampled during a step: the table a statement is on
#: (the first one it names) and whether it waits for a lock another transaction holds.
ACTIVITY_SQL = """
SELECT query, wait_event_type = 'Lock', cardinality(pg_blocking_pids(pid)) > 0
FROM pg_stat_activity
WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
"""
TABLE = re.compile(r'(?:FROM|UPDATE|INTO)\s+"(\w+)"')


class WaitSampler:
    """Samples the load test database's busy backends twice a second in a thread: how many
    run a statement, how many of those wait for a lock, and on which tables."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.samples = 0
        self.busy = 0
        self.waiting = 0
        self.waiting_on: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "WaitSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            while not self._stop.wait(0.5):
                rows = connection.execute(ACTIVITY_SQL).fetchall()
                self.samples += 1
                self.busy += len(rows)
                for query, on_lock, blocked in rows:
                    if on_lock or blocked:
                        self.waiting += 1
                        table = TABLE.search(query or "")
                        self.waiting_on[table.group(1) if table else "?"] += 1

    def summary(self) -> dict[str, object]:
        return {
            "samples": self.samples,
            "busy": self.busy / max(1, self.samples),
            "waiting": self.waiting / max(1, self.samples),
            "waiting_on": self.waiting_on.most_common(3),
        }


def _stats(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_stats.csv")
    with path.open() as file:
        return list(csv.DictReader(file))


def _step(
    base: str,
    env: dict[str, str],
    organisation: str,
    rate: float,
    seconds: int,
    folder: Path,
    meter: CpuMeter,
) -> dict[str, object]:
    plan = folder / f"plan-{rate}.json"
    tasks_per_second = rate / REQUESTS_PER_TASK
    users = int(min(MAX_USERS, max(1, round(tasks_per_second * 2))))
    writes_per_user = tasks_per_second * seconds / users / 3 * 1.5 + 2
    subprocess.run(
        [sys.executable, "-m", "bench._load_setup", organisation, str(plan)]
        + ["--users", str(users), "--confirmations", str(int(writes_per_user * 0.15) + 1)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    prefix = folder / f"step-{rate}"
    locust_env = {**env, "CAIRN_LOAD_PLAN": str(plan)}
    locust_env["CAIRN_LOAD_TASK_RATE"] = f"{tasks_per_second / users:.4f}"
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "_locustfile.py"), "--headless"]
    command += ["--host", base, "-u", str(users), "-r", str(users), "--reset-stats"]
    command += ["--run-time", f"{seconds + 2}s", "--csv", str(prefix), "--only-summary"]
    command += ["--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
    load_before = os.getloadavg()[0]
    locust = subprocess.Popen(command, env=locust_env, cwd=ROOT, stdout=subprocess.DEVNULL)
    time.sleep(2)  # all users spawned; --reset-stats dropped the spawning
    before, started = meter.reading(), time.monotonic()
    with WaitSampler(env["DATABASE_URL"]) as waits:
        locust.wait()
    after, took = meter.reading(), time.monotonic() - started
    cpu = {name: (after[name] - before.get(name, 0.0)) / took for name in after}
    rows = _stats(prefix)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "rate": rate,
        "seconds": seconds,
        "users": users,
        "achieved": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "endpoints": [r for r in rows if r["Name"] != "Aggregated"],
        "cpu": cpu,
        "waits": waits.summary(),
        "load": load_before,
        "failures_text": Path(f"{prefix}_failures.csv").read_text()
        if Path(f"{prefix}_failures.csv").exists()
        else "",
    }


def _shortfall_allowed(rate: float, seconds: float) -> float:
    """Return the share of the target rate a step may fall short by and still have kept up.

    Tasks arrive as a Poisson process, so the number a step offers varies by about the square
    root of the number expected: at 10 requests/s for 60 s (360 tasks) one run in six offered
    5 % fewer than the target, and a server that served every one of them read as falling
    behind. Three standard deviations, and never less than 5 %."""
    expected_tasks = max(1.0, rate / REQUESTS_PER_TASK * seconds)
    return max(0.05, 3 / math.sqrt(expected_tasks))


def _holds(step: dict[str, object]) -> bool:
    rate = float(step["rate"])  # type: ignore[arg-type]
    allowed = _shortfall_allowed(rate, float(step["seconds"]))  # type: ignore[arg-type]
    return (
        float(step["achieved"]) >= (1 - allowed) * rate  # type: ignore[arg-type]
        and float(step["p95"]) <= P95_GOAL_MS  # type: ignore[arg-type]
        and step["failures"] == 0
    )


def _ensure_organisation(env: dict[str, str], organisation: str) -> str | None:
    """Return None when the organisation is there (building Northwind or Meridian if need
    be), else why not."""
    probe = subprocess.run(
        [sys.executable, "-m", "bench._load_setup", organisation, "-", "--exists"],
        env=env,
        cwd=ROOT,
        check=False,
    )
    if probe.returncode == 0:
        return None
    builds = {SMALL_ORG: ("demo",), LARGE_ORG: BUILD_ARGS}
    if organisation in builds:
        command = " ".join(builds[organisation])
        print(f"   building {organisation}: cairn {command}", file=sys.stderr, flush=True)
        _cairn(env, *builds[organisation])
        return None
    return (
        f"organisation {organisation!r} is not in the database: build it first "
        f"(e.g. `{BUILD_HINT}` for {LARGE_ORG})"
    )


def _analyze(database_url: str) -> None:
    """Refresh the planner's statistics and clear out dead rows (VACUUM ANALYZE), as
    autovacuum does on a production server: where it is off, as here, a database built in bulk
    is planned as if its tables were empty, and rows rewritten by earlier runs are read again
    and again, and some pages take seconds that production would never see."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _skipped(why: str) -> str:
    return f"## Load test (`bench/load.py`)\n\nSkipped: {why}.\n"


@contextmanager
def serving(env: dict[str, str], tree: Path = ROOT) -> Iterator[tuple[str, CpuMeter]]:
    """Run gunicorn (``cairn/gunicorn_conf.py``, on a free port) and ``cairn worker`` from the
    source ``tree`` until the block ends; yield the server's address and a meter of their CPU,
    PostgreSQL's and locust's."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "PYTHONPATH": str(tree)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:cairn.gunicorn_conf"]
        + ["--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        # One id for every run: a worker stopped in the middle of a trust pass leaves that task
        # RUNNING and the organisation's pass marked queued, and only a worker of the same id
        # takes it back when it starts (cairn/web/management/commands/worker.py); with an id
        # per run, every later run measured a worker that never passed again.
        [sys.executable, "-m", "cairn", "worker", "--worker-id", "load-bench"],
        env=env,
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    groups: dict[str, object] = {
        "gunicorn": server,
        "worker": worker,
        "postgres": "postgres",
        "locust": "reaped",
    }
    try:
        _wait_healthy(base, server)
        yield base, CpuMeter(groups)
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def prepared(database_url: str, organisation: str, folder: Path) -> tuple[dict[str, str], str]:
    """Migrate, collect static files, make sure the organisation is there and analyse the
    database; return the servers' environment and "" (or why the test cannot run)."""
    env = _environment(database_url, folder / "static")
    _cairn(env, "migrate", "--no-input", "-v0")
    _cairn(env, "collectstatic", "--no-input", "-v0")
    why_not = _ensure_organisation(env, organisation)
    if not why_not:
        _analyze(database_url)
    return env, why_not or ""


def run(quick: bool) -> str:
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in ("postgres", "postgresql"):
        return _skipped("set DATABASE_URL=postgresql://… (the load test runs on PostgreSQL)")
    organisation = os.environ.get("CAIRN_BENCH_ORG", SMALL_ORG if quick else LARGE_ORG)
    steps = STEPS_QUICK if quick else STEPS
    seconds = STEP_SECONDS_QUICK if quick else STEP_SECONDS
    folder = Path(tempfile.mkdtemp(prefix="cairn-load-"))
    results = []
    try:
        env, why_not = prepared(database_url, organisation, folder)
        if why_not:
            return _skipped(why_not)
        cache_url = env["CACHE_URL"]
        with serving(env) as (base, meter):
            for rate in steps:
                print(f"   {rate} requests/s for {seconds} s", file=sys.stderr, flush=True)
                step = _step(base, env, organisation, rate, seconds, folder, meter)
                results.append(step)
                if not _holds(step):
                    break
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _report(results, organisation, seconds, cache_url)


def _limit(step: dict[str, object]) -> str:
    """Return what held the last step back, from what was measured in it: the CPU split, the
    lock waits sampled in the database, and the slowest requests."""
    return " ".join([_cpu_limit(step), _lock_limit(step), _slowest(step)])


def _cpu_limit(step: dict[str, object]) -> str:
    """Return a sentence on the step's CPU split."""
    cpu: dict[str, float] = step["cpu"]  # type: ignore[assignment]
    cores = os.cpu_count() or 1
    ours = {name: cpu[name] for name in ("gunicorn", "postgres", "worker", "locust")}
    others = max(0.0, cpu["machine"] - sum(ours.values()))
    split = ", ".join(f"{name} {share:.0%}" for name, share in ours.items())
    busiest = max(ours, key=lambda name: ours[name])
    if cpu["machine"] < 0.7 * cores:
        return (
            f"In the last step the machine's cores were not all busy ({cpu['machine']:.0%} of "
            f"{cores}00 %: {split}): requests waited on something other than CPU."
        )
    if cpu["machine"] < 0.9 * cores:
        # Requests arrive at random: at this utilisation bursts of them queue for the cores
        # even though the average leaves some idle (the wait grows as 1 / (1 - utilisation)).
        return (
            f"In the last step the cores were {cpu['machine'] / cores:.0%} busy "
            f"({cpu['machine']:.0%} of {cores}00 %: {split}): with requests arriving at "
            f"random, bursts of them queue for CPU at that utilisation, {busiest} first."
        )
    if others > max(ours.values()):
        return (
            f"In the last step the {cores} cores were saturated ({cpu['machine']:.0%}) mostly "
            f"by other processes ({others:.0%}; {split}): the figures measure a shared "
            "machine, not Cairn; re-run on a quiet one."
        )
    return (
        f"In the last step the {cores} cores were saturated ({cpu['machine']:.0%}: {split}, "
        f"other processes {others:.0%}): CPU limits the rate, {busiest} first."
    )


def _lock_limit(step: dict[str, object]) -> str:
    """Return a sentence on the lock waits sampled in the database during the step."""
    waits: dict[str, Any] = step["waits"]  # type: ignore[assignment]
    busy, waiting = float(waits["busy"]), float(waits["waiting"])
    if not waits["samples"]:
        return "The database's backends were not sampled."
    seen = (
        f"Sampled twice a second, {busy:.1f} of the database's backends were running a "
        f"statement on average"
    )
    if waiting < 0.05 * max(busy, 1.0):
        return f"{seen}, and {waiting:.2f} waiting for a lock: locks do not limit it."
    tables = ", ".join(f"{table} ({n} samples)" for table, n in waits["waiting_on"])
    return f"{seen}, {waiting:.1f} of them waiting for a lock another held, on {tables}."


def _slowest(step: dict[str, object]) -> str:
    """Return a sentence naming the requests with the highest p95 in the step."""
    rows: list[dict[str, str]] = step["endpoints"]  # type: ignore[assignment]
    slow = sorted(rows, key=lambda r: -float(r["95%"]))[:3]
    named = ", ".join(f"{r['Type']} {r['Name']} ({float(r['95%']):.0f} ms)" for r in slow)
    return f"Slowest at p95: {named}." if slow else ""


def _report(
    results: list[dict[str, object]], organisation: str, seconds: int, cache_url: str
) -> str:
    held = [s for s in results if _holds(s)]
    best = max(held, key=lambda s: float(s["achieved"]), default=None)  # type: ignore[arg-type]
    workers = os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1)))
    threads = os.environ.get("WEB_THREADS", "2")
    conn_max_age = os.environ.get("DATABASE_CONN_MAX_AGE", "600")
    cache = (
        f"`CACHE_URL={cache_url}` (sessions read from it first)"
        if cache_url
        else "no `CACHE_URL` (sessions in the database alone)"
    )
    lines = [
        "## Load test (`bench/load.py`, `bench/_locustfile.py`)",
        "",
        f"Organisation `{organisation}`; gunicorn with `cairn/gunicorn_conf.py` ({workers} "
        f"processes × {threads} threads, `DEBUG=0`, `DATABASE_CONN_MAX_AGE={conn_max_age}`, "
        f"{cache}), WhiteNoise, `cairn worker`, PostgreSQL (`VACUUM ANALYZE` first, as autovacuum "
        "would), and locust on the same machine. Each "
        "simulated user is a distinct signed-in member: two tasks in three read a page "
        "(home feed, profiles, posts, requests, people directory and its name search, "
        "communities, notifications, search, commitments, the people API); one in three opens "
        "a form, posts it and follows the redirect — thanks (within each member's daily limit "
        "and pair cap), comments, responses to open requests, commitments confirmed — so one "
        "request in five is a write. Each member's tasks arrive at random moments (a Poisson "
        "process: members act independently, never in step). "
        f"Each step runs {seconds} s at a target rate; a step holds "
        f"when it achieves the target with p95 ≤ {P95_GOAL_MS:.0f} ms and no failed request "
        "(achieved may fall short of the target by as much as the random arrivals do: three "
        "standard deviations of the number of tasks a step offers, at least 5 %; the rate "
        "held is what was achieved, not the target). CPU is the share of one core used "
        "during the step (the machine's total is "
        f"out of {os.cpu_count()} cores; PostgreSQL counts every backend on the machine). "
        "DB busy is the mean number of the test database's backends running a statement, "
        "sampled twice a second from `pg_stat_activity`; DB waiting on locks, how many of "
        "them were waiting for a lock another transaction held.",
        "",
        "| target req/s | users | achieved req/s | p50 | p95 | failures | holds | "
        "CPU gunicorn | worker | PostgreSQL | locust | machine | load avg | "
        "DB busy | DB waiting on locks |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results:
        cpu: dict[str, float] = s["cpu"]  # type: ignore[assignment]
        lines.append(
            f"| {s['rate']} | {s['users']} | {float(s['achieved']):.1f} | "  # type: ignore[arg-type]
            f"{float(s['p50']):.0f} ms | {float(s['p95']):.0f} ms | {s['failures']} | "  # type: ignore[arg-type]
            f"{'yes' if _holds(s) else 'no'} | {cpu['gunicorn']:.0%} | {cpu['worker']:.0%} | "
            f"{cpu['postgres']:.0%} | {cpu['locust']:.0%} | {cpu['machine']:.0%} | "
            f"{float(s['load']):.1f} | {float(s['waits']['busy']):.1f} | "  # type: ignore[arg-type,index]
            f"{float(s['waits']['waiting']):.2f} |"  # type: ignore[index]
        )
    if results:
        last = results[-1] if best is None else best
        lines += [
            "",
            f"Per endpoint at {float(last['achieved']):.1f} req/s "  # type: ignore[arg-type]
            f"(target {last['rate']}):",
            "",
            "| request | count | failures | p50 | p95 | max |",
            "|---|---|---|---|---|---|",
        ]
        endpoints: list[dict[str, str]] = last["endpoints"]  # type: ignore[assignment]
        for row in sorted(endpoints, key=lambda r: -float(r["95%"])):
            lines.append(
                f"| {row['Type']} {row['Name']} | {row['Request Count']} | "
                f"{row['Failure Count']} | {row['50%']} ms | {row['95%']} ms | "
                f"{float(row['Max Response Time']):.0f} ms |"
            )
        failed = [s for s in results if s["failures_text"] and int(s["failures"])]  # type: ignore[call-overload]
        if failed:
            lines += ["", "Failures of the first failing step:", "", "```"]
            lines += str(failed[0]["failures_text"]).strip().splitlines()[:12] + ["```"]
    if results:
        lines += ["", _limit(results[-1])]
    rate = float(best["achieved"]) if best else 0.0  # type: ignore[arg-type]
    if organisation == LARGE_ORG:
        verdict = "**met**" if rate >= RATE_GOAL else "**not met**"
    else:
        verdict = (
            f"not judged: the goal is about the large organisation; re-run with "
            f"`CAIRN_BENCH_ORG={LARGE_ORG}`, built by `{BUILD_HINT}`"
        )
    lines += [
        "",
        f"Highest rate held: **{rate:.1f} requests/s** (goal ≥ {RATE_GOAL:.0f}: {verdict}).",
    ]
    return "\n".join(lines) + "\n"
