"""The sample workbook generator (toolkit/commands/sample.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from toolkit import contract
from toolkit.commands.sample import make_sample
from toolkit.derive.schedule import parse_days
from toolkit.errors import UsageError
from toolkit.values import split_name_pieces

Sheets = dict[str, list[dict[str, Any]]]
PHONE = re.compile(r"1\d{10}")


def _read(path: Path) -> Sheets:
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for ws in wb.worksheets:
        header, *rows = ws.iter_rows(values_only=True)
        pad = (None,) * len(header)  # read-only rows stop at their last written cell
        sheets[ws.title] = [
            dict(zip(header, (row + pad)[: len(header)], strict=True)) for row in rows
        ]
    wb.close()
    return sheets


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], Sheets]:
    path = tmp_path_factory.mktemp("sample") / "示例台账.xlsx"
    counts = make_sample(path, stations=3, receptions=60)
    return path, counts, _read(path)


def _names(cell: str | None) -> list[str]:
    return split_name_pieces(cell) if cell else []


def test_every_sheet_filled_with_the_contract_headers(small: Any) -> None:
    path, counts, sheets = small
    assert list(sheets) == [spec.name for spec in contract.SHEETS]
    wb = openpyxl.load_workbook(path, read_only=True)
    for spec in contract.SHEETS:
        header = next(wb[spec.name].iter_rows(max_row=1, values_only=True))
        assert list(header) == [column.name for column in spec.columns]
        assert counts[spec.name] == len(sheets[spec.name]) > 0, spec.name
    wb.close()


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    one, two, other = tmp_path / "1.xlsx", tmp_path / "2.xlsx", tmp_path / "3.xlsx"
    make_sample(one, stations=2, receptions=20)
    make_sample(two, stations=2, receptions=20)
    make_sample(other, stations=2, receptions=20, seed=2)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes() != other.read_bytes()


def test_row_counts_follow_the_arguments(tmp_path: Path) -> None:
    two = make_sample(tmp_path / "2.xlsx", stations=2)
    four = make_sample(tmp_path / "4.xlsx", stations=4)
    assert (two["联络站"], two["代表名册"], two["接待登记"]) == (2, 24, 80)
    assert (four["联络站"], four["代表名册"], four["接待登记"]) == (4, 48, 160)
    assert four["会议"] > two["会议"] and four["履职活动"] > two["履职活动"]
    sized = make_sample(tmp_path / "x.xlsx", stations=2, deputies=15, receptions=100)
    assert (sized["代表名册"], sized["接待登记"]) == (15, 100)
    assert len(_read(tmp_path / "x.xlsx")["接待登记"]) == 100


def test_every_person_is_in_the_roster(small: Any) -> None:
    sheets = small[2]
    roster = [row["姓名"] for row in sheets["代表名册"]]
    assert len(roster) == len(set(roster)) == 36  # no namesakes
    known = set(roster)
    mentioned = [name for row in sheets["接待登记"] for name in _names(row["接待代表"])]
    mentioned += [name for row in sheets["履职活动"] for name in _names(row["参加代表"])]
    mentioned += [
        name for row in sheets["代表建议"] for name in [row["领衔代表"], *_names(row["附议代表"])]
    ]
    mentioned += [row["代表姓名"] for row in sheets["述职测评"]]
    mentioned += [row["姓名"] for row in sheets["述职材料"]]
    assert mentioned and set(mentioned) <= known
    for row in sheets["接待登记"]:
        assert 1 <= len(_names(row["接待代表"])) <= 3


def test_roster_has_unusual_names(small: Any) -> None:
    roster = [row["姓名"] for row in small[2]["代表名册"]]
    assert any("·" in name for name in roster)

    def outside_gb2312(name: str) -> bool:
        try:
            name.encode("gb2312")
        except UnicodeEncodeError:
            return True
        return False

    assert any(outside_gb2312(name) for name in roster)
    assert len({row["代表层级"] for row in small[2]["代表名册"]}) >= 3


def test_station_references_exist(small: Any) -> None:
    sheets = small[2]
    stations = {row["站点名称"] for row in sheets["联络站"]}
    assert {row["所属联络站"] for row in sheets["代表名册"]} <= stations
    assert {row["联络站"] for row in sheets["接待登记"]} <= stations
    assert {row["联络站"] for row in sheets["会议"] if row["联络站"]} <= stations


def test_meeting_and_item_references_exist(small: Any) -> None:
    sheets = small[2]
    meetings = {row["会议编号"]: row for row in sheets["会议"]}
    assert len(meetings) == len(sheets["会议"])
    items = {row["项目编号"]: row for row in sheets["票决项目"]}
    for row in sheets["票决项目"]:
        assert meetings[row["会议编号"]]["会议类型"] == "民生实事票决会"
    for row in sheets["票决结果"]:
        assert items[row["项目编号"]]["会议编号"] == row["会议编号"]
        assert row["赞成"] + row["反对"] + row["弃权"] <= row["收回票数"] <= row["发出票数"]
        assert row["发出票数"] <= meetings[row["会议编号"]]["应到人数"]
    for row in sheets["满意度测评"]:
        assert meetings[row["会议编号"]]["会议类型"] in ("政府部门进站", "代表议事会")
        assert row["满意"] + row["基本满意"] + row["不满意"] <= row["收回票数"] <= row["发出票数"]
    for row in sheets["述职测评"]:
        assert meetings[row["会议编号"]]["会议类型"] == "述职评议会"
        grades = row["满意"] + row["基本满意"] + row["不满意"]
        assert grades == row["有效票数"] <= row["收回票数"] <= row["发出票数"]


def test_phones_are_text(small: Any) -> None:
    sheets = small[2]
    phones = [row["联系电话"] for row in sheets["代表名册"]]
    phones += [row["联系电话"] for row in sheets["接待登记"] if row["联系电话"] is not None]
    assert phones and all(isinstance(p, str) and PHONE.fullmatch(p) for p in phones)
    assert all(isinstance(row["联系电话"], str) for row in sheets["联络站"])


def test_dates_are_real_dates_in_the_year(small: Any) -> None:
    sheets = small[2]
    for spec in contract.SHEETS:
        for column in spec.columns:
            if column.kind != contract.DATE:
                continue
            for row in sheets[spec.name]:
                value = row[column.name]
                if value is not None:
                    assert isinstance(value, dt.datetime), f"{spec.name}.{column.name}"
                    assert value.year == 2024


def test_receptions_on_the_station_day_with_unique_numbers(small: Any) -> None:
    sheets = small[2]
    # 接待日 is written in several ways (每月10日上午 …); each is the day of each month.
    patterns = {row["站点名称"]: parse_days(row["接待日"]) for row in sheets["联络站"]}
    assert {p.kind for p in patterns.values()} == {"monthly"}
    assert len({row["接待日"].removeprefix("每月")[2:] for row in sheets["联络站"]}) > 1
    days = {name: p.days[0] for name, p in patterns.items()}
    receptions = sheets["接待登记"]
    assert all(row["接待日期"].day == days[row["联络站"]] for row in receptions)
    codes = [row["登记编号"] for row in receptions]
    assert len(set(codes)) == len(codes) and codes[0] == "JD-2024-0001"
    assert {row["处理方式"] for row in receptions} <= set(contract.ROUTES)
    routes = ("交社区(村)办理", "交街道(乡镇)办理", "转交有关部门")
    handed_on = [row for row in receptions if row["处理方式"] in routes]
    assert handed_on and all(row["承办单位"] and row["办理时限"] for row in handed_on)
    assert any(row["办理结果"] and row["反馈日期"] and row["群众满意度"] for row in handed_on)
    assert any("\n" in row["反映内容"] for row in receptions)
    # 值班安排: the station's day of the first months, by the deputies who received that day.
    rota = sheets["值班安排"]
    assert rota and all(row["日期"].day == days[row["联络站"]] for row in rota)
    received = {(r["联络站"], r["接待日期"]): r["接待代表"] for r in receptions}
    assert any(
        set(received[key].split("、")) <= set(row["值班代表"].split("、"))
        for row in rota
        if (key := (row["联络站"], row["日期"])) in received
    )


def test_five_stations_have_five_names(tmp_path: Path) -> None:
    make_sample(tmp_path / "s.xlsx", stations=5, deputies=25, receptions=10)
    names = [row["站点名称"] for row in _read(tmp_path / "s.xlsx")["联络站"]]
    assert len(set(names)) == 5
    assert any(name.endswith("联络点") for name in names)


def test_motions_have_enough_co_signers(tmp_path: Path) -> None:
    make_sample(tmp_path / "m.xlsx", stations=4, deputies=120, receptions=0, seed=3)
    sheets = _read(tmp_path / "m.xlsx")
    levels = {row["姓名"]: row["代表层级"] for row in sheets["代表名册"]}
    motions = [row for row in sheets["代表建议"] if row["类别"] == "议案"]
    assert motions
    for row in motions:
        co = _names(row["附议代表"])
        assert row["领衔代表"] not in co and len(co) == len(set(co))
        assert len(co) >= (5 if levels[row["领衔代表"]] == "乡镇" else 10)
        assert {levels[name] for name in co} == {levels[row["领衔代表"]]}
        assert row["标题"].endswith("的议案") and row["案据"] and row["方案"]


def test_refuses_to_overwrite_and_bad_sizes(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        make_sample(path, stations=1, receptions=1, overwrite=False)
    assert path.read_bytes() == b"keep"
    make_sample(path, stations=1, receptions=1)  # a sample is a throwaway: overwritten
    assert path.read_bytes() != b"keep"
    for bad in (
        {"stations": 0},
        {"stations": 3, "deputies": 2},
        {"receptions": -1},
        {"year": 1970},
    ):
        with pytest.raises(UsageError):
            make_sample(tmp_path / "t.xlsx", **bad)
    assert not (tmp_path / "t.xlsx").exists()


def test_validates_without_problems(small: Any) -> None:
    from toolkit.read import read_workbook
    from toolkit.rules import load_rules
    from toolkit.validate import validate

    data = validate(read_workbook(small[0]), load_rules())
    assert [str(p) for p in data.problems] == []


def test_the_bundled_sample_is_what_the_generator_makes(tmp_path: Path) -> None:
    """forms/sample/示例台账.xlsx is `liaison sample`'s default output, so it never drifts."""
    from toolkit.paths import SAMPLE_WORKBOOK

    make_sample(tmp_path / "示例台账.xlsx")
    assert (tmp_path / "示例台账.xlsx").read_bytes() == SAMPLE_WORKBOOK.read_bytes()


@pytest.mark.parametrize("seed", [1, 5, 9])
def test_own_words_state_no_figure_the_workbook_contradicts(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "s.xlsx"
    make_sample(path, stations=2, seed=seed)
    sheets = _read(path)
    days: dict[str, set[Any]] = {}
    for row in sheets["接待登记"]:
        for name in _names(row["接待代表"]):
            days.setdefault(name, set()).add(row["接待日期"])
    for row in sheets["履职活动"]:
        if row["活动类型"] == "进站接待":
            for name in _names(row["参加代表"]):
                days.setdefault(name, set()).add(row["活动日期"])
    texts = sheets["述职材料"]
    assert texts
    for row in texts:
        said = re.findall(r"接待选民[日活动]*(\d+)次", row["履职情况补充"])
        assert all(int(n) == len(days.get(row["姓名"], ())) for n in said), row
        # no other number: a deputy's words never invent a count
        assert re.findall(r"\d+", row["履职情况补充"]) == said, row


def test_grades_of_the_bundled_sample_spread_as_a_real_year(tmp_path: Path) -> None:
    from collections import Counter

    from toolkit.commands.score import score_workbook

    _, board = score_workbook(None)  # the bundled sample
    grades = Counter(s.grade for s in board.scores)
    assert set(grades) == {"好", "较好", "差"}, grades
    assert max(grades.values()) <= 0.6 * len(board.scores), grades  # not nearly all 差
    assert grades["差"] < grades["较好"]
