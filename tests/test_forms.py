"""Forms are data (toolkit/forms.py): a form's folder says what a document is made from and when
it applies, in a small vocabulary the families implement; no form is named in the code; folders
written in the older vocabulary keep working."""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import reception
from toolkit.commands.build import build
from toolkit.derive import books, meetings, proposals
from toolkit.derive.planners import PLANNERS, planner_for
from toolkit.errors import TemplateError
from toolkit.forms import ADDS, PERS, WHEN, _legacy, load_form, load_forms
from toolkit.model import BuildOptions
from toolkit.paths import FORMS_DIR

ROOT = Path(__file__).resolve().parent.parent


def _literals(path: Path) -> set[str]:
    """Every string constant of a module that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_no_form_is_named_in_the_code():
    # A word of the vocabulary may spell like a form (per: proposal, the form `proposal`): it
    # names a kind of document, not the form.
    ids = set(load_forms()) - set(PERS) - set(WHEN) - set(ADDS)
    named = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "toolkit").rglob("*.py")
        if (found := _literals(path) & ids)
    }
    assert named == {}


def test_every_shipped_form_has_a_planner_and_speaks_the_vocabulary():
    for form in load_forms().values():
        assert form.per in PERS
        assert planner_for(form) in PLANNERS.values(), form.id
        assert set(form.when) <= set(WHEN) and set(form.adds) <= set(ADDS), form.id


def test_every_word_of_the_vocabulary_is_implemented():
    conditions = {"handed_on", "combined"} | set(meetings.CONDITIONS) | set(proposals.CONDITIONS)
    conditions |= set(books.CONDITIONS)
    assert conditions == set(WHEN)
    assert set(meetings.EXTRAS) | {"body"} == set(ADDS)
    assert {per for _, per in PLANNERS} == set(PERS)


def _form_folder(tmp_path: Path, form_id: str, **yaml: str) -> Path:
    folder = tmp_path / "forms" / form_id
    shutil.copytree(FORMS_DIR / form_id, folder, dirs_exist_ok=True)
    text = (folder / "form.yaml").read_text(encoding="utf-8")
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith(("per:", "when:", "adds:", "binds:", "select:"))
    ]
    lines += [f"{key}: {value}" for key, value in yaml.items()]
    (folder / "form.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("old", sorted(_legacy()["per"]))
def test_older_per_values_read_as_the_vocabulary_says_them(tmp_path, old):
    folder = _form_folder(tmp_path, "meeting_minutes", per=old)
    form = load_form(folder)
    meaning = _legacy()["per"][old]
    assert form.per == meaning["per"] and form.per in PERS
    assert form.when == tuple(meaning.get("when", ()))
    assert form.adds == tuple(meaning.get("adds", ()))
    assert form.binds == tuple(meaning.get("binds", ()))


def test_an_exported_form_of_the_older_vocabulary_still_builds(make_book, tmp_path):
    """A 交办单 exported with `select: handed_on`, a notice with a bare `per: meeting`."""
    _form_folder(tmp_path, "handoff_slip", per="row", select="handed_on")
    legacy = load_form(_form_folder(tmp_path, "meeting_notice", per="meeting"))
    assert legacy.when == () and legacy.adds == ("notice", "sign_sheet")
    book = make_book(
        [
            reception(code="JD-1"),
            reception(code="JD-2", route="当场答复", unit="", due=None),
        ]
    )
    result = build(
        BuildOptions(
            workbook=book,
            out=tmp_path / "out",
            only=("handoff_slip",),
            forms_dir=tmp_path / "forms",
            formats=("docx",),
            jobs=1,
        )
    )
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out" / "群众意见建议交办单").iterdir()) == [
        "群众意见建议交办单_2024-03-15_三元社区人大代表联络站_JD-1.docx"
    ]


def test_unknown_words_are_refused_naming_the_file(tmp_path):
    folder = _form_folder(tmp_path, "meeting_minutes", per="meeting", when="[rainy]")
    with pytest.raises(TemplateError) as info:
        load_form(folder)
    assert info.value.where == str(folder / "form.yaml")
    assert info.value.message.startswith("when“rainy”不受支持（可用：handed_on、has_agenda")
    folder = _form_folder(tmp_path, "meeting_minutes", per="fortnight")
    with pytest.raises(TemplateError) as info:
        load_form(folder)
    assert "per“fortnight”不受支持" in info.value.message


def test_a_form_whose_kind_needs_a_family_says_which(tmp_path):
    folder = _form_folder(tmp_path, "duty_tally", per="period")
    text = (folder / "form.yaml").read_text(encoding="utf-8").replace("family: duty", "family: ")
    (folder / "form.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        planner_for(load_form(folder))
    assert info.value.message == "per“period”的表单要写明 family（可用：duty、proposals）"


def test_a_new_meeting_form_is_a_folder_and_no_code(make_book, tmp_path):
    """A 会议评议意见表 for every 政府部门进站 and 代表议事会: `when: [rated]`, nothing else."""
    folder = tmp_path / "forms" / "meeting_opinions"
    folder.mkdir(parents=True)
    (folder / "form.yaml").write_text(
        "id: meeting_opinions\ntitle: 会议评议意见表\nfamily: meetings\nsheet: 会议\n"
        "per: meeting\nwhen: [rated]\nadds: [rating_form]\nformats: [docx]\n"
        'filename: "{日期}_{会议编号}"\n',
        encoding="utf-8",
    )
    shutil.copy(FORMS_DIR / "meeting_minutes" / "template.docx", folder / "template.docx")
    book = make_book(
        extra_sheets={
            "会议": [
                ["会议名称", "会议类型", "日期", "会议编号", "联络站"],
                [
                    "区交通局进站",
                    "政府部门进站",
                    dt.date(2024, 6, 5),
                    "HY-1",
                    "三元社区人大代表联络站",
                ],
                [
                    "三月接待选民日",
                    "接待选民日",
                    dt.date(2024, 3, 15),
                    "HY-2",
                    "三元社区人大代表联络站",
                ],
            ]
        }
    )
    result = build(
        BuildOptions(
            workbook=book,
            out=tmp_path / "out",
            only=("meeting_opinions",),
            forms_dir=tmp_path / "forms",
            jobs=1,
        )
    )
    assert result.exit_code == 0, [str(p) for p in result.data.errors]
    made = sorted(p.name for p in (tmp_path / "out" / "会议评议意见表").iterdir())
    assert made == ["会议评议意见表_2024-06-05_HY-1.docx"]
