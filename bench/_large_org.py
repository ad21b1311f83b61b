"""The large organisation the scale goals are judged on, and the command that builds it: one
place for the benchmarks that measure it (pages, load, load_compare, live_trust). Plain
constants, so that modules which never set Django up can read them; the slug is
``cairn.demo.large.SLUG``."""

SLUG = "meridian"
#: ``cairn`` arguments (or ``call_command`` ones) that build it: 10,000 people, a year of life.
BUILD_ARGS = ("demo", "--people", "10000", "--days", "365")
BUILD_HINT = "cairn " + " ".join(BUILD_ARGS)
