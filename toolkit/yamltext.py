"""YAML through libyaml when PyYAML was built with it: the rules and form files are read at
every build, and the pure-Python parser took a tenth of a small build's time."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """`yaml.safe_load`, faster; the same errors (with their line marks)."""
    return yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python


def compose(text: str) -> Any:
    """`yaml.compose` (nodes with their line marks), through the same loader."""
    return yaml.compose(text, Loader=_LOADER)
