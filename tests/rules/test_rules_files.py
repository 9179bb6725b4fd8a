"""The rules files (toolkit/rules/): which kinds a file holds, and the scoring file's newer keys
(名称, 计数, 季度等次, 公示) read or refused with the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.rules import load_scoring, pick_rules, rule_kinds
from toolkit.rules.scoring import DEFAULT_TITLE, Notice

ITEMS = "积分项目:\n  - {名称: 进站接待, 来源: 接待登记, 每次: 2}\n"


def _file(tmp_path: Path, text: str, name: str = "规则.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_title_alone_says_nothing_of_a_files_kind(tmp_path):
    assert rule_kinds(_file(tmp_path, "名称: 某某办法\n处理方式:\n  - {名称: 当场答复}\n")) == {
        "reception"
    }
    both = _file(tmp_path, ITEMS + "述职评议等次:\n  - {名称: 称职, 不低于: 0.8}\n", "b.yaml")
    assert rule_kinds(both) == {"scoring", "duty"}
    assert pick_rules([both]) == {"scoring": both, "duty": both}


def test_the_defaults_of_the_newer_keys(tmp_path):
    rules = load_scoring(_file(tmp_path, ITEMS))
    assert rules.title == DEFAULT_TITLE == "代表履职积分办法"
    assert rules.items[0].counts == "接待天数"  # a reception item counts days by default
    assert rules.notice == Notice("", 7, "")
    assert rules.grades_for(None) == rules.grades and rules.grades_for(2) is None


def test_title_quarter_grades_and_notice(tmp_path):
    text = (
        "名称: 《三元街道代表履职积分细则》\n"
        + ITEMS
        + "季度等次:\n  第二季度:\n    - {名称: 好, 最低分: 20}\n    - {名称: 差}\n"
        + "公示: {发布单位: 三元街道人大工委, 公示天数: 5, 联系电话: 0571-86001234}\n"
    )
    rules = load_scoring(_file(tmp_path, text))
    assert rules.title == "三元街道代表履职积分细则"  # printed in 《》 by the documents
    assert [g.name for g in rules.grades_for(2) or ()] == ["好", "差"]
    assert rules.grades_for(1) is None
    assert rules.notice == Notice("三元街道人大工委", 5, "0571-86001234")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "季度等次:\n  第五季度: [{名称: 好}]\n",
            "规则.yaml 第4行 “季度等次”：“第五季度”不是季度（写 第一季度 … 第四季度）",
        ),
        (
            "公示: {张贴地点: 门口}\n",
            "规则.yaml 第3行 “公示”：未知的键“张贴地点”（可用：发布单位、公示天数、联系电话）",
        ),
        ("公示: {公示天数: 2.5}\n", "规则.yaml 第3行 “公示天数”应为整数"),
        ("名称: ''\n", "规则.yaml 第3行 “名称”应为规则的名称（例如 代表履职积分办法）"),
    ],
)
def test_mistakes_name_the_file_line_and_key(tmp_path, extra, message):
    with pytest.raises(ToolkitError) as info:
        load_scoring(_file(tmp_path, ITEMS + extra))
    assert str(info.value) == message
