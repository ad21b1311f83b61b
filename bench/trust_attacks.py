"""Attacks on a simulated community: sybils, rings, repeated thanks, whitewashing, traitors.

Every figure is measured on communities made by ``cairn.demo.simulator`` (the engine behind
``cairn simulate``), and the baselines (PageRank, EigenTrust with the same seeds as
pre-trusted peers, SybilRank, naive counts) are computed in the same run on the same events.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from bench.trust_common import (
    active_members,
    baselines,
    engine_events,
    percentile_of,
    to_sim_order,
)
from cairn.demo.simulator import DAY, START, simulate
from cairn.trust.engine import PRIVILEGE_THRESHOLD, compute_trust, events_from_arrays
from cairn.trust.engine.events import KIND_CODE

SEED = 7


def _scores(sim):
    """Return (ours, {baseline: scores}, events, result), all in simulation numbering."""
    ev = engine_events(sim)
    result = compute_trust(ev)
    ours = to_sim_order(ev, sim, result.trust)
    base = {name: to_sim_order(ev, sim, s) for name, s in baselines(ev, result.seeds).items()}
    return ours, base, ev, result


def _sybil(people, days, ks, gs):
    lines = [
        "### Sybil regions",
        "",
        "k sybil accounts join half-way, praise each other densely (thanks, credits, kept "
        "commitments, +1 ratings, quick responses, lessons) and fool g honest members once "
        "each (the g attack edges). *Share* = sybils' share of all trust; *best sybil pct* = "
        "the best sybil's percentile among active honest members (50 = the median member).",
        "",
        "| k | g | ours: share | ours: best sybil | honest median | ours: best sybil pct "
        "| PageRank pct | EigenTrust pct | SybilRank pct | sybils known |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    shares: dict[int, list[float]] = {}
    below = []
    known: dict[tuple[int, int], int] = {}
    for g in gs:
        for k in ks:
            sim = simulate(people, days, attack=f"sybil:{k}:{g}", seed=SEED)
            ours, base, ev, result = _scores(sim)
            syb = np.array([r == "sybil" for r in sim.role])
            known[k, g] = int(to_sim_order(ev, sim, result.certainty.trust_known)[syb].sum())
            honest = active_members(sim)
            share = ours[syb].sum() / ours.sum()
            shares.setdefault(g, []).append(share)
            best, med = ours[syb].max(), np.median(ours[honest])
            pct = [percentile_of(s[syb].max(), s[honest])[()] for s in (ours, *base.values())]
            if g <= 10:
                below.append(best < med)
            lines.append(
                f"| {k} | {g} | {share:.4f} | {best:.3f} | {med:.3f} | {pct[0]:.0f} | "
                f"{pct[1]:.0f} | {pct[2]:.0f} | {pct[3]:.0f} | {known[k, g]} |"
            )
    # Growth of the share from the second k to the last (k = 100 to 1,000 at full size).
    growth = {g: s[-1] / max(s[1 if len(s) > 2 else 0], 1e-12) for g, s in shares.items()}
    grows = [g for g, x in growth.items() if g <= 10 and x > 1.25]
    lines += [
        "",
        f"- Goal *for g ≤ 10 the sybils' share grows at most ×1.25 from k = {ks[-2]} to "
        f"{ks[-1]}*: "
        + ("**met**" if not grows else f"**not met** for g = {grows}")
        + " ("
        + "; ".join(f"g={g}: ×{x:.2f}" for g, x in growth.items())
        + "; shares "
        + "; ".join(f"g={g}: " + " → ".join(f"{x:.4f}" for x in s) for g, s in shares.items())
        + ").",
        "- Goal *for g ≤ 10 the best sybil stays below the median honest member*: "
        + ("**met**" if all(below) else f"**not met** in {below.count(False)} of {len(below)}")
        + ".",
        "- Goal *for g ≤ 10 no sybil reads a known trust*: "
        + ("**met**" if not any(v for (_, g), v in known.items() if g <= 10) else "**not met**")
        + " ("
        + ", ".join(f"k={k}, g={g}: {v}" for (k, g), v in known.items())
        + ").",
        "",
        "Why the share is bounded: trust enters a region only along its attack edges — each "
        "passes at most damping × max_share = 0.17 of its voucher's trust, and a level passes "
        "on at most 0.85 of what it holds — so the region's graph trust is at most "
        "g × 0.17 × 1.85 / 0.15 whatever its size (a Hypothesis property in "
        "`cairn/trust/engine/tests/test_graph.py`). On top of that, a region is a *closed "
        "group*: a component of the mutual-praise graph that holds no seed and receives "
        "nearly all its vouching from inside (the safeguards' ring rule made gradual, "
        "`graph.closed_groups`), and a small region is also *dense* (its pairs share many "
        "mutual partners, `graph.ring_likeness`). Vouching and praise inside such a group pass "
        "nothing, and each member's gate is multiplied by the share of their vouching that "
        "comes from outside the group, so the region's accounts read about 0 whatever their "
        "number; g = 50 is no longer enough to lift one above the median.",
    ]
    if grows:
        lines += [
            "",
            "Where the share still grows from k = 100 to 1,000, it grows from about nothing: "
            "the absolute shares are in the table.",
        ]
    return lines


def _ring(people, days, k):
    clean = simulate(people, days, seed=SEED)
    ring = simulate(people, days, attack=f"ring:{k}", seed=SEED)
    members = np.array([r == "ring" for r in ring.role])
    a_ours, a_base, _, _ = _scores(clean)
    b_ours, b_base, _, _ = _scores(ring)
    honest_a = active_members(clean) | members
    honest_b = active_members(ring) | members
    rows = []
    gains = {}
    for name, before, after in [("ours", a_ours, b_ours)] + [
        (n, a_base[n], b_base[n]) for n in a_base
    ]:
        p0 = percentile_of(before[members], before[honest_a])
        p1 = percentile_of(after[members], after[honest_b])
        gains[name] = float(np.mean(p1 - p0))
        rows.append(f"| {name} | {np.mean(p0):.1f} | {np.mean(p1):.1f} | {gains[name]:+.1f} |")
    ok = gains["ours"] <= 5
    why = [
        "",
        "Why: the ring's pairs praise each other daily and share eight mutual partners each "
        "(honest mutual pairs share at most four or five, 99 % at most four), so the ring is "
        "dense (`graph.ring_likeness`): its praise of itself passes nothing, in the evidence "
        "and in the vouching graph, whatever acts stand behind it, and each member's gate "
        "falls with the share of their vouching that comes from the ring. The members keep "
        "what colleagues outside the ring say of them, which is little beside the ring's "
        "flood, so they fall rather than rise. Mutual praise between colleagues who work for "
        "each other (help, answers, mentoring, commitments made) is no longer discounted: it "
        "is a working relationship.",
    ]
    return [
        "### Collusion ring",
        "",
        f"{k} real members praise each other every day for the second half (thanks, +1 "
        "ratings, kept confirmations, credits). Mean percentile of the ring members among "
        "active members, same community without and with the ring:",
        "",
        "| metric | without | with | gain (points) |",
        "|---|---|---|---|",
        *rows,
        "",
        "- Goal *a ring gains at most 5 percentile points*: "
        + ("**met**" if ok else "**not met**")
        + f" ({gains['ours']:+.1f}).",
        *why,
    ]


def _subset(ev, keep):
    return events_from_arrays(
        ev.people, ev.actor[keep], ev.subject[keep], ev.kind[keep], ev.time[keep], ev.value[keep]
    )


def _serial(people, days):
    sim = simulate(people, days, attack="serial", seed=SEED)
    ev = engine_events(sim)
    attacker = ev.index(sim.people[sim.role.index("serial")])
    target = ev.index(sim.people[sim.role.index("serial-target")])
    spam = np.zeros(len(ev), dtype=bool)
    spam[
        np.flatnonzero((ev.actor == attacker) & (ev.subject == target) & (ev.kind == 2))[-100:]
    ] = True
    first = np.flatnonzero(spam)[0]
    base_rows = ~spam
    one = base_rows.copy()
    one[first] = True
    results = {}
    for label, keep in (("none", base_rows), ("1 thanks", one), ("100 thanks", np.ones_like(one))):
        sub = _subset(ev, keep)
        r = compute_trust(sub, seeds=None)
        results[label] = (r.trust[target], r.generosity[target])
    d1 = results["1 thanks"][0] - results["none"][0]
    d100 = results["100 thanks"][0] - results["none"][0]
    g1 = results["1 thanks"][1] - results["none"][1]
    g100 = results["100 thanks"][1] - results["none"][1]
    ratio = d100 / d1 if d1 > 0 else float("inf")
    ok = abs(d100 - d1) <= 0.2 * max(abs(d1), 1e-9) or abs(d100 - d1) < 1e-4
    return [
        "### A hundred thanks from one person in a day",
        "",
        "| target's | no extra thanks | +1 thanks | +100 thanks (same day) |",
        "|---|---|---|---|",
        f"| trust | {results['none'][0]:.4f} | {results['1 thanks'][0]:.4f} | "
        f"{results['100 thanks'][0]:.4f} |",
        f"| generosity | {results['none'][1]:.4f} | {results['1 thanks'][1]:.4f} | "
        f"{results['100 thanks'][1]:.4f} |",
        "",
        f"- Goal *100 thanks count about as much as one*: {'**met**' if ok else '**not met**'} "
        f"(trust gain {d100:+.4f} vs {d1:+.4f}, ratio {ratio:.2f}; generosity gain "
        f"{g100:+.4f} vs {g1:+.4f}). Naive thanks-received counts 100 vs 1.",
    ]


def _whitewash(people, days):
    sim = simulate(people, days, attack="whitewash", seed=SEED)
    ours, base, ev, result = _scores(sim)
    fresh = sim.role.index("whitewash-new")
    honest = active_members(sim)
    rows = [f"| ours | {percentile_of(ours[fresh], ours[honest]):.0f} |"]
    rows += [f"| {n} | {percentile_of(s[fresh], s[honest]):.0f} |" for n, s in base.items()]
    pct = percentile_of(ours[fresh], ours[honest])
    fresh_known = bool(to_sim_order(ev, sim, result.certainty.trust_known)[fresh])
    return [
        "### Whitewashing",
        "",
        "A bad actor (lowest integrity, generosity and responsiveness) drops their account 30 "
        "days before the end and comes back under a fresh id, asking, thanking and making "
        "(mostly missed) commitments. Percentile of the fresh id among active members:",
        "",
        "| metric | fresh identity's percentile |",
        "|---|---|",
        *rows,
        "",
        f"- Goal *starts below the 25th percentile*: {'**met**' if pct < 25 else '**not met**'}"
        f" ({pct:.0f}).",
        f"- Goal *the fresh identity is not yet known*: "
        f"{'**not met**' if fresh_known else '**met**'}.",
    ]


def _traitor(people, days):
    sim = simulate(people, days, attack="traitor", seed=SEED)
    ev = engine_events(sim)
    who = ev.index(sim.people[sim.meta["traitor"]])
    turn = START + (days - 14) * DAY
    before = compute_trust(ev, at=turn)
    after = compute_trust(ev)
    honest = active_members(sim)
    b_t, a_t = before.trust[who], after.trust[who]
    b_p = percentile_of(
        to_sim_order(ev, sim, before.trust)[sim.meta["traitor"]],
        to_sim_order(ev, sim, before.trust)[honest],
    )
    a_p = percentile_of(
        to_sim_order(ev, sim, after.trust)[sim.meta["traitor"]],
        to_sim_order(ev, sim, after.trust)[honest],
    )
    ok = b_t >= PRIVILEGE_THRESHOLD > a_t
    scores = to_sim_order(ev, sim, before.trust)[honest]
    privileged = float(np.mean(scores >= PRIVILEGE_THRESHOLD) * 100)
    return [
        "### Traitor",
        "",
        "The most trustworthy established member starts missing every commitment (two new "
        "ones a day, all confirmed missed) and ignoring requests for the last 14 days. "
        f"Privilege threshold: trust ≥ {PRIVILEGE_THRESHOLD} (the engine's constant: better "
        f"than 'not yet known' behaviour; {privileged:.0f} % of active members were above it "
        "before the turn).",
        "",
        "| | trust | integrity | percentile |",
        "|---|---|---|---|",
        f"| before turning | {b_t:.3f} | {before.integrity[who]:.3f} | {b_p:.0f} |",
        f"| one recompute after 14 days | {a_t:.3f} | {after.integrity[who]:.3f} | {a_p:.0f} |",
        "",
        "- Goal *falls below the privilege threshold within one recompute*: "
        + ("**met**" if ok else "**not met**")
        + f" ({b_t:.3f} → {a_t:.3f}).",
    ]


def _integrity_counts(sim) -> dict[str, np.ndarray]:
    """Return plain-count estimates of integrity: Beta(1, 1) posteriors of what was confirmed.

    No weighting, time decay or defence against rings: what the confirmed outcomes and the
    ratings say when everyone is taken at their word, for the ceiling of the integrity figure.
    """
    n = len(sim.people)

    def received(kind, weights=None):
        sel = sim.kind == KIND_CODE[kind]
        w = None if weights is None else weights[sel]
        return np.bincount(sim.subject[sel], weights=w, minlength=n).astype(np.float64)

    kept, missed = received("kept"), received("missed")
    ratings, total = received("rated"), received("rated", sim.value)
    good = kept + 3 * (ratings + total) / 2
    bad = missed + 3 * (ratings - total) / 2
    return {
        "counts: kept / missed": (kept + 1) / (kept + missed + 2),
        "counts: kept / missed + ratings ×3": (good + 1) / (good + bad + 2),
    }


def _recovery(people, days, seeds):
    lines = [
        "### Recovery of latent trustworthiness",
        "",
        "Spearman correlation between each score and the latent trustworthiness (0.4 integrity "
        "+ 0.2 each of generosity, courage, responsiveness) over active members (≥ 20 events), "
        "no attack; median over communities with seeds " + ", ".join(map(str, seeds)) + ".",
        "",
    ]
    table: dict[str, list[float]] = {}
    integrity, known, among_known = [], [], []
    counts: dict[str, list[float]] = {}
    for seed in seeds:
        sim = simulate(people, days, seed=seed)
        ours, base, ev, result = _scores(sim)
        act = active_members(sim)
        tw = sim.trustworthiness
        for name, s in [("ours", ours), *base.items()]:
            table.setdefault(name, []).append(spearmanr(s[act], tw[act])[0])
        latent = sim.traits[:, 1]  # integrity
        integrity.append(spearmanr(to_sim_order(ev, sim, result.integrity)[act], latent[act])[0])
        for name, estimate in _integrity_counts(sim).items():
            counts.setdefault(name, []).append(spearmanr(estimate[act], latent[act])[0])
        is_known = to_sim_order(ev, sim, result.certainty.trust_known) > 0
        known.append(float(is_known[act].mean()))
        k = act & is_known
        among_known.append(spearmanr(ours[k], tw[k])[0])
    lines += ["| metric | Spearman (median) | min | max |", "|---|---|---|---|"]
    for name, vals in table.items():
        lines.append(f"| {name} | {np.median(vals):.3f} | {min(vals):.3f} | {max(vals):.3f} |")
    ours = np.median(table["ours"])
    naive = max(np.median(table["thanks received"]), np.median(table["mean rating"]))
    integ = float(np.median(integrity))
    share, rank = float(np.median(known)), float(np.median(among_known))
    lines += [
        f"| ours: integrity vs latent integrity | {integ:.3f} | {min(integrity):.3f} | "
        f"{max(integrity):.3f} |",
        *(
            f"| {name} vs latent integrity | {np.median(v):.3f} | {min(v):.3f} | {max(v):.3f} |"
            for name, v in counts.items()
        ),
        "",
        f"- Goal *Spearman ≥ 0.65*: {'**met**' if ours >= 0.65 else '**not met**'} ({ours:.3f}).",
        f"- Goal *integrity vs latent integrity ≥ 0.75*: "
        f"{'**met**' if integ >= 0.75 else '**not met**'} ({integ:.3f}).",
        f"- Goal *above naive counts*: {'**met**' if ours > naive else '**not met**'} "
        f"({ours:.3f} vs best naive {naive:.3f}).",
        f"- Goal *≥ 80 % of these members read a known overall trust*: "
        f"{'**met**' if share >= 0.8 else '**not met**'} ({100 * share:.0f} %, median; "
        f"{100 * min(known):.0f}–{100 * max(known):.0f} %).",
        f"- Goal *among them Spearman ≥ 0.65*: {'**met**' if rank >= 0.65 else '**not met**'} "
        f"({rank:.3f} median; {min(among_known):.3f}–{max(among_known):.3f}).",
    ]
    if ours < 0.65:
        lines += [
            "",
            "Why not: the scores shrink towards 0.5 where little weighted evidence reaches a "
            "member (the median member's word counts about 0.3 and the per-channel voice "
            "budget divides it further).",
        ]
    lines += [
        "",
        "Integrity: "
        + (
            "Latent integrity shows only through the outcomes of commitments (about seven "
            "confirmed per member in 180 days) and through ratings, which mix competence "
            "into it (about two per member). Taken at their word with no weighting, decay "
            "or defences, those counts rank it at "
            + " and ".join(
                f"{np.median(v):.3f} ({name.removeprefix('counts: ')})"
                for name, v in counts.items()
            )
            + " (the rows above), and the posterior mean of a model that knows the "
            "simulator's own formulas about 0.77 (measured separately on seeds 1–5). "
            "Evidence fades with a 180-day half-life, and recent behaviour pulls the score "
            "down only as far as the evidence says behaviour changed: the posterior "
            "probability of a change, comparing one Beta-Bernoulli rate throughout with "
            "one before and another since, at even odds before any evidence "
            "(`TrustParams.change_prior`). It replaced a pull that always followed worse "
            "recent evidence, which moved honest members by the noise of their last "
            "weeks. Measured by hand, seeds 11–15 (to choose) / 1–5 (these): integrity "
            "0.749 / 0.749 before, 0.752 / 0.753 after; overall 0.696 / 0.699 before, "
            "0.697 / 0.704 after; the traitor fell 0.621 → 0.412 before. Even odds are the "
            "indifferent prior, not a tuned value: the tuning seeds score less pull better "
            "all the way to where the traitor no longer falls (prior 0.1: 0.752 / 0.756, "
            "traitor to 0.481; 0.01: 0.752 / 0.757, traitor stays at 0.543; no pull at "
            "all: 0.757 here, traitor 0.556). Other ways of holding the record, measured "
            "and not taken: as 6 or 8 pseudo-observations (0.750 / 0.752, 0.751 / 0.753), "
            "as its own evidence (0.752 / 0.754, the traitor stays at 0.508). The prior's "
            "weight (1, 1.5, 2, 3, 4 a side: 0.751, 0.751, 0.749, 0.743, 0.737 on seeds "
            "11–15) would be chosen at 1.5, which gives 0.749 here; it stays 2. Earlier, "
            "from 0.680, the integrity score gained by counting every colleague the "
            "vouching graph backs as one witness rather than by standing (+0.04: the "
            "median member's confirmation counted a third of a well-connected one's), a "
            "rating as three confirmations (+0.02; picked from 1–4 on seeds 11–15, not "
            "these) and judging recent behaviour against the track record rather than "
            "against 'not yet known' (+0.007). Weighting a confirmed outcome of a "
            "commitment that was made more (`TrustParams.concrete`) lowered the figure "
            "and is off."
        ),
    ]
    return lines


def run(quick: bool) -> str:
    """Run the attack benchmarks and return the Markdown section."""
    people, days = (300, 120) if quick else (1000, 180)
    ks, gs = ((10, 100), (1, 10)) if quick else ((10, 100, 1000), (1, 10, 50))
    parts = [
        "## Trust under attack (simulated communities)",
        "",
        f"{people} honest members over {days} days (`cairn simulate --people {people} --days "
        f"{days} --seed {SEED}` plus the attack); default seeds (the most established "
        "members), used as the pre-trusted peers of EigenTrust and the seeds of SybilRank too.",
        "",
    ]
    parts += _sybil(people, days, ks, gs) + [""]
    parts += _ring(people, days, 10) + [""]
    parts += _serial(people, days) + [""]
    parts += _whitewash(people, days) + [""]
    parts += _traitor(people, days) + [""]
    parts += _recovery(people, days, (1, 2, 3) if quick else (1, 2, 3, 4, 5))
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(run(quick=True))
