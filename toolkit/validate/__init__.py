"""Validation (DESIGN §3): raw sheets → typed records, and every problem of every row with its
sheet!cell, returned as values. Each family's cross-row checks are a module of its name
(duty, meetings, proposals); `validate()` runs the workbook's."""

from .workbook import validate

__all__ = ["validate"]
