"""Malformed workbooks built by hypothesis — huge or repeated references, odd dimensions,
unknown cell types, broken shared strings, missing parts, entity bombs, merges everywhere,
.ods repeats, .xls values anywhere and damaged bytes — each checked by `liaison check` in a
process of its own under a memory cap and a time cap. Each must end in a clean read (the
check's summary, exit 0 or 1) or one line of Chinese starting with 错误： and exit 1; never
exit 3, a traceback, a kill, or more than the caps.

The default run tries a few batches; `pytest -m stress tests/hostile/test_fuzz.py -s` tries
many and prints the worst memory and time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import hostile_books as hb
import pytest
from hostile_books import STRESS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CAP_MB = 1024  # address space a check may add to the process (RLIMIT_AS)
CAP_SECONDS = 20  # a check is killed after this
RSS_LIMIT_MB = 400  # what a check may really use, above the process it starts in
TIME_LIMIT = 10.0
WORKER = Path(__file__).with_name("fuzz_worker.py")
WORST: dict[str, Any] = {
    "mb": 0.0,
    "mb_case": "",
    "seconds": 0.0,
    "seconds_case": "",
    "n": 0,
    "read": 0,
    "refused": 0,
}

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="fork, RLIMIT_AS and /proc are Linux's"
)


class Worker:
    def __init__(self) -> None:
        root = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(root)}
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(CAP_MB), str(CAP_SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        try:
            assert json.loads(self.readline()) == {"ready": True}
        except BaseException:
            self.process.kill()
            self.close()
            raise

    def readline(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the fuzz worker died"
        return line

    def check(self, path: Path) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        return json.loads(self.readline())

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def worker():
    running = Worker()
    yield running
    running.close()
    if WORST["n"]:
        print(
            f"\n{WORST['n']} malformed workbooks ({WORST['read']} read with the check's summary, "
            f"{WORST['refused']} refused in one line): worst memory {WORST['mb']:.0f} MB "
            f"({WORST['mb_case']}), worst time {WORST['seconds']:.2f} s ({WORST['seconds_case']})"
        )


class Bases(dict):
    def __repr__(self) -> str:  # hypothesis prints the fixtures of a failing case
        return "<the station workbook's parts>"


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("bases")
    book = hb.station_book(folder / "base.xlsx", receptions=3)
    shared = hb.to_shared_strings(book, folder / "shared.xlsx")
    with zipfile.ZipFile(shared) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    return Bases(parts=parts, sheet=hb.part_of(shared, "接待登记"))


# --- what can go wrong, as data (hypothesis prints these when a case fails) -------------------

ROW_REFS = ["0", "-1", "1048576", "1048577", "2147483648", "9" * 40, "", "x", "٣", "²", "1.5"]
LETTERS = ["A", "XFD", "XFE", "ZZZ", "ZZZZZ", "a", "Ä", "", "A" * 60, "AAA1B"]
CELL_TYPES = ["zz", "d", "s", "b", "e", "n", "inlineStr", "str", ""]
VALUES = [
    "",
    "999999999",
    "-1",
    "1e308",
    "nan",
    "inf",
    "abc",
    "2024-13-45",
    "１２",
    "0x10",
    "1" * 5000,
]
MERGES = ["A1:XFD1048576", "B5:A1", "junk", "A2:A1048576", "XFE1:XFE2", "A1:A1", "A2:N9", ":"]
FORMATS = ["yyyy-mm-dd", "[h]:mm", '"d"0', "@", "[Red]", "yyyy;@;@;@;@", "\\", '"', "[" * 50]
DROPS = [
    "xl/styles.xml",
    "xl/sharedStrings.xml",
    "xl/_rels/workbook.xml.rels",
    "SHEET",
    "[Content_Types].xml",
    "xl/workbook.xml",
]
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
REPEATS = ["0", "1", "1000", "1000000", "1000000000", "2147483648", "x", "-5", "9" * 30]
ODS_TYPES = ["float", "date", "time", "percentage", "currency", "boolean", "string", "zz", ""]
ODS_VALUES = ["", "abc", "1e308", "2024-13-45", "PT999999999H", "true", "-0", "NaN"]

xlsx_op = st.one_of(
    st.tuples(st.just("row_ref"), st.sampled_from(ROW_REFS) | st.integers(0, 2**40).map(str)),
    st.tuples(st.just("cell_ref"), st.sampled_from(LETTERS), st.sampled_from(ROW_REFS[:6])),
    st.tuples(st.just("repeat_row"), st.integers(2, 200), st.booleans()),
    st.tuples(st.just("dimension"), st.sampled_from(["A1:XFD1048576", "junk", "", "A0"])),
    st.tuples(st.just("cell"), st.sampled_from(CELL_TYPES), st.sampled_from(VALUES)),
    st.tuples(st.just("formula"), st.sampled_from(["", "<v></v>", "<v>3</v>", "<v>#N/A</v>"])),
    st.tuples(
        st.just("shared"), st.sampled_from(["cut", "lying", "nested", "empty"]), st.integers(0, 40)
    ),
    st.tuples(st.just("drop"), st.sampled_from(DROPS)),
    st.tuples(st.just("merge"), st.lists(st.sampled_from(MERGES), min_size=1, max_size=30)),
    st.tuples(
        st.just("style"), st.sampled_from(FORMATS), st.sampled_from(["0", "1", "999999", "x"])
    ),
    st.tuples(st.just("entity"), st.sampled_from(["bomb-sheet", "bomb-strings", "xxe"])),
    st.tuples(st.just("truncate"), st.floats(0.05, 0.99)),
)
ods_op = st.one_of(
    st.tuples(st.just("repeat"), st.sampled_from(REPEATS), st.sampled_from(REPEATS), st.booleans()),
    st.tuples(st.just("type"), st.sampled_from(ODS_TYPES), st.sampled_from(ODS_VALUES)),
    st.tuples(st.just("nested"), st.integers(1, 5)),
    st.tuples(st.just("truncate"), st.floats(0.05, 0.99)),
)
xls_op = st.one_of(
    st.tuples(
        st.just("cells"),
        st.lists(st.tuples(st.integers(0, 65535), st.integers(0, 255)), max_size=4),
    ),
    st.tuples(
        st.just("flip"), st.lists(st.tuples(st.integers(0, 6000), st.integers(0, 255)), max_size=6)
    ),
)
workbook = st.one_of(
    st.tuples(st.just("xlsx"), st.lists(xlsx_op, min_size=1, max_size=3)),
    st.tuples(st.just("ods"), st.lists(ods_op, min_size=1, max_size=3)),
    st.tuples(st.just("xls"), st.lists(xls_op, min_size=1, max_size=2)),
)


# --- building them ----------------------------------------------------------------------------


def _sub_first(pattern: str, replace: str, text: str) -> str:
    return re.sub(pattern, lambda _: replace, text, count=1, flags=re.S)


def make_xlsx(bases: dict[str, Any], ops: list[tuple[Any, ...]], path: Path) -> Path:
    parts = {name: data.decode("utf-8") for name, data in bases["parts"].items()}
    sheet = bases["sheet"]
    for op in ops:
        kind = op[0]
        xml = parts.get(sheet, "")
        if kind == "row_ref":
            xml = xml.replace('<row r="3"', f'<row r="{op[1]}"', 1)
        elif kind == "cell_ref":
            xml = xml.replace('<c r="D2"', f'<c r="{op[1]}{op[2]}"', 1)
        elif kind == "repeat_row":
            found = re.search(r'<row r="2".*?</row>', xml, re.S)
            if found:
                rows = [found.group(0)] * op[1]
                xml = xml.replace(found.group(0), "".join(rows if not op[2] else rows[::-1]), 1)
        elif kind == "dimension":
            xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{op[1]}"', xml)
        elif kind == "cell":
            cell = (
                f'<c r="D2" t="{op[1]}"><v>{op[2]}</v></c>'
                if op[1]
                else f'<c r="D2"><v>{op[2]}</v></c>'
            )
            xml = _sub_first(r'<c r="D2".*?</c>', cell, xml)
        elif kind == "formula":
            xml = _sub_first(r'<c r="D2".*?</c>', f'<c r="D2"><f>A1&amp;B1</f>{op[1]}</c>', xml)
        elif kind == "shared":
            strings = parts.get("xl/sharedStrings.xml", "")
            if op[1] == "cut":
                strings = strings[: max(len(strings) * op[2] // 41, 1)]
            elif op[1] == "lying":
                strings = re.sub(r'count="\d+"', 'count="999999999"', strings)
                xml = _sub_first(
                    r'<c r="D2".*?</c>', f'<c r="D2" t="s"><v>{op[2] * 1000}</v></c>', xml
                )
            elif op[1] == "nested":
                strings = strings.replace("<si>", "<si><si><r><t>x</t></r>", 1)
            else:
                strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
            parts["xl/sharedStrings.xml"] = strings
        elif kind == "drop":
            parts.pop(sheet if op[1] == "SHEET" else op[1], None)
            continue
        elif kind == "merge":
            cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in op[1])
            xml = xml.replace("</sheetData>", f"</sheetData><mergeCells>{cells}</mergeCells>", 1)
        elif kind == "style":
            styles = parts.get("xl/styles.xml", "")
            code = op[1].replace("&", "&amp;").replace('"', "&quot;")
            styles = re.sub(r'formatCode="[^"]*"', f'formatCode="{code}"', styles, count=1)
            parts["xl/styles.xml"] = styles
            xml = re.sub(r'(<c r="A\d+") s="\d+"', rf'\1 s="{op[2]}"', xml, count=1)
        elif kind == "entity":
            target = "xl/sharedStrings.xml" if op[1] == "bomb-strings" else sheet
            head = XXE if op[1] == "xxe" else BOMB
            body = re.sub(r"^<\?xml[^>]*\?>", "", parts.get(target, ""))
            marker = "&e;" if op[1] == "xxe" else "&j;"
            body = body.replace("<t>", f"<t>{marker}", 1)
            parts[target] = head + body
            continue
        elif kind == "truncate":
            xml = xml[: int(len(xml) * op[1])]
        if sheet in parts:
            parts[sheet] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def make_ods(ops: list[tuple[Any, ...]], path: Path) -> Path:
    tables = hb.ods_station_tables()
    extra = ""
    cut = 0.0
    for op in ops:
        if op[0] == "repeat":
            content = (
                'office:value-type="string"><text:p>x</text:p></table:table-cell>'
                if op[3]
                else "/>"
            )
            cell = f'<table:table-cell table:number-columns-repeated="{op[2]}" {content}'
            extra += (
                f'<table:table-row table:number-rows-repeated="{op[1]}">{cell}</table:table-row>'
            )
        elif op[0] == "type":
            extra += (
                f'<table:table-row><table:table-cell office:value-type="{op[1]}" '
                f'office:value="{op[2]}" office:date-value="{op[2]}" office:time-value="{op[2]}" '
                f'office:boolean-value="{op[2]}"><text:p>{op[2]}</text:p></table:table-cell>'
                "</table:table-row>"
            )
        elif op[0] == "nested":
            inner = '<table:table table:name="内">' + hb.ods_row(["x"]) + "</table:table>"
            extra += (
                "<table:table-row><table:table-cell>"
                + inner * op[1]
                + "</table:table-cell></table:table-row>"
            )
        elif op[0] == "truncate":
            cut = op[1]
    tables["接待登记"] += extra
    hb.write_ods(path, tables)
    if cut:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        parts["content.xml"] = parts["content.xml"][: int(len(parts["content.xml"]) * cut)]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def make_xls(ops: list[tuple[Any, ...]], path: Path) -> Path:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("接待登记")
    for c, header in enumerate(hb.RECEPTION_HEADER[:4]):
        sheet.write(0, c, header)
    placed = {(0, c) for c in range(4)}
    flips: list[tuple[int, int]] = []
    for op in ops:
        if op[0] == "cells":
            for r, c in op[1]:
                if (r, c) not in placed:
                    sheet.write(r, c, "x")
                    placed.add((r, c))
        else:
            flips += op[1]
    book.save(str(path))
    if flips:
        data = bytearray(path.read_bytes())
        for at, value in flips:
            data[at % len(data)] = value
        path.write_bytes(bytes(data))
    return path


def make(bases: dict[str, Any], case: tuple[Any, ...], path: Path) -> Path:
    kind, ops = case
    if kind == "xlsx":
        return make_xlsx(bases, ops, path.with_suffix(".xlsx"))
    if kind == "ods":
        return make_ods(ops, path.with_suffix(".ods"))
    return make_xls(ops, path.with_suffix(".xls"))


# --- what counts as holding ------------------------------------------------------------------

_CJK = re.compile("[\u4e00-\u9fff]")


def verdict(result: dict[str, Any]) -> str:
    """ "" when the check held; else what went wrong."""
    code, output = result["code"], result["output"]
    lines = output.strip().splitlines()
    if code not in (0, 1):
        return f"exit {code}"
    if "Traceback" in output or "程序内部错误" in output or "\\u" in output or "\\x" in output:
        return "a traceback, an internal error or an unprintable character"
    if lines and lines[0].startswith("错误："):
        if code != 1 or len(lines) != 1 or not _CJK.search(lines[0][3:]):
            return "an error that is not one line of Chinese with exit 1"
    elif not any(line.startswith("读取：") for line in lines):
        return "neither an error nor a check's summary"
    if result["mb"] > RSS_LIMIT_MB:
        return f"{result['mb']:.0f} MB"
    if result["seconds"] > TIME_LIMIT:
        return f"{result['seconds']:.1f} s"
    return ""


def _run_cases(worker: Worker, bases: dict[str, Any], cases: list[Any], folder: Path) -> None:
    failures = []
    for i, case in enumerate(cases):
        path = make(bases, case, folder / f"case{i}")
        result = worker.check(path)
        WORST["n"] += 1
        if result["mb"] is not None and result["mb"] > WORST["mb"]:
            WORST["mb"], WORST["mb_case"] = result["mb"], repr(case)[:160]
        if result["seconds"] is not None and result["seconds"] > WORST["seconds"]:
            WORST["seconds"], WORST["seconds_case"] = result["seconds"], repr(case)[:160]
        problem = verdict(result)
        WORST["refused" if result["output"].startswith("错误：") else "read"] += not problem
        if problem:
            failures.append(f"{case!r}: {problem}\n{result['output'][-600:]}")
    assert not failures, "\n".join(failures)


batches = st.lists(workbook, min_size=1, max_size=4)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=batches)
def test_malformed_workbooks_read_cleanly_or_fail_in_one_line(
    worker, bases, cases, tmp_path_factory
):
    _run_cases(worker, bases, cases, tmp_path_factory.mktemp("fuzz"))


@STRESS
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=batches)
def test_many_malformed_workbooks(worker, bases, cases, tmp_path_factory):
    _run_cases(worker, bases, cases, tmp_path_factory.mktemp("fuzz"))


# The issue's own cases, through the same caps: each must hold, whatever hypothesis draws.
NAMED = [
    ("xlsx", [("cell_ref", "ZZZZZ", "2")]),
    ("xlsx", [("row_ref", "2000000000")]),
    ("xlsx", [("merge", ["A1:XFD1048576"] * 30)]),
    ("xlsx", [("entity", "bomb-sheet")]),
    ("xlsx", [("entity", "bomb-strings")]),
    ("xlsx", [("entity", "xxe")]),
    ("xlsx", [("drop", "SHEET")]),
    ("xlsx", [("shared", "lying", 40)]),
    ("ods", [("repeat", "20000", "1000", True)]),
    ("ods", [("repeat", "1000000000", "1000000000", False)]),
    ("xls", [("cells", [(65535, 255)])]),
]


def test_the_issues_malformed_workbooks_hold(worker, bases, tmp_path):
    _run_cases(worker, bases, NAMED, tmp_path)


# Just inside the bounds: the most a workbook may cost and still be read.
AT_THE_CAPS = [
    ("xls", [("cells", [(7811, 255)])]),  # 7,812 × 256 cells, just under extent.MAX_CELLS
    ("ods", [("repeat", "1996", "1000", True)]),  # 2 million cells of content from 1.6 KB
    ("xlsx", [("repeat_row", 200, False), ("cell_ref", "XFD", "2")]),
]


@STRESS
def test_workbooks_at_the_caps(worker, bases, tmp_path):
    _run_cases(worker, bases, AT_THE_CAPS, tmp_path)
