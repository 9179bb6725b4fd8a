"""Writing: safe names, atomic files, the manifest, and a killed run finished by a rerun."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from conftest import RECEPTION_FORMS, reception
from toolkit.commands.build import build
from toolkit.model import BuildOptions
from toolkit.write import NamePlanner, file_name, safe_component, sha256_file, write_atomic


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../x", "_._x"),
        ("a/b\\c", "a_b_c"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("名称. ", "名称"),
        ('a:b*c?d"e<f>g|h', "a_b_c_d_e_f_g_h"),
        ("", "未命名"),
        ("..", "未命名"),
        ("x\x00y", "x_y"),
    ],
)
def test_safe_component(raw, safe):
    assert safe_component(raw) == safe


def test_long_names_are_cut_to_a_safe_byte_length():
    name = file_name("代表接待选民登记表", ["很长" * 200], "docx")
    assert len(name.encode()) <= 210 and name.endswith(".docx")


def test_duplicate_names_made_unique():
    planner = NamePlanner()
    assert planner.path("表", "a.docx") == "表/a.docx"
    assert planner.path("表", "A.docx") == "表/A(2).docx"
    assert planner.path("表", "a.docx") == "表/a(3).docx"


def test_write_atomic_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "x.bin"

    def explode(stream):
        stream.write(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(target, explode)
    assert list(tmp_path.iterdir()) == []


def _sequential(stream):
    for chunk in (b"%PDF-1.7\n", bytearray(b"x" * 70_000), memoryview(b"tail")):
        stream.write(chunk)


def _zip_that_seeks(stream):
    import zipfile

    with zipfile.ZipFile(stream, "w") as archive:  # seeks back over each header, as openpyxl's
        archive.writestr("a.xml", "<a/>" * 5000)
        archive.writestr("b.xml", "<b/>")


@pytest.mark.parametrize("produce", [_sequential, _zip_that_seeks])
def test_write_atomic_hashes_what_lands_on_disk(tmp_path, produce):
    """The SHA-256 and size are taken while writing (not read back) unless the writer seeks;
    either way they are the file's, and the file is an ordinary one (mode by the umask)."""
    target = tmp_path / "sub" / "out.bin"  # its folder made on the way
    digest, size = write_atomic(target, produce)
    assert (digest, size) == (sha256_file(target), target.stat().st_size)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["out.bin"]  # no temporary left
    again, _ = write_atomic(target, produce)
    assert again == digest


def test_hostile_names_never_leave_the_output_folder(make_book, tmp_path):
    out = tmp_path / "out"
    path = make_book(
        [
            reception(code="../../x"),
            reception(code="CON", station="三元社区人大代表联络站"),
            reception(code="a/b"),
        ]
    )
    result = build(
        BuildOptions(workbook=path, out=out, formats=("docx",), only=("reception_form",), jobs=1)
    )
    assert result.exit_code == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert len(written) == 3
    assert all(p.startswith("代表接待选民登记表/代表接待选民登记表_2024-03-15_") for p in written)
    assert not list(tmp_path.glob("x*"))


def test_manifest_lists_every_file_and_a_rerun_rewrites_nothing(make_book, tmp_path):
    out = tmp_path / "out"
    path = make_book([reception(code="A"), reception(code="B")])
    options = BuildOptions(
        only=RECEPTION_FORMS, workbook=path, out=out, formats=("docx", "xlsx"), jobs=1
    )
    first = build(options)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {e["path"] for e in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {
        "manifest.json"
    }
    assert paths == on_disk and first.documents == len(paths)
    entry = next(e for e in manifest["files"] if e["path"].endswith("_A.docx"))
    assert entry["sources"] == ["接待登记!第2行"] and len(entry["sha256"]) == 64
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")}
    second = build(options)
    assert second.documents == 0 and second.unchanged == len(paths)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")} == mtimes


def test_same_input_gives_the_same_bytes(make_book, tmp_path, monkeypatch):
    """Two builds in one process: the second renders from what the first learnt (the Word
    skeletons it checked, the PDF styles' plans) and must write the same bytes. The time a build
    stamps is fixed; without it, builds a second apart differ in their core properties."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    path = make_book([reception(code="A")])
    for name in ("o1", "o2"):
        build(
            BuildOptions(
                only=RECEPTION_FORMS,
                workbook=path,
                out=tmp_path / name,
                formats=("docx", "xlsx", "pdf"),
                jobs=1,
            )
        )
    one = {p.relative_to(tmp_path / "o1"): p.read_bytes() for p in (tmp_path / "o1").rglob("*.*")}
    two = {p.relative_to(tmp_path / "o2"): p.read_bytes() for p in (tmp_path / "o2").rglob("*.*")}
    one.pop(Path("manifest.json")), two.pop(Path("manifest.json"))
    assert one == two and len(one) >= 6


def _start_build(tmp_path: Path, *args: str, **popen: object) -> tuple[Path, list[str], Any]:
    """A 600-reception sample, and `liaison build` on it (docx) started in a subprocess once at
    least a few documents exist, so a test can interrupt it midway."""
    book = tmp_path / "big.xlsx"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit.cli",
            "sample",
            str(book),
            "--stations",
            "2",
            "--receptions",
            "600",
        ],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "toolkit.cli",
        "build",
        str(book),
        "--out",
        str(out),
        "--format",
        "docx",
        *args,
    ]
    proc = subprocess.Popen(cmd, **popen)  # type: ignore[call-overload]
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.rglob("*.docx"))) < 20:
        time.sleep(0.01)
    return out, cmd, proc


def _manifest(out: Path) -> dict[str, str]:
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    return {e["path"]: e["sha256"] for e in files}


def test_a_killed_run_is_finished_by_a_rerun(tmp_path):
    out, cmd, proc = _start_build(
        tmp_path,
        "--only",
        "reception_form",
        "--jobs",
        "1",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    first = len(list(out.rglob("*.docx")))
    assert 20 <= first < 600, "the run should have been killed midway"
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) == 600
    assert not list(out.rglob(".~liaison-*"))
    listed = _manifest(out)
    # Every file is whole: its bytes are the ones the manifest recorded when it was written.
    assert {p.relative_to(out).as_posix(): sha256_file(p) for p in docs} == listed
    for doc in docs[:: len(docs) // 5]:
        cells = [c.text for t in Document(doc).tables for r in t.rows for c in r.cells]
        assert "接待日期" in cells and any(text.startswith("2024年") for text in cells)


def test_documents_the_input_no_longer_asks_for_are_removed(make_book, tmp_path):
    out = tmp_path / "out"
    first = make_book([reception(code="A"), reception(code="B")], name="台账.xlsx")
    build(BuildOptions(only=RECEPTION_FORMS, workbook=first, out=out, formats=("docx",), jobs=1))
    assert len(list(out.glob("群众意见建议交办单/*.docx"))) == 2
    # B is now answered on the spot, and A re-dated: their old slips and forms are stale.
    import datetime as dt

    second = make_book(
        [reception(code="A", date=dt.date(2024, 3, 16)), reception(code="B", route="当场答复")],
        name="台账.xlsx",  # the same workbook, edited
    )
    edited = (
        out / "代表接待选民登记表" / "代表接待选民登记表_2024-03-15_三元社区人大代表联络站_B.docx"
    )
    edited.write_bytes(edited.read_bytes() + b"")  # unchanged bytes: still ours
    result = build(
        BuildOptions(only=RECEPTION_FORMS, workbook=second, out=out, formats=("docx",), jobs=1)
    )
    names = sorted(p.name for p in out.rglob("*.docx"))
    assert "代表接待选民登记表_2024-03-15_三元社区人大代表联络站_A.docx" not in names
    assert "代表接待选民登记表_2024-03-16_三元社区人大代表联络站_A.docx" in names
    assert [p.name for p in out.glob("群众意见建议交办单/*.docx")] == [
        "群众意见建议交办单_2024-03-16_三元社区人大代表联络站_A.docx"
    ]
    assert len(result.removed) == 5  # A's form, slip and feedback; B's slip and feedback
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in manifest["files"]} == {
        p.relative_to(out).as_posix() for p in out.rglob("*.docx")
    } | {p.relative_to(out).as_posix() for p in out.rglob("*.xlsx")}


def test_a_file_edited_by_hand_is_never_deleted(make_book, tmp_path):
    out = tmp_path / "out"
    build(
        BuildOptions(
            workbook=make_book([reception(code="A")], name="台账.xlsx"),
            out=out,
            formats=("docx",),
            jobs=1,
        )
    )
    slip = next(out.glob("群众意见建议交办单/*.docx"))
    slip.write_bytes(slip.read_bytes() + b"clerk's edit")
    build(
        BuildOptions(
            workbook=make_book([reception(code="A", route="当场答复")], name="台账.xlsx"),
            out=out,
            formats=("docx",),
            jobs=1,
        )
    )
    assert slip.exists()


def test_a_killed_runs_journal_is_kept(make_book, tmp_path):
    from toolkit.write import Manifest

    out = tmp_path / "out"
    book = make_book([reception(code="A"), reception(code="B")])
    build(BuildOptions(only=RECEPTION_FORMS, workbook=book, out=out, formats=("docx",), jobs=1))
    manifest = out / "manifest.json"
    lines = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    manifest.unlink()  # as if killed before saving: only the journal is left
    journal = out / ".~liaison-manifest-99999.jsonl"
    journal.write_text(
        "\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + "\n{half", encoding="utf-8"
    )
    assert len(Manifest.load(out).old) == len(lines)
    rerun = build(
        BuildOptions(only=RECEPTION_FORMS, workbook=book, out=out, formats=("docx",), jobs=1)
    )
    assert rerun.documents == 0 and rerun.unchanged == len(lines)
    assert not journal.exists()


def test_another_workbook_built_into_the_same_folder_removes_nothing(make_book, tmp_path):
    out = tmp_path / "out"
    build(
        BuildOptions(workbook=make_book([reception(code="A")]), out=out, formats=("docx",), jobs=1)
    )
    build(
        BuildOptions(workbook=make_book([reception(code="B")]), out=out, formats=("docx",), jobs=1)
    )
    names = {p.name for p in out.glob("代表接待选民登记表/*.docx")}
    assert names == {
        "代表接待选民登记表_2024-03-15_三元社区人大代表联络站_A.docx",
        "代表接待选民登记表_2024-03-15_三元社区人大代表联络站_B.docx",
    }


def test_a_process_pool_writes_exactly_what_one_process_writes(tmp_path, monkeypatch):
    from toolkit.commands.sample import make_sample

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714550400")  # both builds stamp the same time

    book = tmp_path / "示例.xlsx"
    make_sample(book, stations=2, receptions=120, seed=3)
    manifests = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        result = build(
            BuildOptions(
                only=RECEPTION_FORMS, workbook=book, out=out, formats=("docx", "xlsx"), jobs=jobs
            )
        )
        assert result.exit_code == 0 and result.documents > 2 * 8  # large enough for the pool
        entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
        manifests.append({e["path"]: e["sha256"] for e in entries})
    assert manifests[0] == manifests[1]


def test_a_workbook_with_errors_never_deletes_documents(make_book, tmp_path):
    out = tmp_path / "out"
    book = make_book([reception(code="A")], name="台账.xlsx")
    build(BuildOptions(only=RECEPTION_FORMS, workbook=book, out=out, formats=("docx",), jobs=1))
    before = sorted(p.name for p in out.rglob("*.docx"))
    # The clerk deleted the header row by mistake: the receptions cannot be read at all.
    header = ["备注"] * 14
    broken = make_book([reception(code="A")], header=header, name="台账.xlsx")
    result = build(
        BuildOptions(
            only=RECEPTION_FORMS,
            workbook=broken,
            out=out,
            formats=("docx",),
            jobs=1,
            keep_going=True,
        )
    )
    assert result.removed == []
    assert sorted(p.name for p in out.rglob("*.docx")) == before


@pytest.mark.parametrize("text", ["[]", "null", '{"files": 5}', '{"files": [{"path": 5}]}'])
def test_a_damaged_manifest_means_rebuild_not_crash(make_book, tmp_path, text):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(text, encoding="utf-8")
    result = build(
        BuildOptions(only=RECEPTION_FORMS, workbook=make_book(), out=out, formats=("docx",), jobs=1)
    )
    assert result.exit_code == 0 and result.documents == 4  # form, slip, feedback, register


def test_a_manifest_entry_outside_the_folder_is_never_touched(make_book, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"")
    book = make_book(name="台账.xlsx")
    empty_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    entries = [
        {
            "path": p,
            "form": "reception_form",
            "format": "docx",
            "sources": [],
            "row_hashes": [],
            "input_hash": "",
            "sha256": empty_sha,
            "size": 0,
            "workbook": str(book.resolve()),
        }
        for p in (str(victim), "../victim.txt")
    ]
    (out / "manifest.json").write_text(json.dumps({"files": entries}), encoding="utf-8")
    result = build(
        BuildOptions(only=RECEPTION_FORMS, workbook=book, out=out, formats=("docx",), jobs=1)
    )
    assert result.removed == [] and victim.exists()


def test_ctrl_c_stops_cleanly_and_records_every_file_written(tmp_path):
    out, _, proc = _start_build(
        tmp_path,
        "--jobs",
        "2",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "已中断" in err.decode()
    on_disk = {p.relative_to(out).as_posix(): sha256_file(p) for p in out.rglob("*.docx")}
    listed = _manifest(out)
    assert on_disk and all(listed.get(path) == digest for path, digest in on_disk.items())
    assert not list(out.rglob(".~liaison-*"))
