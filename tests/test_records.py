"""Long lists on disk: a sheet's records, and a register's rows handed to workers by reference."""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from pathlib import Path

import openpyxl
import pytest

from conftest import reception
from toolkit import records
from toolkit.commands.build import build
from toolkit.derive import rows as derive
from toolkit.model import BuildOptions, PlanEnv
from toolkit.records import Records, RowStore


def test_records_beyond_the_threshold_live_on_disk_and_read_back_whole():
    records = Records(range(23), spill_at=5, chunk=4)
    assert records.spilled
    assert list(records) == list(range(23))
    assert records[21] == 21 and records[-1] == 22 and records[3:6] == [3, 4, 5]
    assert pickle.loads(pickle.dumps(records)) == list(range(23))


def test_a_row_store_pickles_as_a_reference_and_removes_its_file(tmp_path, monkeypatch):
    rows = [{"序号": i, "反映内容": "路灯不亮" * 20} for i in range(1000)]
    store = RowStore(spill_at=50, chunk=50, folder=tmp_path)
    for row in rows:
        store.append(row)
    sent = pickle.dumps(store)
    assert len(sent) < len(pickle.dumps(rows)) // 20  # offsets and the tail, not the rows
    received = pickle.loads(sent)
    assert list(received) == rows and len(received) == 1000 and received[999] == rows[999]
    assert [p.name[:15] for p in tmp_path.iterdir()] == [".~liaison-rows-"]
    del store, received
    assert list(tmp_path.iterdir()) == []  # removed with the store that made it


def test_small_row_stores_stay_in_memory_and_pickle_as_lists(tmp_path, monkeypatch):
    store = RowStore(spill_at=50, chunk=50, folder=tmp_path)
    store.append({"a": 1})
    assert pickle.loads(pickle.dumps(store)) == [{"a": 1}]
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def long_register(make_book, monkeypatch):
    monkeypatch.setattr(derive, "GROUP_CHUNK", 7)  # the 40 rows go to disk in chunks of 7
    rows = [
        reception(date=dt.date(2024, 1 + i % 12, 1 + i % 28), code=f"R{i:02d}", route="当场答复")
        for i in range(40)
    ]
    return make_book(rows)


def test_a_register_whose_rows_went_to_disk_is_the_same_from_workers_and_in_process(
    long_register, tmp_path, monkeypatch
):
    made_files: list[Path] = []
    mkstemp = tempfile.mkstemp

    def recording(*args, **kwargs):
        handle, path = mkstemp(*args, **kwargs)
        made_files.append(Path(path))
        return handle, path

    monkeypatch.setattr(tempfile, "mkstemp", recording)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714550400")  # both builds stamp the same time
    made = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        result = build(
            BuildOptions(
                workbook=long_register,
                out=out,
                only=("reception_register", "reception_form"),  # enough documents for the pool
                formats=("docx", "xlsx", "pdf"),
                jobs=jobs,
            )
        )
        assert result.exit_code == 0
        made[jobs] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.*") if p.is_file()}
    registers = [p for p in made[1] if p.parts[0] == "接待选民登记簿"]
    assert len(registers) == 3
    for path in registers:
        assert made[2][path] == made[1][path], path  # byte for byte
    xlsx = next(p for p in registers if p.suffix == ".xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "jobs2" / xlsx).active
    body = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert [row[0] for row in body] == list(range(1, 41))  # every row once, numbered in order
    dates = [row[1] for row in body]
    assert all(isinstance(d, dt.datetime) for d in dates)  # Excel dates, which sort as dates
    assert dates == sorted(dates)  # in date order
    assert "接待40次" in str(sheet["A2"].value)  # the totals counted as the rows went past
    import gc

    gc.collect()  # Jinja and WeasyPrint leave reference cycles that hold the last context
    rows = [p for p in made_files if p.name.startswith(".~liaison-rows-")]
    assert rows and all(p.parent.name in ("jobs1", "jobs2") for p in rows)  # in the output
    assert not any(p.exists() for p in rows)  # and gone


def test_a_long_register_is_rebuilt_when_one_of_its_rows_is_corrected(tmp_path, monkeypatch):
    """Its rows are on disk, yet the input hash covers their content, not only their count."""
    from conftest import DEPUTIES, RECEPTION_HEADER, STATIONS, write_workbook

    monkeypatch.setattr(derive, "GROUP_CHUNK", 7)
    rows = [reception(code=f"R{i:02d}", route="当场答复") for i in range(40)]

    def run(content: str) -> tuple[int, int, bytes]:
        rows[25][3] = content
        book = write_workbook(
            tmp_path / "台账.xlsx",
            {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]},
        )
        result = build(
            BuildOptions(
                workbook=book,
                out=tmp_path / "out",
                only=("reception_register",),
                formats=("xlsx",),
                jobs=1,
            )
        )
        made = next((tmp_path / "out" / "接待选民登记簿").glob("*.xlsx")).read_bytes()
        return sum(result.written.values()), result.unchanged, made

    first = run("路灯不亮")
    again = run("路灯不亮")
    fixed = run("路灯不亮，已更正")
    assert (first[0], again[:2], fixed[:2]) == (1, (0, 1), (1, 0))
    assert fixed[2] != first[2]


def test_a_register_of_a_sheet_out_of_date_order_reads_each_chunk_once(make_book, monkeypatch):
    """Sorted by date from a sheet kept in another order (by 登记编号, say), the register reads
    its records a window at a time, each chunk of the window once."""

    monkeypatch.setattr(derive, "GROUP_CHUNK", 5)
    rows = [
        reception(date=dt.date(2024, 1 + (i * 7) % 12, 1 + (i * 11) % 28), code=f"R{i:02d}")
        for i in range(60)
    ]
    book = make_book(rows)
    reads = []
    original = records.Records._read

    def counting(self, index):
        reads.append(index)
        return original(self, index)

    monkeypatch.setattr(records.Records, "_read", counting)
    from toolkit.commands.build import check
    from toolkit.derive.planners import plan
    from toolkit.forms import load_forms
    from toolkit.rules import load_rules

    data = check(book)
    form = load_forms()["reception_register"]
    docs = list(plan(form, data, PlanEnv(load_rules(), today=dt.date(2024, 12, 31))))
    dates = [r["接待日期"] for r in docs[0].context["记录"]]
    assert len(dates) == 60 and all(isinstance(d, dt.date) for d in dates)
    assert dates == sorted(dates)
    assert len(reads) <= 60 // 5 + 1  # once per chunk, not once per row


def test_a_register_on_disk_behaves_as_a_list_in_a_template(tmp_path, monkeypatch):
    from toolkit.render.templating import make_env

    store = RowStore(spill_at=2, chunk=2, folder=tmp_path)
    for i in range(5):
        store.append({"序号": i + 1, "来访人": f"访客{i}"})
    template = make_env(autoescape=False).from_string(
        "{{ 记录|length }} {{ 记录[4].来访人 }} {{ (记录 + [{'序号': 6}])|length }} "
        "{{ 记录[1:3]|map(attribute='序号')|join(',') }} {{ 记录|tojson }}"
    )
    text = template.render(记录=store)
    assert text.startswith("5 访客4 6 2,3 [")
    assert text.count('"\\u5e8f\\u53f7"') == 5  # every row in the JSON
