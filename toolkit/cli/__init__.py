"""The `liaison` command line (DESIGN §3 cli/): click commands, a few lines each over the
library, with click's own words in Chinese (text.py)."""

from __future__ import annotations

from . import build, check, doctor, forms, proposal, score, workbook  # noqa: F401  the commands
from .app import cli

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv)
