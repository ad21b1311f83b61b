"""Run the benchmarks and write bench/RESULTS.md.

Every module ``bench/<name>.py`` that defines ``run(quick: bool) -> str`` is a benchmark: it
measures its subject *and* its baselines in the same run and returns a Markdown section. Each
section is saved as ``bench/results/<name>.md`` under its own header (machine, date, exact
command), and RESULTS.md is rebuilt from all saved sections, so one benchmark can be re-run
without re-running the others.

    python -m bench                 # every benchmark, full size
    python -m bench trust_bitcoin   # only the named ones
    python -m bench --quick         # smaller sizes, for a smoke run
"""

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"


def machine_facts() -> str:
    """Return a short description of this machine for the results header."""
    import numpy as np

    try:
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "unknown"
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"- Machine: {cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.system()} "
        f"{platform.release()}\n"
        f"- Python {platform.python_version()}, numpy {np.__version__}\n"
    )


def discover() -> list[str]:
    """Return the names of the benchmark modules beside this file."""
    return sorted(
        p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem != "common"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    RESULTS_DIR.mkdir(exist_ok=True)
    for name in args.names or discover():
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        print(f"== {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        body = module.run(quick=args.quick)
        took = time.perf_counter() - started
        command = f"python -m bench {name}" + (" --quick" if args.quick else "")
        header = (
            f"<!-- {name} -->\n"
            f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; command: `{command}` "
            f"(took {took:.0f} s)\n" + machine_facts()
        )
        (RESULTS_DIR / f"{name}.md").write_text(header + "\n" + body.rstrip() + "\n")
    write_results()


def write_results() -> None:
    """Rebuild RESULTS.md from every saved section."""
    parts = [p.read_text() for p in sorted(RESULTS_DIR.glob("*.md"))]
    intro = (
        "# Benchmark results\n\n"
        "Made by `make bench` (every benchmark) or `python -m bench NAME` (one). Each section\n"
        "names the machine, the date and the exact command it was measured with; baselines are\n"
        "measured in the same run as what they are compared with.\n"
    )
    (HERE / "RESULTS.md").write_text(intro + "\n" + "\n---\n\n".join(parts))
    print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
