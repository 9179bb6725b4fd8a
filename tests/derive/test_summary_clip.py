"""derive/summary.clip: the headings and excerpts of the 年度工作总结's typical cases."""

from __future__ import annotations

import pytest

from toolkit.derive.summary import clip


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("短句", 20, "短句"),
        # at the last clause break in the second half, its punctuation dropped
        ("粮食局家属院旁边建筑工地夜间施工，晚上11点后还在打桩，噪声扰民。", 20,
         "粮食局家属院旁边建筑工地夜间施工……"),
        # no break: never inside a number (“晚上1” of “晚上11点”) …
        ("粮食局家属院旁边建筑工地夜间施工晚上11点后还在打桩", 18,
         "粮食局家属院旁边建筑工地夜间施工晚上……"),
        # … nor a Latin word
        ("居民反映小区门口的ATM机经常故障", 11, "居民反映小区门口的……"),
    ],
)  # fmt: skip
def test_a_case_is_cut_where_a_reader_would_cut_it(text: str, length: int, expected: str) -> None:
    assert clip(text, length) == expected
