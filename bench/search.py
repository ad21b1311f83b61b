"""Search: ranking quality on a judged set, and latency over 100,000 generated posts.

Each database is measured in a fresh process (bench/_search_worker.py) on a database of its
own: a temporary SQLite file, and the PostgreSQL database named by ``SEARCH_BENCH_DATABASE_URL``
(default ``postgresql://postgres@127.0.0.1:5432/cairn_search_bench``), which is dropped and
created again. Baselines (``icontains``) are measured in the same process and run.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POSTGRES = os.environ.get(
    "SEARCH_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/cairn_search_bench"
)
NDCG_GOAL, P95_GOAL_MS = 0.7, 100.0


def _fresh_postgres(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _measure(url: str, posts: int) -> dict:  # type: ignore[type-arg]
    args = [sys.executable, "-m", "bench._search_worker"]
    if posts:
        args += ["--posts", str(posts)]
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def run(quick: bool) -> str:
    posts = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        sqlite = _measure(f"sqlite:///{folder}/search.sqlite3", 0)
    _fresh_postgres(POSTGRES)
    postgres = _measure(POSTGRES, posts)
    judged = {
        "SQLite (FTS5, bm25)": sqlite["judged"],
        "PostgreSQL (tsvector, ts_rank)": postgres["judged"],
    }
    first = next(iter(judged.values()))
    lines = [
        "## Search (`cairn.search`)",
        "",
        "### Ranking quality: the judged set",
        "",
        f"`bench/search_judged.json`, written for this project: {first['items']} things of a "
        "fictional company (answered and open requests for help, lessons learned, know-how, "
        "community threads and resources, goals, people) and "
        f"{first['queries']} queries in employees' words, each with graded relevant items "
        "(3 answers it, 2 clearly useful, 1 related). The things are created through the action "
        "layer and spread over two years; no trust is stored, so the trust lift plays no part. "
        "Cairn's ranking is all kinds merged by score (the page groups them); the baselines are "
        "`icontains` over the same rows and visibility, newest first: the whole query as one "
        "string, and every word of it (as the people directory filters). nDCG@10 with gain "
        "2^grade − 1, mean over the queries.",
        "",
        "| database | method | nDCG@10 | queries with nothing relevant in the top 10 |",
        "|---|---|---|---|",
    ]
    for database, result in judged.items():
        for method, value in result["ndcg"].items():
            shown = f"**{value:.3f}**" if method == "cairn search" else f"{value:.3f}"
            lines.append(f"| {database} | {method} | {shown} | {result['zero'][method]} |")
    lines += ["", f"Goal nDCG@10 ≥ {NDCG_GOAL}: "]
    lines[-1] += "; ".join(
        f"{db} {r['ndcg']['cairn search']:.3f} {_met(r['ndcg']['cairn search'] >= NDCG_GOAL)}"
        for db, r in judged.items()
    )
    lines += [
        "",
        "Weakest queries (PostgreSQL): "
        + "; ".join(f"“{q}” {v:.2f}" for v, q in postgres["judged"]["worst"]),
    ]
    timing = postgres["latency"]
    lines += [
        "",
        f"### Latency on PostgreSQL, {timing['posts']:,} generated posts",
        "",
        f"Posts of 5–10 title words and 40–140 body words drawn (Zipf) from a 20,000-word "
        "vocabulary with the judged set's real words among the 3,000 most frequent, 50 authors, "
        f"bulk-created and indexed with `cairn.search.index.rebuild` "
        f"({timing['build_seconds']:.0f} s including generation). Queries "
        f"({timing['queries']}): the 40 judged queries, and the first 20 of them cut mid-word "
        f"(type-ahead), each {timing['repeats']} times after one warm-up. "
        "Cairn's time is the whole "
        "`search()` call (ranked groups of every kind with totals, then highlighted snippets); "
        "the baseline is `Post.objects.visible_to(user)` filtered by `title__icontains | "
        "body__icontains` on the whole query, newest 10.",
        "",
        "| method | p50 | p95 | max | queries finding something |",
        "|---|---|---|---|---|",
    ]
    for method in timing["p50_ms"]:
        p50, p95 = timing["p50_ms"][method], timing["p95_ms"][method]
        worst, found = timing["max_ms"][method], 100 * timing["found_any"][method]
        lines.append(
            f"| {method} | {p50:.1f} ms | **{p95:.1f} ms** | {worst:.1f} ms | {found:.0f} % |"
        )
    p95 = timing["p95_ms"]["cairn search"]
    lines += [
        "",
        f"Goal p95 ≤ {P95_GOAL_MS:.0f} ms: {p95:.1f} ms {_met(p95 <= P95_GOAL_MS)}. The machine "
        f"is shared: load average {timing['load_before']:.1f} before the timings, "
        f"{timing['load_after']:.1f} after, on {os.cpu_count()} cores.",
    ]
    return "\n".join(lines) + "\n"
