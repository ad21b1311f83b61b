"""Benchmarks: ``make bench`` runs every ``bench/*.py`` module and writes bench/RESULTS.md."""
