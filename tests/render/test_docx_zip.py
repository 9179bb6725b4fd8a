"""render/docx_zip.py: the zip a .docx is written as, checked by the standard zip reader."""

from __future__ import annotations

import io
import zipfile

from toolkit.render.docx_zip import PreparedZip

MEMBERS = [
    ("[Content_Types].xml", b"<Types/>"),
    ("word/document.xml", "<w:document>接待选民登记表</w:document>".encode()),
    ("word/styles.xml", b"<w:styles/>" * 500),
    ("docProps/core.xml", b"<cp:coreProperties/>"),
]


def _write(replace: dict[str, bytes] | None = None) -> bytes:
    prepared = PreparedZip(MEMBERS)
    stream = io.BytesIO()
    entries = {name: PreparedZip.entry(data) for name, data in (replace or {}).items()}
    prepared.write(stream, entries)
    return stream.getvalue()


def test_every_member_reads_back_in_order_and_passes_its_crc() -> None:
    with zipfile.ZipFile(io.BytesIO(_write())) as z:
        assert z.testzip() is None
        assert z.namelist() == [name for name, _ in MEMBERS]
        assert [z.read(name) for name, _ in MEMBERS] == [data for _, data in MEMBERS]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())
        assert {i.date_time for i in z.infolist()} == {(2024, 1, 1, 0, 0, 0)}


def test_a_replaced_member_is_the_new_content_and_the_rest_unchanged() -> None:
    new = "<w:document>代表述职报告</w:document>".encode()
    with zipfile.ZipFile(io.BytesIO(_write({"word/document.xml": new}))) as z:
        assert z.testzip() is None
        assert z.read("word/document.xml") == new
        assert z.read("word/styles.xml") == MEMBERS[2][1]
        assert z.getinfo("word/document.xml").flag_bits & 0x800  # names are UTF-8


def test_the_same_input_gives_the_same_bytes() -> None:
    assert _write({"docProps/core.xml": b"<x/>"}) == _write({"docProps/core.xml": b"<x/>"})
    assert _write() != _write({"docProps/core.xml": b"<x/>"})


def test_has_names_only_its_members() -> None:
    prepared = PreparedZip(MEMBERS)
    assert prepared.has("word/document.xml") and not prepared.has("word/header1.xml")
