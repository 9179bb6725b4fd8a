"""What every file says about itself: its title, its author (not "openpyxl", not the template's
generator) and the time of the build, in Word's core properties, the workbook's properties and
the PDF's info; the same input built twice with SOURCE_DATE_EPOCH gives the same bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import RECEPTION_FORMS, W, docx_part, reception
from toolkit.commands.build import build
from toolkit.errors import UsageError
from toolkit.model import BuildOptions
from toolkit.render import build_time

EPOCH = 1714552200  # 2024-05-01 08:30:00 UTC
AUTHOR = "liaison 人大代表联络站文书工具"
REGISTER = "接待选民登记簿_三元社区人大代表联络站_2024年"
DC = "{http://purl.org/dc/elements/1.1/}"
TERMS = "{http://purl.org/dc/terms/}"


def _build(book: Path, out: Path) -> object:
    result = build(BuildOptions(workbook=book, out=out, jobs=1, only=RECEPTION_FORMS))
    assert result.exit_code == 0, [str(p) for p in result.data.problems]
    return result


def _documents(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The reception family of two receptions, built with SOURCE_DATE_EPOCH: (workbook, out)."""
    from conftest import DEPUTIES, RECEPTION_HEADER, STATIONS, write_workbook

    folder = tmp_path_factory.mktemp("stamped")
    rows = [reception(code=f"JD-2024-00{i}", date=dt.date(2024, 3, i)) for i in (1, 2)]
    book = write_workbook(
        folder / "台账.xlsx",
        {"联络站": STATIONS, "代表名册": DEPUTIES, "接待登记": [RECEPTION_HEADER, *rows]},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        _build(book, folder / "out")
    return book, folder / "out"


def test_every_format_names_its_title_author_and_build_time(stamped):
    out = stamped[1]
    folder = out / "接待选民登记簿"

    core = docx_part(folder / f"{REGISTER}.docx", "docProps/core.xml")
    assert core.findtext(f"{DC}title") == "接待选民登记簿 三元社区人大代表联络站 2024年"
    assert core.findtext(f"{DC}creator") == AUTHOR
    assert core.findtext(f"{TERMS}created") == "2024-05-01T08:30:00Z"
    assert core.findtext(f"{TERMS}modified") == "2024-05-01T08:30:00Z"
    slip = next((out / "代表接待选民登记表").glob("*JD-2024-001.docx"))
    title = docx_part(slip, "docProps/core.xml").findtext(f"{DC}title")
    assert title == slip.stem.replace("_", " ")  # the form and the parts of the file's name
    assert title.startswith("代表接待选民登记表 ") and title.endswith(" JD-2024-001")

    props = load_workbook(folder / f"{REGISTER}.xlsx").properties
    assert props.title == "接待选民登记簿 三元社区人大代表联络站 2024年"
    assert props.creator == AUTHOR and props.lastModifiedBy == AUTHOR
    assert props.created == props.modified == dt.datetime(2024, 5, 1, 8, 30)

    info = PdfReader(folder / f"{REGISTER}.pdf").metadata
    assert info["/Title"] == "接待选民登记簿 三元社区人大代表联络站 2024年"
    assert info["/Author"] == AUTHOR
    assert info["/CreationDate"] == info["/ModDate"] == "D:20240501083000Z"


def test_same_input_and_source_date_epoch_give_the_same_bytes(stamped, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    book, first = stamped
    again = tmp_path / "again"
    _build(book, again)
    documents = _documents(first)
    assert {name.rsplit(".", 1)[1] for name in documents} == {"docx", "pdf", "xlsx"}
    assert _documents(again) == documents


def test_build_time_is_now_and_a_rerun_rewrites_nothing(make_book, tmp_path, monkeypatch):
    """The time is not in the hashed context: a rerun an instant later finds every document
    unchanged and leaves the files as they were, time and all."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book, out = make_book([reception()]), tmp_path / "out"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    _build(book, out)
    after = dt.datetime.now(dt.UTC)
    written = _documents(out)
    core = docx_part(out / "接待选民登记簿" / f"{REGISTER}.docx", "docProps/core.xml")
    created = dt.datetime.fromisoformat(core.findtext(f"{TERMS}created"))
    assert before <= created <= after
    rerun = _build(book, out)
    assert rerun.documents == 0 and rerun.unchanged == len(written)  # type: ignore[attr-defined]
    assert _documents(out) == written


def test_a_malformed_source_date_epoch_is_a_usage_error():
    assert build_time({"SOURCE_DATE_EPOCH": "1714552200"}) == dt.datetime(
        2024, 5, 1, 8, 30, tzinfo=dt.UTC
    )
    assert build_time({"SOURCE_DATE_EPOCH": ""}).tzinfo is dt.UTC
    with pytest.raises(UsageError) as raised:
        build_time({"SOURCE_DATE_EPOCH": "2024-05-01"})
    assert "SOURCE_DATE_EPOCH" in raised.value.message and "秒数" in str(raised.value.hint)


def test_word_documents_open_without_compatibility_mode(stamped):
    """compatibilityMode 15 (Word 2013 and later), not 14: no 兼容模式 in current Word."""
    for path in stamped[1].rglob("*.docx"):
        with zipfile.ZipFile(path) as archive:
            settings = etree.fromstring(archive.read("word/settings.xml"))
        modes = [
            s.get(f"{W}val")
            for s in settings.iter(f"{W}compatSetting")
            if s.get(f"{W}name") == "compatibilityMode"
        ]
        assert modes == ["15"], path.name
