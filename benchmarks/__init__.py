"""Benchmark scenarios and scripts (not part of the installed package)."""
