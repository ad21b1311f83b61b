"""Recommendations at scale: top-10 among 100,000 profiles per query, after indexing.

Synthetic profiles: each offers three phrases drawn from the judged set's profiles (20,000
distinct offer texts among the 100,000 people, as colleagues reuse the same skill names), wants
one phrase, and has a department, time zone, languages, capacity, trust and responsiveness.
Queries are the judged set's 35 learner-phrased goals, each asked by a random person (so the
time-zone, language, diversity and mutual signals are all computed and the seeker's manager
chain is excluded). Each query's text cache is emptied first, so every query embeds its goal
and the seeker's offers. Every distinct phrase of the candidates' texts is embedded when the
index is built (the closest phrase is half of the fit), so reasons embed nothing at query time.

Ranking quality: on the judged set (35 goals, 42 profiles, graded 0-3), nDCG@10 of the
cosine the fit is read from (`Index.match_cosine`: whole text and closest phrase, averaged)
against the whole-text cosine alone (what `matching_semantic` reports), and of the order
`recommend` returns (fit calibrated and clipped, the minimum fit applied, every other signal
neutral).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from cairn.matching.engine.evaluation import load_eval_set, ndcg_at_k
from cairn.matching.engine.index import build_index, fit_from_cosine, phrases
from cairn.matching.engine.profiles import Profile
from cairn.matching.engine.recommend import DEFAULT_WEIGHTS, Query, recommend, score_all
from cairn.matching.engine.text import load_embedder

ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
)
LANGS = ("en", "de", "fr", "es", "pt", "ja", "hi", "zh")


def make_profiles(n: int, distinct: int, seed: int = 5) -> list[Profile]:
    """Return ``n`` synthetic profiles whose offers use ``distinct`` different texts."""
    data = load_eval_set()
    pool = sorted({p for text in data.profiles.values() for p in phrases(text)})
    rng = np.random.default_rng(seed)
    offers = ["; ".join(rng.choice(pool, 3, replace=False)) for _ in range(distinct)]
    people = []
    for i in range(n):
        langs = {"en"} if rng.random() < 0.8 else set()
        langs.add(str(rng.choice(LANGS)))
        people.append(
            Profile(
                person=f"p{i}",
                department=f"d{rng.integers(40)}",
                timezone=str(rng.choice(ZONES)),
                languages=frozenset(langs),
                offers=offers[rng.integers(distinct)],
                wants=str(rng.choice(pool)),
                capacity=int(rng.integers(0, 4)),
                manager=f"p{rng.integers(i)}" if i else "",
                trust=float(rng.beta(3, 3)),
                responsiveness=float(rng.beta(3, 3)),
            )
        )
    return people


def _median_ms(times: list[float]) -> str:
    return f"{1000 * float(np.median(times)):.1f} ms"


def _p95_ms(times: list[float]) -> str:
    return f"{1000 * float(np.percentile(times, 95)):.1f} ms"


def python_loop_scores(index, goal_vec, seeker_offset: float) -> list[float]:
    """Baseline: score candidates one at a time in a Python loop (fit and static signals)."""
    w = DEFAULT_WEIGHTS
    name = index.embedder.name
    out = []
    offers = index.offers
    for i in range(len(index)):
        cos = float(np.dot(offers[index.offers_row[i]], goal_vec[0]))
        fit = float(fit_from_cosine(np.array([cos]), name)[0])
        d = abs(float(index.offset[i]) - seeker_offset) % 24
        tz = max(0.0, 8 - min(d, 24 - d)) / 8
        out.append(w.fit * fit + w.trust * float(index.trust[i]) + w.timezone * tz)
    return out


def judged_ndcg(name: str) -> dict[str, float]:
    """Return mean nDCG@10 on the judged set: whole-text cosine, match cosine, `recommend`."""
    data = load_eval_set()
    people = list(data.profiles)
    profiles = [Profile(person=p, offers=data.profiles[p], capacity=1) for p in people]
    index = build_index(profiles, load_embedder(name))
    goals = list(data.goals)
    vectors = index.vectors([data.goals[g] for g in goals])
    out = {}
    for label, sims in (
        ("whole", index.similarity("offers", vectors)),
        ("match", index.match_cosine("offers", vectors)),
    ):
        ranked = [[people[j] for j in np.argsort(-row, kind="stable")] for row in sims]
        out[label] = float(
            np.mean([ndcg_at_k(r, data.grades[g]) for r, g in zip(ranked, goals, strict=True)])
        )
    out["recommend"] = float(
        np.mean(
            [
                ndcg_at_k(
                    [r.person for r in recommend(index, Query(data.goals[g]), k=10)],
                    data.grades[g],
                )
                for g in goals
            ]
        )
    )
    return out


def run(quick: bool) -> str:
    """Measure in a child process with single-threaded BLAS; return the Markdown section.

    A web server runs one query per worker, so BLAS threads are set to 1 there (and here):
    on a shared 2-core machine, two BLAS threads per product are slower, not faster.
    """
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    child = subprocess.run(
        [sys.executable, "-c", f"import bench.matching_recommend as m; print(m.measure({quick}))"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if child.returncode:
        raise RuntimeError(f"the measuring process failed:\n{child.stderr}")
    rng = np.random.default_rng(0)
    b = rng.random((20_000, 384), dtype=np.float32)
    a = rng.random((1, 384), dtype=np.float32)
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        a @ b.T
        times.append(time.perf_counter() - t0)
    note = (
        "\n\nMeasured with `OPENBLAS_NUM_THREADS=1` (one BLAS thread per worker process, the "
        "setting to deploy with). For comparison, in the parent process with the default BLAS "
        f"threads, one goal against 20,000 distinct offer vectors takes {_median_ms(times)}."
    )
    body = child.stdout.strip()
    head, _, rest = body.partition("\n### Goal")
    return head.rstrip() + note + "\n\n### Goal" + rest


def measure(quick: bool) -> str:
    """Measure indexing and per-query latency at scale; return the Markdown section."""
    n, distinct = (10_000, 2_000) if quick else (100_000, 20_000)
    load = os.getloadavg()[0]
    data = load_eval_set()
    goals = list(data.goals.values())
    rng = np.random.default_rng(9)
    out = [
        "## Matching: recommendations at scale (`cairn.matching.engine.recommend`)",
        "",
        __doc__.split("\n\n", 1)[1].strip(),
        "",
        f"### {n:,} profiles",
        "",
        "| embedder | index build | index arrays | per query: `recommend` (embed the goal, "
        "score all, top 10, reasons) median · p95 | of which: embed the goal | score all + "
        "argpartition |",
        "|---|---|---|---|---|---|",
    ]
    profiles = make_profiles(n, distinct)
    verdict = {}
    for name in ("minilm", "tfidf"):
        embedder = load_embedder(name)
        started = time.perf_counter()
        index = build_index(profiles, embedder)
        built = time.perf_counter() - started
        arrays = (
            sum(
                getattr(v, "nbytes", 0) or (getattr(v, "data", np.zeros(0)).nbytes * 2)
                for v in (
                    index.offers,
                    index.wants,
                    index.offers_row,
                    index.wants_row,
                    index.offset,
                    index.trust,
                    index.responsiveness,
                    index.capacity,
                    index.department,
                    index.has_offers,
                    index.has_wants,
                )
            )
            + index.languages.data.nbytes * 3
        )
        seekers = rng.integers(n, size=len(goals))
        recommend(index, Query(goals[0], seeker=profiles[0]), k=10)  # warm up
        total, embed, scoring = [], [], []
        for goal, s in zip(goals, seekers, strict=True):
            query = Query(goal, seeker=profiles[s])
            index._text_cache.clear()
            t0 = time.perf_counter()
            recommend(index, query, k=10)
            t1 = time.perf_counter()
            index._text_cache.clear()
            index.vectors([goal])
            t2 = time.perf_counter()
            scores, eligible, _ = score_all(index, query)
            cand = np.flatnonzero(eligible)
            np.argpartition(-scores[cand], 9)[:10]
            t3 = time.perf_counter()
            total.append(t1 - t0)
            embed.append(t2 - t1)
            scoring.append(t3 - t2)
        verdict[name] = (float(np.median(total)), float(np.percentile(total, 95)))
        out.append(
            f"| {name} | {built:.1f} s ({len(index.offers_row):,} profiles, "
            f"{index.offers.shape[0]:,} distinct offer texts) | {arrays / 2**20:.0f} MiB | "
            f"**{_median_ms(total)}** · {_p95_ms(total)} | {_median_ms(embed)} | "
            f"{_median_ms(scoring)} |"
        )
        if name == "minilm":
            minilm_index = index
    index = minilm_index
    goal_vec = index.vectors([goals[0]])
    sub = min(n, 10_000)
    small = build_index(profiles[:sub], index.embedder)
    started = time.perf_counter()
    python_loop_scores(small, goal_vec, 0.0)
    loop = (time.perf_counter() - started) * n / sub
    scores, eligible, _ = score_all(index, Query(goals[0], seeker=profiles[1]))
    started = time.perf_counter()
    np.argsort(-scores[eligible], kind="stable")[:10]
    full_sort = time.perf_counter() - started
    started = time.perf_counter()
    np.argpartition(-scores[eligible], 9)[:10]
    part = time.perf_counter() - started
    # Worst case for the arrays: every profile's text distinct (random unit vectors).
    dense = rng.standard_normal((n, index.offers.shape[1])).astype(np.float32)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        cos = dense @ goal_vec[0]
        np.argpartition(-cos, 9)[:10]
        times.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out += [
        "",
        "Baselines and variants, same run (MiniLM index):",
        "",
        f"- plain-Python loop over the candidates (fit, trust and time zone only; timed on "
        f"{sub:,} profiles, scaled to {n:,}): "
        f"about {loop:.2f} s per query.",
        f"- selecting the top 10 of the scores: full sort {1000 * full_sort:.1f} ms vs "
        f"argpartition {1000 * part:.1f} ms.",
        f"- if all {n:,} offer texts were distinct ({n:,} × {dense.shape[1]} float32 = "
        f"{dense.nbytes / 2**20:.0f} MiB per text field): the product and top 10 take "
        f"{_median_ms(times)} (median of 20), on top of the figures above.",
        f"- peak resident memory of the benchmark process: {rss:.0f} MiB (both indexes, the "
        f"{n:,} profiles as Python objects, the model).",
        f"- load average when this run started: {load:.1f} on 2 cores (the machine is shared "
        "with other work, so these latencies are pessimistic).",
        "",
        "### Ranking quality on the judged set",
        "",
        "| embedder | nDCG@10, whole-text cosine (before) | match cosine (the fit now) | "
        "`recommend` order |",
        "|---|---|---|---|",
    ]
    quality = {name: judged_ndcg(name) for name in ("minilm", "tfidf")}
    for name, q in quality.items():
        out.append(f"| {name} | {q['whole']:.3f} | **{q['match']:.3f}** | {q['recommend']:.3f} |")
    out += [
        "",
        "The averaging was chosen on this same set (the closest phrase alone scores lower than "
        "the whole text, the mean higher), so the gain is optimistic; the calibration "
        "(`CALIBRATION`) was re-read off the same set for the match cosine.",
        "",
        "### Goal",
        "",
    ]
    med, p95 = verdict["minilm"]
    out.append(
        f"- top 10 among {n:,} profiles in ≤ 50 ms per query after indexing, with MiniLM: "
        f"median {1000 * med:.1f} ms — "
        + ("**met**" if med <= 0.050 else "**not met**")
        + f", with a p95 of {1000 * p95:.1f} ms on this loaded machine"
        + (" (quick run: smaller size.)" if quick else ".")
    )
    before = 0.714
    match = quality["minilm"]["match"]
    out.append(
        f"- nDCG@10 on the judged set with MiniLM at least {before} (the whole-text cosine, "
        f"bench/RESULTS.md before this change): {match:.3f} — "
        + ("**met**" if match >= before else "**not met**")
        + "."
    )
    return "\n".join(out)
