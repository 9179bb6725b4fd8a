"""`python -m toolkit`: the `liaison` command, where the console script is not on PATH."""

from toolkit.cli import cli

cli.main(prog_name="liaison")
