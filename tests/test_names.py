import pytest

from toolkit.names import Roster, Stations
from toolkit.values import ValueProblem

STATION_A = "三元社区人大代表联络站"
STATION_B = "建设镇人大代表联络站"


@pytest.fixture
def roster():
    return Roster(
        Roster.displays(
            [
                ("王伟", "DB-001", "县", STATION_A, 2),
                ("王伟", "DB-009", "县", STATION_B, 3),
                ("李娜", "DB-002", "县", STATION_A, 4),
                ("买买提·艾力", "DB-003", "市", STATION_A, 5),
                ("欧阳晓峰", "DB-004", "县", STATION_A, 6),
            ]
        )
    )


def test_whitespace_inside_names_is_ignored(roster):
    for mention in ("李娜", "李 娜", "李\u3000娜", " 李娜 "):
        assert roster.resolve_one(mention).display == "李娜"


def test_dot_look_alikes_are_one_name(roster):
    assert roster.resolve_one("买买提•艾力").display == "买买提·艾力"


def test_lists_split_on_punctuation_then_spaces(roster):
    deputies, problems = roster.resolve_many("李娜、欧阳晓峰，买买提·艾力")
    assert [d.name for d in deputies] == ["李娜", "欧阳晓峰", "买买提·艾力"]
    deputies, problems = roster.resolve_many("李娜 欧阳晓峰")
    assert [d.name for d in deputies] == ["李娜", "欧阳晓峰"] and not problems
    deputies, problems = roster.resolve_many("李 娜;欧阳 晓峰")
    assert [d.name for d in deputies] == ["李娜", "欧阳晓峰"] and not problems


def test_namesakes_need_a_qualifier(roster):
    with pytest.raises(ValueProblem) as info:
        roster.resolve_one("王伟")
    assert info.value.message == "“王伟” 有 2 名同名代表，无法确定是哪一位"
    assert f"王伟（{STATION_B}）" in info.value.hint
    assert roster.resolve_one(f"王伟（{STATION_B}）").code == "DB-009"
    assert roster.resolve_one("王伟(DB-001)").station == STATION_A
    assert roster.resolve_one("王伟（建设镇）").station == STATION_B
    assert roster.resolve_one("DB-009").display == f"王伟（{STATION_B}）"


def test_unknown_name_suggests_closest(roster):
    with pytest.raises(ValueProblem) as info:
        roster.resolve_one("欧阳小峰")
    assert info.value.message == "“欧阳小峰” 不在代表名册中"
    assert info.value.hint == "是否为：欧阳晓峰？"


def test_a_deputy_listed_twice_is_reported(roster):
    deputies, problems = roster.resolve_many("李娜、李 娜")
    assert len(deputies) == 1
    assert problems[0].message == "“李娜” 重复出现"


def test_stations_ignore_spaces_and_brackets():
    stations = Stations(["XX村人大代表联络点（一）"])
    assert stations.resolve("XX村 人大代表联络点(一)") == "XX村人大代表联络点（一）"
    with pytest.raises(ValueProblem) as info:
        stations.resolve("YY村人大代表联络点")
    assert info.value.message == "“YY村人大代表联络点” 不在“联络站”表中"
