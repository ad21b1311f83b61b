"""``cairn simulate``: write a simulated community as an event CSV (and its truth).

cairn simulate --people N --days D [--attack sybil:K:G|ring:K|serial|whitewash|traitor]
               --out EVENTS.csv [--truth TRUTH.csv] [--seed S]
"""

from __future__ import annotations

import argparse
import sys

from cairn.demo.simulator import parse_attack, simulate


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def main(argv: list[str]) -> int:
    """Run ``cairn simulate`` with ``argv``; return the exit status."""
    parser = argparse.ArgumentParser(prog="cairn simulate", description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=_positive, required=True, help="honest members")
    parser.add_argument("--days", type=_positive, required=True, help="days simulated")
    parser.add_argument("--attack", help="sybil:K:G, ring:K, serial, whitewash or traitor")
    parser.add_argument("--out", required=True, help="event CSV to write")
    parser.add_argument("--truth", help="CSV of latent traits and attacker flags to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        parse_attack(args.attack)
        if args.people < 2:
            raise ValueError("--people must be at least 2")
    except ValueError as exc:
        sys.stderr.write(f"cairn simulate: error: {exc}\n")
        return 2
    sim = simulate(args.people, args.days, attack=args.attack, seed=args.seed)
    try:
        sim.write_events(args.out)
        if args.truth:
            sim.write_truth(args.truth)
    except OSError as exc:
        sys.stderr.write(f"cairn simulate: error: {exc}\n")
        return 2
    sys.stderr.write(f"wrote {sim.time.size} events about {len(sim.people)} people to {args.out}\n")
    return 0
