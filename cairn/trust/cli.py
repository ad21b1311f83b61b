"""``cairn trust``: trust scores, rating predictions and explanations from an event CSV.

    cairn trust scores EVENTS.csv --out SCORES.csv [--seeds ID,ID,...] [--at TIME] [--skip-bad]
    cairn trust predict EVENTS.csv PAIRS.csv --out PRED.csv [--skip-bad]
        (PAIRS: actor,subject[,time]; each pair predicted as of its time, else the last event)
    cairn trust explain EVENTS.csv PERSON [--viewer ID] [--json]

Runs without Django. Bad input gives a message naming the line and column and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

# A run is single-threaded: its only dense matrix products are (people, 4) by 4, after each of
# which OpenBLAS's other threads spin idle (measured at 1M events: 0.07-0.2 s of CPU time, the
# same scores). OpenBLAS reads this when numpy loads it, so before the import; a value already
# set stands.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

EXIT_BAD_INPUT = 2
SCORE_COLUMNS = ("trust", "generosity", "courage", "integrity", "responsiveness")


class BadInput(Exception):
    """Input the user must fix; the message says where."""


class Progress:
    """The run's steps as a rich progress bar on stderr; nothing at all when not enabled.

    Use it as a context manager so the bar is closed before an error is written. rich is
    imported only when the bar is shown.
    """

    def __init__(self, steps: list[str], enabled: bool) -> None:
        self.total, self.done, self.bar = len(steps), 0, None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                redirect_stdout=False,  # results go to stdout, never through the bar
            )
            self.task = self.bar.add_task("starting", total=self.total)

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.stop()

    def step(self, label: str) -> None:
        """Mark the start of the next step."""
        if self.bar is not None:
            self.bar.update(self.task, description=label, completed=self.done)
        self.done += 1

    def finish(self) -> None:
        """Complete the bar and take it off the screen's live area."""
        if self.bar is not None:
            self.bar.update(self.task, description="done", completed=self.total)
            self.bar.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cairn trust", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("events", help="event CSV (the trust event contract)")
    common.add_argument("--skip-bad", action="store_true", help="skip and count bad rows")
    common.add_argument("--seeds", help="comma-separated seed ids (default: most established)")
    common.add_argument("--at", help="reference time: Unix seconds or ISO-8601 with a zone")
    common.add_argument(
        "--progress",
        choices=("auto", "yes", "no"),
        default="auto",
        help="progress bar on stderr (auto: for big files when stderr is a terminal)",
    )
    scores = sub.add_parser("scores", parents=[common], help="trust of everyone in the events")
    scores.add_argument("--out", required=True, help="output CSV")
    predict = sub.add_parser("predict", parents=[common], help="predict ratings for pairs")
    predict.add_argument(
        "pairs", help="CSV with header actor,subject[,time] (predict as of that time)"
    )
    predict.add_argument("--out", required=True, help="output CSV")
    explain = sub.add_parser("explain", parents=[common], help="explain one person's trust")
    explain.add_argument("person")
    explain.add_argument("--viewer", help="also explain how much this person can trust them")
    explain.add_argument("--json", action="store_true", help="print structured JSON")
    return parser


def _load(args, progress):
    from cairn.trust.engine import EventError, load_events
    from cairn.trust.engine.csv_io import parse_time

    progress.step("reading events")
    try:
        events = load_events(args.events, skip_bad=args.skip_bad)
    except EventError as exc:
        raise BadInput(f"{args.events}: {exc}") from None
    except OSError as exc:
        raise BadInput(f"{args.events}: {exc.strerror or exc}") from None
    if events.skipped:
        sys.stderr.write(f"skipped {events.skipped} bad rows\n")
    at = None
    if args.at:
        try:
            at = parse_time(args.at)
        except ValueError:
            raise BadInput(f"--at {args.at!r}: not Unix seconds or ISO-8601 with a zone") from None
    seeds = [s for s in args.seeds.split(",") if s] if args.seeds else None
    if seeds:
        unknown = [s for s in seeds if events.index(s) < 0]
        if unknown:
            sys.stderr.write(f"ignoring seeds not in the events: {', '.join(unknown)}\n")
    return events, seeds, at


def _trust(args, progress, advice: bool = True):
    from cairn.trust.engine import TrustParams, compute_trust

    events, seeds, at = _load(args, progress)
    progress.step("computing trust")
    return events, compute_trust(events, seeds=seeds, at=at, params=TrustParams(advice=advice))


def _scores(args, progress) -> None:
    from cairn.trust.engine.csv_io import write_csv

    _, result = _trust(args, progress, advice=False)  # the scores file has no advice column
    progress.step("writing scores")
    is_seed = np.zeros(len(result.people), dtype=bool)
    is_seed[result.seeds] = True
    table = np.column_stack(
        [
            result.trust,
            result.dimensions,
            result.confidence,
            result.dimension_confidence,
            result.graph_score,
        ]
    )
    header = [
        "person",
        *SCORE_COLUMNS,
        "confidence",
        "generosity_confidence",
        "courage_confidence",
        "integrity_confidence",
        "responsiveness_confidence",
        "vouching",
        "seed",
    ]
    write_csv(args.out, header, [result.people, *np.clip(table, 0.0, 1.0).T, is_seed])


def _read_pairs(path) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Return the pairs and the moment of each (NaN: as of the last event)."""
    from cairn.trust.engine.csv_io import parse_time

    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader, [])]
            if header[:2] != ["actor", "subject"] or header[2:] not in ([], ["time"]):
                raise BadInput(f"{path}: line 1, column 1: the header must be actor,subject[,time]")
            pairs, times = [], []
            for row in reader:
                if not row:
                    continue
                if len(row) < 2 or not row[0]:
                    column = 1 if not row or not row[0] else 2
                    raise BadInput(
                        f"{path}: line {reader.line_num}, column {column}: missing "
                        + ("actor" if column == 1 else "subject")
                    )
                if not row[1]:
                    raise BadInput(f"{path}: line {reader.line_num}, column 2: missing subject")
                at = row[2].strip() if len(header) == 3 and len(row) > 2 else ""
                try:
                    times.append(parse_time(at) if at else np.nan)
                except ValueError:
                    raise BadInput(
                        f"{path}: line {reader.line_num}, column 3: bad time {at!r} "
                        "(not Unix seconds or ISO-8601 with a zone)"
                    ) from None
                pairs.append((row[0], row[1]))
            return pairs, np.array(times, dtype=np.float64)
    except OSError as exc:
        raise BadInput(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: the file is not UTF-8") from None


def _predict(args, progress) -> None:
    from cairn.trust.engine import behaviour_quality
    from cairn.trust.engine.csv_io import write_csv
    from cairn.trust.engine.events import RATED
    from cairn.trust.engine.predict import RatingModel

    pairs, times = _read_pairs(args.pairs)
    events, result = _trust(args, progress)
    progress.step("fitting the rating model")
    rated = (events.kind == RATED) & (events.actor != events.subject)
    u = np.array([events.index(a) for a, _ in pairs], dtype=np.int64)
    v = np.array([events.index(s) for _, s in pairs], dtype=np.int64)
    if rated.any():
        model = RatingModel().fit(
            events.actor[rated],
            events.subject[rated],
            events.value[rated],
            events.n_people,
            events.time[rated],
        )
        predicted = model.predict(u, v, times)
    else:
        # No ratings to learn from: what the behaviour says, centred on "not yet known" (0).
        quality = behaviour_quality(result.dimensions, result.params)
        predicted = np.where(v >= 0, 2.0 * quality[np.maximum(v, 0)] - 1.0, 0.0)
    predicted = np.clip(np.nan_to_num(predicted), -1.0, 1.0)
    progress.step("writing predictions")
    actors, subjects = zip(*pairs, strict=True) if pairs else ((), ())
    write_csv(args.out, ["actor", "subject", "predicted"], [actors, subjects, predicted])


def _explain(args, progress) -> None:
    from cairn.trust.engine import explain
    from cairn.trust.words import explanation_text

    events, result = _trust(args, progress)
    if events.index(args.person) < 0:
        raise BadInput(f"{args.person!r} does not appear in {args.events}")
    if args.viewer and events.index(args.viewer) < 0:
        raise BadInput(f"viewer {args.viewer!r} does not appear in {args.events}")
    progress.finish()
    explanation = explain(result, args.person, viewer=args.viewer)
    if args.json:
        print(json.dumps(explanation.as_dict(), indent=2))
    else:
        print(explanation_text(explanation))


def _reuse_freed_memory() -> None:
    """Keep the memory a run frees for its next arrays, rather than hand it back each time.

    A run allocates and frees arrays of one to a few hundred MB step after step; the first
    touch of each fresh page costs a fault in the kernel, and on a virtual machine that was
    most of the run's system time. pyarrow then allocates from the C library (not mimalloc,
    which returned pages and faulted them in again), and the C library keeps freed blocks of
    up to 32 MiB for reuse (glibc's ``mallopt``; elsewhere nothing changes). Measured on 1M
    events: system time 0.6-0.7 s fell to 0.2-0.4 s, the same peak memory.

    numpy asks for transparent huge pages for every array of 4 MiB and more
    (``NUMPY_MADVISE_HUGEPAGE``, numpy's "global state"); each such fault takes 2 MiB of memory
    the virtual machine has not touched yet, and the kernel may compact memory to find it. A run
    here touches its few hundred MB once, so ordinary pages, which reuse memory, cost less.
    Measured on 1M events, one run each way alternately: system time of the computation
    0.4-0.9 s with huge pages, 0.1 s without; user time 0.05 s more without. Whole runs: 3M
    events 3.6 s of CPU time without, 4.6 s with; at 10M, where most arrays are above the C
    library's 32 MiB and so mapped afresh each time, huge pages win: 18.7 s with, 19.9 s without.
    """
    import ctypes

    import pyarrow as pa

    try:  # numpy's switch behind NUMPY_MADVISE_HUGEPAGE, for this run only; private API
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        pass
    else:
        _set_madvise_hugepage(False)
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 32 * 2**20)
    libc.mallopt(m_trim_threshold, 2**30)


def _is_big(path) -> bool:
    """Return whether reading ``path`` takes long enough to show progress."""
    try:
        return os.path.getsize(path) > 20_000_000
    except OSError:
        return False


def main(argv: list[str]) -> int:
    """Run ``cairn trust`` with ``argv`` (without the program name); return the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors are status 2, --help is 0
        return int(exc.code or 0)
    steps = {
        "scores": ["reading", "computing", "writing"],
        "predict": ["reading", "computing", "fitting", "writing"],
        "explain": ["reading", "computing"],
    }[args.command]
    enabled = args.progress == "yes" or (
        args.progress == "auto" and sys.stderr.isatty() and _is_big(args.events)
    )
    from cairn.trust.engine import ConvergenceError

    run = {"scores": _scores, "predict": _predict, "explain": _explain}[args.command]
    _reuse_freed_memory()
    try:
        with Progress(steps, enabled) as progress:
            run(args, progress)
            if args.command != "explain":
                progress.finish()
    except BadInput as exc:
        sys.stderr.write(f"cairn trust: error: {exc}\n")
        return EXIT_BAD_INPUT
    except ConvergenceError as exc:
        sys.stderr.write(f"cairn trust: error: {exc}\n")
        return 1
    return 0
