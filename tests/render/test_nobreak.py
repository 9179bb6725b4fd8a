"""The PDF renderer's pass that keeps dates, times, numbers with their units and names whole
(toolkit/render/nobreak.py), on parsed trees as WeasyPrint's parser makes them."""

from __future__ import annotations

from xml.etree import ElementTree

import tinyhtml5

from toolkit.render.nobreak import keep_together


def kept(body: str, head: str = "") -> str:
    root = tinyhtml5.parse(
        f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>",
        namespace_html_elements=False,
    )
    keep_together(root)
    html = ElementTree.tostring(root, encoding="unicode", method="html")
    return html.split("<body>", 1)[1].split("</body>", 1)[0]


def test_dates_times_and_numbers_with_units_are_kept_whole() -> None:
    assert kept("<p>定于2024年3月5日（星期二）下午2:30召开，参加6次，满意率85.00%。</p>") == (
        "<p>定于<nobr>2024年3月5日</nobr><nobr>（星期二）</nobr><nobr>下午2:30</nobr>召开，"
        "参加<nobr>6次</nobr>，满意率<nobr>85.00%</nobr>。</p>"
    )
    assert kept("<p>第3名（共36人）</p>") == "<p><nobr>第3名</nobr>（<nobr>共36人</nobr>）</p>"
    assert kept("<p>第 3 名，合计 26 分</p>") == (
        "<p><nobr>第 3 名</nobr>，合计 <nobr>26 分</nobr></p>"
    )


def test_a_colon_stays_with_the_value_after_it() -> None:
    assert kept("<p>联系电话：0571-86001234</p>") == "<p>联系电话<nobr>：0571-86001234</nobr></p>"
    assert kept("<p>（附议；办理结果：A类）</p>") == "<p>（附议；办理结果<nobr>：A</nobr>类）</p>"


def test_text_around_elements_keeps_its_order() -> None:
    assert kept("<p>共<b>12</b>人，其中3人请假。<i>x</i>下午3时散会</p>") == (
        "<p>共<b>12</b>人，其中<nobr>3人</nobr>请假。<i>x</i><nobr>下午3时</nobr>散会</p>"
    )


def test_names_are_kept_whole_and_may_wrap_only_after_their_dot() -> None:
    assert kept('<p class="names">王伟、买买提·艾力、李娜</p>') == (
        '<p class="names"><nobr>王伟</nobr>、<nobr>买买提·</nobr><nobr>艾力</nobr>、'
        "<nobr>李娜</nobr></p>"
    )
    assert kept('<p>述职人：<span class="names">侯刚文</span></p>') == (
        '<p>述职人：<span class="names"><nobr>侯刚文</nobr></span></p>'
    )
    # outside class="names" a name is ordinary text
    assert kept("<p>王伟、李娜</p>") == "<p>王伟、李娜</p>"


def test_escaped_values_stay_text_and_the_head_is_left_alone() -> None:
    body = kept("<p>&lt;b&gt;6次&lt;/b&gt;</p><style>td { width: 10% }</style>")
    assert body == "<p>&lt;b&gt;<nobr>6次</nobr>&lt;/b&gt;</p><style>td { width: 10% }</style>"
    root = tinyhtml5.parse(
        "<html><head><title>2024年3月5日</title></head><body><nobr>6次</nobr></body></html>",
        namespace_html_elements=False,
    )
    keep_together(root)
    assert root.find("head/title").text == "2024年3月5日"
    assert ElementTree.tostring(root.find("body"), encoding="unicode") == (
        "<body><nobr>6次</nobr></body>"
    )
