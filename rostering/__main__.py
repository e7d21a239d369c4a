"""`python -m rostering` is the `rostering` command."""

from rostering.cli import main

main(prog_name="rostering")
