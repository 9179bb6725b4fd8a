"""The plain data types that cross the stages (DESIGN §3): what validation makes (`Record`,
`Dataset`, `Rejects`), what planning makes (`Document`), and the run's settings the planners see
(`Period`, `PlanEnv`). Nothing here reads a file or renders a template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ERROR, Problem
from .forms import FormDef
from .names import Roster, Stations
from .records import Records, RowStore

if TYPE_CHECKING:
    from .rules import Rules

T = TypeVar("T")


@dataclass(frozen=True)
class Record:
    sheet: str  # contract sheet name
    title: str  # the sheet's title in the file
    row: int
    values: dict[str, Any]  # contract column name → typed value (None when blank)
    extra: dict[str, str]  # unknown columns: header → text
    digest: str  # SHA-256 of the input cells, for the manifest
    cols: dict[str, int] = field(default_factory=dict)  # column name → 1-based column in the file

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@dataclass
class Dataset:
    # sheet → good rows: a list, or Records (records.py) which moves a big sheet to disk
    records: dict[str, Sequence[Record]] = field(default_factory=dict)
    rejected: dict[str, list[int]] = field(default_factory=dict)  # sheet → rejected row numbers
    read: dict[str, int] = field(default_factory=dict)  # sheet → rows read
    drafts: dict[str, int] = field(default_factory=dict)  # drafts folder → files read
    rejected_drafts: dict[str, list[str]] = field(default_factory=dict)  # folder → file names
    problems: list[Problem] = field(default_factory=list)
    roster: Roster = field(default_factory=lambda: Roster([]))
    stations: Stations = field(default_factory=lambda: Stations([], known=False))
    has_roster: bool = False
    rejected_names: dict[str, int] = field(default_factory=dict)  # roster name → its bad row
    unique_values: dict[str, list[tuple[Any, int]]] = field(
        default_factory=dict
    )  # for _check_unique
    # What is worked out once per dataset (look-up indexes, scores, the checked proposals), kept
    # by the dataset itself rather than in module caches keyed by id(): see `cached`.
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)
    _versions: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def rows(self, sheet: str) -> Sequence[Record]:
        return self.records.get(sheet, ())

    def set_rows(self, sheet: str, rows: Sequence[Record]) -> None:
        """Replace a sheet's good rows (after rows were rejected): what was worked out from the
        old ones is not used again."""
        self.records[sheet] = rows
        self._versions[sheet] = self._versions.get(sheet, 0) + 1

    def cached(self, key: Hashable, make: Callable[[], T], sheets: Iterable[str] = ()) -> T:
        """`make()`, once per dataset and `key` while the rows of `sheets` stay the same."""
        full = (key, tuple((s, self._versions.get(s, 0)) for s in sheets))
        if full not in self._memo:
            self._memo[full] = make()
        return self._memo[full]  # type: ignore[no-any-return]


class Rejects:
    """Cross-row checks of one family (meetings, duty ratings …): each problem is reported with
    its cell, and the rows with errors leave the good records once all checks have run."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.rows: dict[str, set[int]] = {}

    def add(
        self, record: Record, column: str, message: str, hint: str = "", severity: str = ERROR
    ) -> None:
        col = record.cols.get(column, 0)
        self.data.problems.append(
            Problem(record.title, record.row, message, column if col else "", col, severity, hint)
        )
        if severity == ERROR:
            self.rows.setdefault(record.sheet, set()).add(record.row)

    def apply(self) -> None:
        for sheet, rows in self.rows.items():
            self.data.set_rows(
                sheet, Records(r for r in self.data.rows(sheet) if r.row not in rows)
            )
            rejected = self.data.rejected.setdefault(sheet, [])
            rejected.extend(sorted(rows - set(rejected)))


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, date: dt.date | None) -> bool:
        if not self.bounded:
            return True
        if date is None:
            return False
        return (self.start is None or date >= self.start) and (self.end is None or date <= self.end)

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class PlanEnv:
    """What every planner may consult besides the records: the run's settings."""

    rules: Rules
    period: Period = Period()
    today: dt.date = field(default_factory=dt.date.today)
    scoring: Any = None  # ScoringRules, loaded only when a scoring form is built
    duty_rules: Any = None  # DutyRules (述职评议等次); None: the default file
    calendar: Any = None  # Calendar (节假日, working days: 办理时限, 接待日); None: the default
    on_duty: int = 2  # deputies a reception day's rota takes (接待日值班人数)
    year: int | None = None  # --year: the scoring year when no period says it
    quarter: int | None = None  # --quarter: the 公示 covers 1 January to the quarter's end
    copies: int = 1  # --copies: ballots per meeting or deputy in one file
    texts: Path | None = None  # --texts: the deputies' own words for duty reports
    as_of: dt.date | None = None  # --as-of: the date overdue flags are judged on
    proposals: Path | None = None  # --proposals: a folder of proposal drafts
    combined: bool = False  # --combined: one print-ready file per meeting as well
    rows_dir: Path | None = None  # where a long register's rows go on disk (the output folder)
    books: Any = None  # BookRules (届期, 督办); None: the default file
    term: Any = None  # --term: a Term; the 代表履职档案 covers it instead of a year


@dataclass
class Document:
    form: FormDef
    name_parts: list[str]  # filled filename pattern, before the title and the extension
    context: dict[str, Any]
    sources: list[tuple[str, int, str]]  # (sheet, row, row digest)

    def input_hash(self, fmt: str, form_digest: str = "") -> str:
        h = hashlib.sha256((form_digest or self.form.digest(fmt)).encode())
        text = json.dumps(self.context, ensure_ascii=False, sort_keys=True, default=_hashable)
        h.update(text.encode())
        return h.hexdigest()


def _hashable(value: Any) -> Any:
    """What stands for a value JSON cannot hold in a document's input hash: a register's rows on
    disk by the hash of their content (never their repr, which names only the count)."""
    if isinstance(value, RowStore):
        return {"rows": len(value), "sha256": value.content_hash()}
    if isinstance(value, dt.date | dt.time):
        # Tagged: a date must not hash as the text that prints the same (an Excel date cell
        # is not a text cell), and not as its Chinese text, which a format could change.
        return {type(value).__name__: value.isoformat()}
    return str(value)


ProgressFn = Callable[[int, int], None]  # (documents done, documents in all)


@dataclass
class BuildOptions:
    workbook: Path | None = None
    out: Path = Path("outputs")
    only: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    jobs: int | None = None
    keep_going: bool = False
    strict: bool = False
    rules: Path | tuple[Path, ...] | None = None  # --rules, repeatable: each file read by its keys
    forms_dir: Path | None = None
    today: dt.date | None = None
    pdf_from: str = "html"  # or "docx": convert the Word output with LibreOffice
    cluster: str | None = None  # --cluster: a Dask scheduler's address, or local[:N]
    # Family settings, passed to the planners through PlanEnv.
    year: int | None = None
    quarter: int | None = None
    copies: int = 1
    texts: Path | None = None
    as_of: dt.date | None = None
    proposals: Path | None = None
    level: str | None = None  # --level: the congress 议案 go to, instead of the lead's 代表层级
    combined: bool = False
    term: str | None = None  # --term 2022-2026; "" for the term of the rules file (届期)
    wait: bool = False  # --wait: queue behind a run already writing into `out`, not refuse


@dataclass
class BuildResult:
    workbook: Path
    out: Path
    data: Dataset
    written: Counter[tuple[str, str]] = field(default_factory=Counter)  # (form title, fmt) → n
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # stale files of earlier runs, deleted
    blocked: bool = False  # rows were rejected and nothing was written
    strict_failed: bool = False

    @property
    def rows_read(self) -> int:
        return sum(self.data.read.values())

    @property
    def rows_rejected(self) -> int:
        return sum(len(rows) for rows in self.data.rejected.values())

    @property
    def documents(self) -> int:
        return sum(self.written.values())

    @property
    def exit_code(self) -> int:
        return 1 if self.rows_rejected or self.data.errors or self.strict_failed else 0
