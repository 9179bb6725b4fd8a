"""Reading (DESIGN §3): the station workbook as raw sheets of cells with headers matched to the
contract (.xlsx streamed by the self-contained `xlsx_stream`, .xls/.ods by python-calamine), and
the Markdown a clerk writes beside it (proposal drafts, a deputy's own words). Nothing here knows
a value's type or a template."""

from .workbook import RawRow, RawSheet, Workbook, read_workbook
from .xlsx_stream import NoValue

__all__ = ["NoValue", "RawRow", "RawSheet", "Workbook", "read_workbook"]
