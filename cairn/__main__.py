"""The ``cairn`` command: this project's manage.py.

The data tools (``cairn trust scores|predict|explain``, ``cairn simulate``, ``cairn match``) work
on files only, so they run without starting Django; everything else, ``cairn trust recompute``
included, is a Django management command.
"""

import importlib
import os
import sys

FILE_TOOLS = {
    "trust": "cairn.trust.cli",
    "simulate": "cairn.demo.simulate_cli",
    "match": "cairn.matching.cli",
}


#: Subcommands of a file tool that need the database: they go to the management command instead.
DJANGO_SUBCOMMANDS = {"trust": {"recompute"}}


def _is_django_subcommand(argv: list[str]) -> bool:
    """Return whether ``argv`` names a database subcommand of a file tool."""
    return len(argv) > 2 and argv[2] in DJANGO_SUBCOMMANDS.get(argv[1], set())


def main(argv: list[str] | None = None) -> None:
    """Run one ``cairn`` command and exit with its status."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in FILE_TOOLS and not _is_django_subcommand(argv):
        tool = importlib.import_module(FILE_TOOLS[argv[1]])
        sys.exit(tool.main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
