"""``cairn match``: recommendations and program matching on files, without Django.

    cairn match recommend PROFILES.csv --goal "free text" [--skills "A;B"] [--for PERSON] [--k 10]
    cairn match program PROGRAM.json [--out ASSIGNMENT.csv]

``recommend`` writes CSV ``person,score,reasons``, best first. ``program`` writes CSV
``mentee,mentor,score,reasons`` and a summary (matched, total, worst-matched mentee) on standard
error. Bad input gets one clear message naming the line and column, or the JSON path, and exit
status 2. See docs/matching-program.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cairn.matching.engine.assign import InfeasibleAssignment
from cairn.matching.engine.index import build_index
from cairn.matching.engine.profiles import NEUTRAL, Profile, parse_languages, utc_offset_hours
from cairn.matching.engine.program import ProgramError, match_program, parse_program
from cairn.matching.engine.reasons import Reason
from cairn.matching.engine.recommend import MODES, Query, recommend
from cairn.matching.engine.text import ModelUnavailable, load_embedder
from cairn.matching.wording import reasons_text

REQUIRED = ("person", "department", "timezone", "languages", "offers", "wants", "capacity")
EMBEDDERS = ("auto", "minilm", "minilm-static", "tfidf")


class InputError(Exception):
    """Bad input: the message is shown as is and the command exits with status 2."""


def read_profiles(path: Path) -> list[Profile]:
    """Return the profiles of a PROFILES.csv file.

    Raises
    ------
    InputError
        Naming the file, line and column of the first problem.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{path}: line 1 (header): missing column(s) {', '.join(missing)}")
    reader.fieldnames = header
    profiles: list[Profile] = []
    seen: dict[str, int] = {}
    zones: dict[str, bool] = {}
    for row in reader:
        line = reader.line_num

        def bad(column: str, message: str, line: int = line) -> InputError:
            return InputError(f"{path}: line {line}, column {column!r}: {message}")

        if None in row:
            raise bad("(extra)", "more fields than the header has")
        cells = {k: (v or "").strip() for k, v in row.items()}
        person = cells["person"]
        if not person:
            raise bad("person", "empty")
        if person in seen:
            raise bad("person", f"{person!r} already appears on line {seen[person]}")
        seen[person] = line
        tz = cells["timezone"]
        if tz:
            if tz not in zones:
                try:
                    utc_offset_hours(tz)
                    zones[tz] = True
                except ValueError:
                    zones[tz] = False
            if not zones[tz]:
                raise bad("timezone", f"{tz!r} is not an IANA time zone (like Europe/Paris)")
        try:
            capacity = int(cells["capacity"] or "0")
        except ValueError:
            raise bad("capacity", f"{cells['capacity']!r} is not a whole number") from None
        if capacity < 0:
            raise bad("capacity", f"{capacity} is negative")
        unit = {}
        for column in ("trust", "responsiveness"):
            raw = cells.get(column, "")
            if not raw:
                unit[column] = NEUTRAL
                continue
            try:
                value = float(raw)
            except ValueError:
                raise bad(column, f"{raw!r} is not a number") from None
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise bad(column, f"{raw} is not between 0 and 1")
            unit[column] = value
        profiles.append(
            Profile(
                person=person,
                department=cells["department"],
                timezone=tz,
                languages=parse_languages(cells["languages"]),
                offers=cells["offers"],
                wants=cells["wants"],
                capacity=capacity,
                manager=cells.get("manager", ""),
                trust=unit["trust"],
                responsiveness=unit["responsiveness"],
            )
        )
    return profiles


def _write(rows: list[dict[str, str]], columns: Sequence[str], out: str | None) -> None:
    if out:
        try:
            handle: TextIO = open(out, "w", newline="", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"{out}: cannot write the file ({exc.strerror})") from None
    else:
        handle = sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if out:
            handle.close()


def _embedder(name: str):
    try:
        return load_embedder(name)
    except ModelUnavailable as exc:
        raise InputError(f"--embedder {name}: {exc}") from None


def _score(score: float) -> str:
    return f"{score:.3f}"


def _reasons(reasons: Sequence[Reason]) -> str:
    return "; ".join(reasons_text(reasons))


def cmd_recommend(args: argparse.Namespace) -> int:
    profiles = read_profiles(Path(args.profiles))
    if args.k < 1:
        raise InputError("--k: must be 1 or more")
    if not args.goal.strip():
        raise InputError("--goal: must not be empty")
    seeker = None
    if args.for_person:
        seeker = next((p for p in profiles if p.person == args.for_person), None)
        if seeker is None:
            raise InputError(f"--for: no person {args.for_person!r} in {args.profiles}")
    index = build_index(profiles, _embedder(args.embedder))
    exclude = frozenset(x.strip() for x in args.exclude.split(";") if x.strip())
    skills = [x.strip() for x in args.skills.split(";") if x.strip()]
    query = Query(args.goal, seeker, args.mode, exclude, skills)
    rows = [
        {"person": r.person, "score": _score(r.score), "reasons": _reasons(r.reasons)}
        for r in recommend(index, query, k=args.k)
    ]
    _write(rows, ("person", "score", "reasons"), args.out)
    return 0


def cmd_program(args: argparse.Namespace) -> int:
    path = Path(args.program)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    try:
        program = parse_program(data)
        result = match_program(program, _embedder(args.embedder))
    except ProgramError as exc:
        raise InputError(f"{path}: {exc}") from None
    except InfeasibleAssignment as exc:
        raise InputError(f"{path}: {exc}") from None
    rows = [
        {
            "mentee": m.mentee,
            "mentor": m.mentor or "",
            "score": "" if m.score is None else _score(m.score),
            "reasons": _reasons(m.reasons),
        }
        for m in result.rows
    ]
    _write(rows, ("mentee", "mentor", "score", "reasons"), args.out)
    s = result.summary
    other = "fair" if s["objective"] == "total" else "total"
    print(
        f"matched {s['matched']} of {s['mentees']} mentees (objective {s['objective']}); "
        f"total {s['total']:.3f}; worst-matched mentee {s['worst_mentee']} at {s['worst']:.3f}. "
        f"With objective {other}: total {s[f'{other}_total']:.3f}, "
        f"worst {s[f'{other}_worst']:.3f}.",
        file=sys.stderr,
    )
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``cairn match``."""
    top = argparse.ArgumentParser(prog="cairn match", description=__doc__.split("\n\n")[0])
    sub = top.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("recommend", help="rank people for a goal, with reasons")
    rec.add_argument("profiles", metavar="PROFILES.csv")
    rec.add_argument("--goal", required=True, help="the goal, in free text")
    rec.add_argument("--for", dest="for_person", metavar="PERSON", help="who is asking")
    rec.add_argument("--k", type=int, default=10, help="how many to list (default 10)")
    rec.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
    rec.add_argument(
        "--mode",
        choices=MODES,
        default="mentor",
        help="mentors (default), peers learning the same, or communities",
    )
    rec.add_argument(
        "--exclude",
        default="",
        metavar="A;B",
        help="people never to list, e.g. those who declined recently",
    )
    rec.add_argument(
        "--skills",
        default="",
        metavar="A;B",
        help="skills the goal names; people listing one by name in offers (wants) rank first",
    )
    rec.add_argument("--embedder", choices=EMBEDDERS, default="auto")
    rec.set_defaults(func=cmd_recommend)
    prog = sub.add_parser("program", help="assign a mentoring program's mentees to mentors")
    prog.add_argument("program", metavar="PROGRAM.json")
    prog.add_argument("--out", metavar="ASSIGNMENT.csv", help="default: stdout")
    prog.add_argument("--embedder", choices=EMBEDDERS, default="auto")
    prog.set_defaults(func=cmd_program)
    return top


def main(argv: list[str]) -> int:
    """Run ``cairn match`` with ``argv`` (without the program name); return the exit status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return int(exc.code or 0)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"cairn match: {exc}", file=sys.stderr)
        return 2
