"""Program matching: quality against greedy and random on simulated programs, and scale.

Simulated programs have a *known latent compatibility*: each mentee needs, and each mentor
offers, a mix of 8 latent skills; the compatibility of a pair is the cosine of the two mixes,
plus small mentor-quality and time-zone terms. Capacities are 1-4 slots, 2 % of pairs are
excluded, and pairs in the same department (10 departments) are forbidden.

Assignments compared, all from the same compatibility matrix in the same run:

- **optimal (total)**: `cairn.matching.engine.assign(objective="total")`;
- **optimal (fair)**: `assign(objective="fair")`, the worst-matched mentee first, then total;
- **greedy**: best remaining pair first;
- **random**: mentees in random order take a random allowed mentor with a free slot.

A second table assigns on *noisy* observed scores (latent + Gaussian noise) and scores the
result on the latent compatibility, as happens when the score only estimates the real fit.
"""

from __future__ import annotations

import os
import resource
import time
import tracemalloc

import numpy as np

from cairn.matching.engine.assign import assign, greedy_assign, random_assign

SEEDS = (0, 1, 2, 3, 4)


def simulate(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (latent compat, capacity, allowed) of a simulated program."""
    rng = np.random.default_rng(seed)
    needs = rng.dirichlet(np.full(8, 0.3), size=n)
    offers = rng.dirichlet(np.full(8, 0.3), size=m)
    needs /= np.linalg.norm(needs, axis=1, keepdims=True)
    offers /= np.linalg.norm(offers, axis=1, keepdims=True)
    quality = rng.beta(4, 3, size=m)
    tz_e, tz_m = rng.integers(-8, 10, n), rng.integers(-8, 10, m)
    d = np.abs(tz_e[:, None] - tz_m[None, :])
    overlap = np.maximum(0, 8 - np.minimum(d, 24 - d)) / 8
    compat = 0.7 * (needs @ offers.T) + 0.15 * quality[None, :] + 0.15 * overlap
    capacity = rng.integers(1, 5, size=m)
    dept_e, dept_m = rng.integers(0, 10, n), rng.integers(0, 10, m)
    allowed = (dept_e[:, None] != dept_m[None, :]) & (rng.random((n, m)) > 0.02)
    return compat, capacity, allowed


def _stats(compat, a) -> dict[str, float]:
    rows = np.flatnonzero(a.mentor >= 0)
    vals = compat[rows, a.mentor[rows]]
    return {
        "total": float(vals.sum()),
        "worst": float(vals.min()),
        "p10": float(np.percentile(vals, 10)),
        "matched": len(rows),
    }


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started


def quality_table(n: int, m: int, seeds, noise: float = 0.0) -> list[str]:
    """Return Markdown rows: median over seeds of each method's figures."""
    methods = ("optimal (total)", "optimal (fair)", "greedy", "random")
    figures: dict[str, list[dict[str, float]]] = {k: [] for k in methods}
    for seed in seeds:
        latent, capacity, allowed = simulate(n, m, seed)
        rng = np.random.default_rng(100 + seed)
        observed = latent + rng.normal(0, noise, latent.shape) if noise else latent
        runs = {
            "optimal (total)": _timed(assign, observed, capacity, allowed, "total"),
            "optimal (fair)": _timed(assign, observed, capacity, allowed, "fair"),
            "greedy": _timed(greedy_assign, observed, capacity, allowed),
            "random": _timed(
                random_assign, observed, capacity, allowed, np.random.default_rng(seed)
            ),
        }
        best = _stats(latent, runs["optimal (total)"][0])["total"]
        if noise:
            # The oracle: the optimum on the latent compatibility itself.
            best = _stats(latent, assign(latent, capacity, allowed, "total"))["total"]
        for name, (a, took) in runs.items():
            s = _stats(latent, a)
            s["share"] = s["total"] / best
            s["time"] = took
            figures[name].append(s)
    rows = []
    for name in methods:
        med = {k: float(np.median([f[k] for f in figures[name]])) for k in figures[name][0]}
        lo = min(f["share"] for f in figures[name])
        rows.append(
            f"| {name} | {med['matched']:.0f} | {med['total']:.1f} | "
            f"**{100 * med['share']:.2f} %** (min {100 * lo:.2f} %) | **{med['worst']:.3f}** | "
            f"{med['p10']:.3f} | {med['time']:.2f} s |"
        )
    return rows


CONTEXTS = (
    "",
    " in my new role",
    " before the end of the year",
    " now that I lead a team",
    " for a project next quarter",
    " because my manager asked me to",
    " this spring",
    " after coming back from leave",
    " as the only person on my team doing this",
    " so I can go for a promotion",
)


def end_to_end(n: int, m: int) -> list[str]:
    """Time `match_program` on a synthetic text program built from the judged set's phrases."""
    from cairn.matching.engine.evaluation import load_eval_set
    from cairn.matching.engine.profiles import Profile
    from cairn.matching.engine.program import Mentee, Program, match_program
    from cairn.matching.engine.recommend import phrases
    from cairn.matching.engine.text import load_embedder

    data = load_eval_set()
    pool = sorted({p for text in data.profiles.values() for p in phrases(text)})
    goals = list(data.goals.values())
    zones = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata")
    rng = np.random.default_rng(11)
    mentors = [
        Profile(
            f"m{j}",
            f"d{rng.integers(10)}",
            str(rng.choice(zones)),
            frozenset({"en"}),
            "; ".join(rng.choice(pool, 3, replace=False)),
            str(rng.choice(pool)),
            int(rng.integers(1, 5)),
        )
        for j in range(m)
    ]
    mentees = [
        Mentee(
            Profile(
                f"e{i}",
                f"d{rng.integers(10)}",
                str(rng.choice(zones)),
                frozenset({"en"}),
                str(rng.choice(pool)),
            ),
            str(rng.choice(goals)) + str(rng.choice(CONTEXTS)),
            tuple(f"m{j}" for j in rng.choice(m, 2, replace=False)),
        )
        for i in range(n)
    ]
    lines = [
        f"### End to end: `match_program` on a {n} × {m} text program",
        "",
        "Offers are three phrases drawn from the judged set's profiles; goals are its "
        "learner-phrased goals with a context appended; two picks each; fair objective. "
        "Includes embedding, the compatibility matrix, both objectives (the other one is "
        "reported for comparison) and reasons for every match.",
        "",
        "| embedder | matched | worst | time |",
        "|---|---|---|---|",
    ]
    program = Program(mentees, mentors, objective="fair")
    for name in ("minilm", "tfidf"):
        embedder = load_embedder(name)
        result, took = _timed(match_program, program, embedder)
        lines.append(
            f"| {name} | {result.summary['matched']} | {result.summary['worst']:.3f} | "
            f"**{took:.1f} s** |"
        )
    return lines


def run(quick: bool) -> str:
    """Measure assignment quality and scale; return the Markdown section."""
    small = (200, 100) if quick else (400, 200)
    large = (500, 250) if quick else (2000, 1000)
    seeds = SEEDS[:2] if quick else SEEDS
    assign(np.ones((2, 2)), np.array([1, 1]))  # warm up scipy before timing
    header = (
        "| method | matched | total compatibility | share of the optimum total | worst-matched "
        "mentee | 10th percentile | time |\n|---|---|---|---|---|---|---|"
    )
    out = [
        "## Matching: program assignment (`cairn.matching.engine.assign`)",
        "",
        __doc__.split("\n\n", 1)[1].strip(),
        "",
        f"### Exact scores, {small[0]} mentees × {small[1]} mentors (median of {len(seeds)} "
        "programs)",
        "",
        header,
        *quality_table(*small, seeds),
        "",
        f"### Noisy scores (σ = 0.05), evaluated on the latent compatibility, {small[0]} × "
        f"{small[1]}; share of the oracle optimum",
        "",
        header,
        *quality_table(*small, seeds, noise=0.05),
        "",
    ]
    load = os.getloadavg()[0]
    latent, capacity, allowed = simulate(*large, seed=7)
    slots = int(np.minimum(capacity, large[0]).sum())
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    total, t_total = _timed(assign, latent, capacity, allowed, "total")
    peak_total = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.reset_peak()
    fair, t_fair = _timed(assign, latent, capacity, allowed, "fair")
    peak_fair = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    greedy, t_greedy = _timed(greedy_assign, latent, capacity, allowed)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    st, sf, sg = _stats(latent, total), _stats(latent, fair), _stats(latent, greedy)
    out += [
        f"### Scale: {large[0]} mentees × {large[1]} mentors, {slots} slots (one program)",
        "",
        "| method | matched | total | worst | time |",
        "|---|---|---|---|---|",
        f"| optimal (total) | {st['matched']} | {st['total']:.1f} | {st['worst']:.3f} | "
        f"**{t_total:.1f} s** |",
        f"| optimal (fair) | {sf['matched']} | {sf['total']:.1f} | {sf['worst']:.3f} | "
        f"**{t_fair:.1f} s** |",
        f"| greedy | {sg['matched']} | {sg['total']:.1f} | {sg['worst']:.3f} | {t_greedy:.1f} s |",
        "",
        f"Memory: the slot cost matrix is {large[0]} × {slots} float64 = "
        f"{large[0] * slots * 8 / 2**20:.0f} MiB; peak traced allocations (numpy, via "
        f"tracemalloc) during the solve: total {peak_total:.0f} MiB, fair {peak_fair:.0f} MiB; "
        f"peak resident memory of the benchmark process {rss0:.0f} MiB before these solves, "
        f"{rss1:.0f} MiB after. (Total and fair were timed with tracemalloc on, which adds a "
        f"little; greedy without.) Load average before these solves: {load:.1f} on 2 cores "
        "(shared machine).",
        "",
        *end_to_end(*large),
        "",
        "### Reading",
        "",
        "- Greedy already gets within about 1-2 % of the optimum *total*; what the exact "
        "solver buys is the bottom of the distribution: greedy leaves its last mentees with "
        "whatever is left, and the fair objective lifts the worst-matched mentee well above it "
        "for a fraction of a percent of the total.",
        "- With noisy scores, both optimal assignments lose about 2.5 % against the oracle "
        "(the noise, not the solver), and the fair objective's edge over the total objective "
        "on the worst case mostly disappears: it maximises the worst *observed* score, which "
        "noise partly decides. Its edge over greedy remains.",
        "",
        "### Goals",
        "",
    ]
    fair_share = sf["total"] / st["total"]
    out.append(
        f"- ≥ 99 % of the optimum total: the total objective *is* the optimum (exact solver, "
        f"checked against brute force in the tests). The fair objective keeps "
        f"{100 * fair_share:.2f} % of it at {large[0]} × {large[1]} — "
        + ("**met**." if fair_share >= 0.99 else "**not met**.")
    )
    out.append(
        f"- Worst case clearly above greedy: fair {sf['worst']:.3f} vs greedy {sg['worst']:.3f} "
        f"at {large[0]} × {large[1]} — "
        + ("**met**." if sf["worst"] > sg["worst"] + 0.05 else "**not met**.")
    )
    slowest = max(t_total, t_fair)
    out.append(
        f"- {large[0]} × {large[1]} assigned in ≤ 30 s: total {t_total:.1f} s, fair "
        f"{t_fair:.1f} s — "
        + ("**met**." if slowest <= 30 else "**not met**.")
        + (" (quick run: smaller size, run without --quick for the goal.)" if quick else "")
    )
    return "\n".join(out)
