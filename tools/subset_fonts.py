"""Rebuild the subset Chinese fonts shipped in ``forms/fonts/``.

Contract: given a directory into which the Debian packages ``fonts-noto-cjk``,
``fonts-lxgw-wenkai``, ``texlive-lang-chinese`` and ``unicode-data`` have been
extracted with ``dpkg-deb -x``, write into the output folder (default
``forms/fonts`` of this repository):

* ``charset.txt``: the character set (GB2312, the 8,105 characters of the
  通用规范汉字表 taken from Unihan's ``kTGH`` field, ASCII, Latin-1,
  punctuation and the symbols forms use, and every character of
  ``shared/DESIGN.md``);
* five subset fonts, each cut to (charset ∩ that font's cmap), with glyph ids
  renumbered (fontTools' default, ``retain_gids`` off), every name-table record
  kept so the family names fontconfig and CSS see are unchanged, and the
  ``head`` timestamps kept so the same inputs give the same bytes. The one
  exception is LXGW WenKai: its licence (OFL 1.1) reserves the font names
  "霞鹜" and "LXGW", which a Modified Version such as a subset may not use
  (OFL condition 3), so its subset is renamed Liaison Kai (联络站楷体) and
  written as ``LiaisonKai-Regular.ttf``;
* the licence texts (``OFL-Noto.txt``, ``OFL-LiaisonKai.txt``,
  ``LICENSE-Fandol.txt``) taken from the packages' own copyright files;
* ``fonts.conf``, a fontconfig file that sees only the fonts of its folder;
* ``README.md`` listing each file, its source package and version, its role
  and licence, and the command that rebuilt it.

It prints, for each font, the glyph count, file size and the charset
characters the font lacks. Nothing is installed and nothing outside the
output folder is written.

Rebuild (Debian 12 package versions are recorded in the README)::

    mkdir -p /tmp/debs /tmp/fontsrc && cd /tmp/debs
    apt-get download fonts-noto-cjk fonts-lxgw-wenkai texlive-lang-chinese unicode-data
    for f in /tmp/debs/*.deb; do dpkg-deb -x "$f" /tmp/fontsrc; done
    python tools/subset_fonts.py /tmp/fontsrc
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.reorderGlyphs import reorderGlyphs

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "forms" / "fonts"
DEFAULT_DESIGN = REPO.parent / "shared" / "DESIGN.md"
UNIHAN_REL = Path("usr/share/unicode/Unihan_OtherMappings.txt.bz2")
TGH_COUNT = 8105
TGH_LEVEL1 = 3500  # 一级字表: the characters of everyday text
PRIORITY_FILE = "priority.txt"
# Punctuation and symbols forms print on almost every page; they go first with ASCII.
PRIORITY_SYMBOLS = (
    "，。、；：？！“”‘’（）《》〈〉【】〔〕—…·－～￥％＋＝／．０１２３４５６７８９□■○●√×※№〇"
    "①②③④⑤⑥⑦⑧⑨⑩ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ\u3000"
)
HAN_PER_LINE = 1000

# Given-name characters outside GB2312; all are in the 通用规范汉字表 too, so
# this is a safety net that only matters if the table ever loses one.
NAME_CHARS = (
    "堃喆昇赟珺玥琇镕犇彧祎翀曌垚璟旻炜烨晟昱琰瑾璇婧妍娅琪瑶瑜璐珂玮祺骞彤婕蕊嫣霏靓"
    "钰铖锴锟锦炅昶晔皓颢煜熠燚鑫淼焱森磊骉瞿琛琮瑄瑭璨韬逸睿哲翊翔"
)

# Code-point ranges always included (inclusive).
RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 punctuation, symbols and letters
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x214F),  # letterlike symbols: ℃ № ℡ ™
    (0x2150, 0x218F),  # number forms: Ⅰ–Ⅻ ⅰ–ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics: ①–⑳ ⑴–⒇ ⒈–⒛
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: □ ■ ○ ● ◎ ◇ ◆ △ ▲
    (0x3000, 0x303F),  # CJK symbols and punctuation, 〇
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
EXTRA_SYMBOLS = "☐☑☒★☆√×÷±≤≥≠∶※〇、№"

# Never written to charset.txt: controls, line/paragraph separators (they
# split lines in Python), private use, surrogates, unassigned code points, and
# the bidi embedding/override/isolate controls (kept out of the repository's
# text; HarfBuzz handles them without the font). Other format characters stay:
# the soft hyphen and zero-width space have glyphs that toolkit.fonts counts.
EXCLUDED_CATEGORIES = {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"}
EXCLUDED_BIDI = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}


@dataclass(frozen=True)
class Rename:
    """New names for a subset whose licence reserves the source's font names.

    OFL condition 3: no Modified Version (a subset is one) may use a Reserved
    Font Name as its primary font name. Every name record that names the font
    is rewritten; the copyright notice (name ID 0) is kept, as the OFL requires,
    and gets ``note`` appended; no other record may still contain a reserved name.
    """

    family: str  # English family (name IDs 1, 16, 21)
    family_zh: str  # family for the records in Simplified Chinese
    style: str  # subfamily, for the full name
    postscript: str  # name ID 6
    vendor: str  # OS/2 achVendID (fontconfig's "foundry")
    reserved: tuple[str, ...]  # Reserved Font Names, matched case-insensitively
    note: str  # heads the licence file and ends the copyright notice


@dataclass(frozen=True)
class FontSpec:
    """One shipped font: where it comes from and what it is for."""

    out_name: str
    source_name: str  # file name searched for under the source directory
    family: str  # English family (name ID 1) of the face to take from a TTC
    package: str  # Debian binary package that ships the source file
    licence: str  # licence file written next to the fonts
    role: str
    rename: Rename | None = None  # set when the subset may not keep the source's names


FONTS: tuple[FontSpec, ...] = (
    FontSpec(
        "NotoSerifCJKsc-Regular.otf",
        "NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
        "fonts-noto-cjk",
        "OFL-Noto.txt",
        "宋体 / serif, fallback for every other face",
    ),
    FontSpec(
        "NotoSerifCJKsc-Bold.otf",
        "NotoSerifCJK-Bold.ttc",
        "Noto Serif CJK SC",
        "fonts-noto-cjk",
        "OFL-Noto.txt",
        "小标宋 titles (bold serif)",
    ),
    FontSpec(
        "NotoSansCJKsc-Regular.otf",
        "NotoSansCJK-Regular.ttc",
        "Noto Sans CJK SC",
        "fonts-noto-cjk",
        "OFL-Noto.txt",
        "黑体 / sans-serif",
    ),
    FontSpec(
        "FandolFang-Regular.otf",
        "FandolFang-Regular.otf",
        "FandolFang R",
        "texlive-lang-chinese",
        "LICENSE-Fandol.txt",
        "仿宋 (body text; missing characters fall back to the serif)",
    ),
    FontSpec(
        "LiaisonKai-Regular.ttf",
        "LXGWWenKai-Regular.ttf",
        "LXGW WenKai",
        "fonts-lxgw-wenkai",
        "OFL-LiaisonKai.txt",
        "楷体",
        Rename(
            family="Liaison Kai",
            family_zh="联络站楷体",
            style="Regular",
            postscript="LiaisonKai-Regular",
            vendor="NONE",
            reserved=("霞鹜", "LXGW"),
            note=(
                "Liaison Kai is a modified (subset) version of LXGW WenKai by LXGW;"
                " renamed as the Reserved Font Name clause requires."
            ),
        ),
    ),
)

# (platformID, langID) of name records in Simplified Chinese: Windows zh-CN and
# Macintosh "Chinese (Simplified)".
ZH_HANS = {(3, 0x0804), (1, 33)}

FONTS_CONF = """\
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!--
  Fontconfig sees only the fonts of this folder: no system config is included.
  Use with FONTCONFIG_FILE=/path/to/forms/fonts/fonts.conf before fontconfig
  (Pango, WeasyPrint) is first used in the process.
-->
<fontconfig>
  <dir prefix="relative">.</dir>
  <cachedir prefix="xdg">liaison-fontconfig</cachedir>

  <!-- Any other family (FandolFang, Liaison Kai, an unknown name) falls back to
       serif, so characters a face lacks come from Noto Serif CJK SC (this rule
       must come before the aliases below). -->
  <match target="pattern">
    <test qual="all" name="family" compare="not_eq"><string>serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>sans-serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>monospace</string></test>
    <edit name="family" mode="append_last"><string>serif</string></edit>
  </match>

  <!-- Generic families (no system config defines them here). -->
  <alias>
    <family>serif</family>
    <prefer><family>Noto Serif CJK SC</family></prefer>
  </alias>
  <alias>
    <family>sans-serif</family>
    <prefer><family>Noto Sans CJK SC</family></prefer>
  </alias>
  <alias>
    <family>monospace</family>
    <prefer><family>Noto Sans CJK SC</family></prefer>
  </alias>
</fontconfig>
"""

# The standard FSF "font exception" the Fandol README refers to
# ("These fonts's licensing is GPL + GPL font exception").
FONT_EXCEPTION = """\
As a special exception, if you create a document which uses this font, and
embed this font or unaltered portions of this font into the document, this
font does not by itself cause the resulting document to be covered by the
GNU General Public License. This exception does not however invalidate any
other reasons why the document might be covered by the GNU General Public
License. If you modify this font, you may extend this exception to your
version of the font, but you are not obligated to do so. If you do not wish
to do so, delete this exception statement from your version.
"""


@dataclass(frozen=True)
class SubsetResult:
    """What subsetting one font produced."""

    spec: FontSpec
    source: Path
    face_index: int
    glyphs: int
    size: int
    missing: str
    families: str


# --------------------------------------------------------------------------- charset


def gb2312_chars() -> set[str]:
    """Every character of GB2312: the two-byte codes 0xA1A1–0xF7FE that decode."""
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def tgh_chars(unihan: Path) -> list[str]:
    """The 通用规范汉字表 in table order, from Unihan's ``kTGH`` field."""
    by_index: dict[int, str] = {}
    with bz2.open(unihan, "rt", encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3 and fields[1] == "kTGH":
                for value in fields[2].split():
                    by_index[int(value.split(":")[1])] = chr(int(fields[0][2:], 16))
    if sorted(by_index) != list(range(1, TGH_COUNT + 1)):
        raise SystemExit(f"{unihan}: kTGH does not number 1..{TGH_COUNT} ({len(by_index)} found)")
    return [by_index[i] for i in range(1, TGH_COUNT + 1)]


def keep(char: str) -> bool:
    """Whether a character may go into charset.txt."""
    if unicodedata.category(char) in EXCLUDED_CATEGORIES:
        return False
    return unicodedata.bidirectional(char) not in EXCLUDED_BIDI


def priority_chars(tgh: list[str]) -> str:
    """The characters whose glyphs come first in every shipped font.

    WeasyPrint embeds each font with its original glyph ids, and a CID-keyed CFF subset costs
    about 4 compressed bytes for every glyph id below the highest one used (charset, FDSelect
    and charstring offsets of the empty slots): '选' alone at id 7,871 made a 30 KB font
    stream, at id 1 a 3 KB one. Putting ASCII, common punctuation and the 3,500 characters of
    the table's first level first keeps an ordinary form's highest glyph id near 3,600.
    """
    ascii_chars = "".join(chr(c) for c in range(0x20, 0x7F))
    return "".join(dict.fromkeys(ascii_chars + PRIORITY_SYMBOLS + "".join(tgh[:TGH_LEVEL1])))


def reorder_by_priority(font: TTFont, priority: str) -> None:
    """Move the glyphs of `priority` to the front (after .notdef), in that order."""
    order = font.getGlyphOrder()
    cmap = font.getBestCmap()
    first = [order[0]]
    seen = {order[0]}
    for char in priority:
        glyph = cmap.get(ord(char))
        if glyph is not None and glyph not in seen:
            first.append(glyph)
            seen.add(glyph)
    new_order = first + [g for g in order if g not in seen]
    cff = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
    fd_by_glyph: dict[str, int] = {}
    if cff is not None and hasattr(cff, "FDSelect"):
        # Each charstring must keep the private dict (FD) it was drawn with: bind them all
        # before the order changes, then give FDSelect the new order.
        for gid, glyph in enumerate(order):
            cff.CharStrings[glyph].decompile()
            fd_by_glyph[glyph] = cff.FDSelect.gidArray[gid]
    reorderGlyphs(font, new_order)
    if fd_by_glyph and cff is not None:
        cff.FDSelect.gidArray = [fd_by_glyph[g] for g in new_order]


def build_charset(tgh: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The sorted character set: fixed ranges, symbols, GB2312, the table, texts."""
    chars = {chr(cp) for start, end in RANGES for cp in range(start, end + 1)}
    chars |= set(EXTRA_SYMBOLS) | set(NAME_CHARS) | gb2312_chars() | set(tgh)
    for text in texts:
        chars |= set(text)
    return sorted(c for c in chars if keep(c))


def is_han(char: str) -> bool:
    """Whether a character is a CJK unified or compatibility ideograph."""
    return unicodedata.name(char, "").startswith("CJK ") and "IDEOGRAPH" in unicodedata.name(
        char, ""
    )


def format_charset(chars: list[str]) -> str:
    """Line 1: everything but Han; then Han characters, HAN_PER_LINE a line."""
    other = "".join(c for c in chars if not is_han(c))
    han = "".join(c for c in chars if is_han(c))
    lines = [other] + [han[i : i + HAN_PER_LINE] for i in range(0, len(han), HAN_PER_LINE)]
    return "\n".join(lines) + "\n"


def read_charset(path: Path) -> list[str]:
    """Read charset.txt back: lines split on U+000A only (U+0020 is a member)."""
    text = path.read_text(encoding="utf-8")
    return sorted(set(text.replace("\n", "")))


# --------------------------------------------------------------------------- sources


def find_file(src: Path, name: str) -> Path:
    """The one file called ``name`` under ``src`` (extracted packages)."""
    hits = sorted(p for p in src.rglob(name) if p.is_file())
    if not hits:
        raise SystemExit(f"{name} not found under {src}: extract the .deb files there first")
    return hits[0]


def english_name(font: TTFont, name_id: int) -> str:
    """A Windows English name record, or the best one fontTools finds."""
    record = font["name"].getName(name_id, 3, 1, 0x409)
    return record.toUnicode() if record else (font["name"].getDebugName(name_id) or "")


def face_index(path: Path, family: str) -> int:
    """Index of the face whose family (name ID 1) is ``family``; 0 for a single font."""
    if path.suffix.lower() != ".ttc":
        font = TTFont(path, lazy=True)
        if english_name(font, 1) != family:
            raise SystemExit(f"{path}: family is {english_name(font, 1)!r}, expected {family!r}")
        return 0
    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        if english_name(font, 1) == family:
            return index
    raise SystemExit(f"{path}: no face with family {family!r}")


def package_version(src: Path, package: str) -> str:
    """Debian version from the first line of the package's changelog."""
    changelog = src / "usr/share/doc" / package / "changelog.Debian.gz"
    with gzip.open(changelog, "rt", encoding="utf-8") as lines:
        match = re.match(r"\S+ \(([^)]+)\)", lines.readline())
    if not match:
        raise SystemExit(f"{changelog}: no version on the first line")
    return match.group(1)


# --------------------------------------------------------------------------- subsetting


def subset_options() -> subset.Options:
    """fontTools defaults (renumbered glyph ids, default OpenType features) less
    ``locl``, plus every name record, so family names in all languages survive.

    ``locl`` is dropped because in the Noto CJK faces it maps every character to
    its Japanese, Korean and traditional-Chinese forms; keeping it pulls ~6,500
    glyphs into the closure (16,265 instead of 9,746 glyphs, 5.8 MB instead of
    3.3 MB) that simplified-Chinese text never uses.
    """
    options = subset.Options()
    options.layout_features = [f for f in options.layout_features if f != "locl"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.retain_gids = False
    # Vertical metrics serve vertical writing only, which no form uses; WeasyPrint would embed
    # them with 4 bytes for every glyph id below the highest one a page uses.
    options.drop_tables += ["vmtx", "vhea", "VORG"]
    return options


def rename_font(font: TTFont, rename: Rename) -> None:
    """Give a subset new names (see ``Rename``); fail if a reserved name is left."""
    version = english_name(font, 5).split(";")[0].strip()
    for record in font["name"].names:
        zh_hans = (record.platformID, record.langID) in ZH_HANS
        family = rename.family_zh if zh_hans else rename.family
        full = family if zh_hans else f"{family} {rename.style}"
        text = record.toUnicode()
        newline = "\r\n" if "\r\n" in text else "\n"
        new = {
            0: f"{text}{newline}{rename.note}",
            1: family,
            3: f"{version.removeprefix('Version ')};{rename.vendor};{rename.postscript}",
            4: full,
            6: rename.postscript,
            16: family,
            18: full,
            20: rename.postscript,
            21: family,
            25: rename.postscript.split("-")[0],
        }.get(record.nameID)
        if new is not None:
            record.string = new
        elif any(r.lower() in text.lower() for r in rename.reserved):
            raise SystemExit(f"name ID {record.nameID} still has a reserved name: {text!r}")
    font["OS/2"].achVendID = rename.vendor


def fontconfig_families(path: Path, font: TTFont) -> str:
    """Family names as fontconfig reports them (fc-scan), or from the name table."""
    if shutil.which("fc-scan"):
        done = subprocess.run(
            ["fc-scan", "--format", "%{family}\n", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()
    return english_name(font, 16) or english_name(font, 1)


def subset_font(
    spec: FontSpec, src: Path, charset: list[str], out: Path, priority: str
) -> SubsetResult:
    """Cut one font down to (charset ∩ its cmap) and save it under ``out``."""
    source = find_file(src, spec.source_name)
    index = face_index(source, spec.family)
    font = TTFont(source, fontNumber=index, recalcTimestamp=False)
    cmap = font.getBestCmap()
    wanted = [ord(c) for c in charset if ord(c) in cmap]
    missing = "".join(c for c in charset if ord(c) not in cmap)
    subsetter = subset.Subsetter(options=subset_options())
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    reorder_by_priority(font, priority)
    if spec.rename:
        rename_font(font, spec.rename)
    target = out / spec.out_name
    font.save(target)
    saved = TTFont(target, lazy=True)
    return SubsetResult(
        spec=spec,
        source=source,
        face_index=index,
        glyphs=saved["maxp"].numGlyphs,
        size=target.stat().st_size,
        missing=missing,
        families=fontconfig_families(target, saved),
    )


# --------------------------------------------------------------------------- licences


def dep5_paragraphs(path: Path) -> Iterator[list[str]]:
    """Paragraphs (lists of lines) of a Debian machine-readable copyright file."""
    paragraph: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def dep5_field(paragraph: list[str], field: str) -> str:
    """A field's value (first line and continuation lines) of one paragraph."""
    value: list[str] = []
    inside = False
    for line in paragraph:
        if line.startswith(f"{field}:"):
            inside = True
            first = line[len(field) + 1 :].strip()
            if first:
                value.append(first)
        elif inside and line.startswith(" "):
            value.append("" if line.strip() == "." else line[1:])
        elif inside:
            break
    return "\n".join(value)


def ofl_text(copyright_file: Path) -> tuple[str, str]:
    """(notice, licence text) from a DEP-5 file: the ``Files: *`` copyright and
    comment, and the stand-alone OFL licence paragraph."""
    notice = licence = ""
    for paragraph in dep5_paragraphs(copyright_file):
        if paragraph[0] == "Files: *":
            notice = "Copyright: " + dep5_field(paragraph, "Copyright").strip()
            comment = dep5_field(paragraph, "Comment").strip()
            if comment:
                notice += "\n" + comment
        elif paragraph[0].startswith("License:") and (
            "OFL" in paragraph[0] or "SIL" in paragraph[0]
        ):
            licence = dep5_field(paragraph, "License").split("\n", 1)[1]
    if not notice or "SIL OPEN FONT LICENSE" not in licence:
        raise SystemExit(f"{copyright_file}: no 'Files: *' notice or OFL text found")
    return notice, licence.strip("\n") + "\n"


def font_copyright(src: Path, spec: FontSpec) -> str:
    """The copyright string (name ID 0) of a source font."""
    source = find_file(src, spec.source_name)
    font = TTFont(source, fontNumber=face_index(source, spec.family), lazy=True)
    return english_name(font, 0).replace("\r\n", "\n")


def write_ofl(src: Path, out: Path, spec: FontSpec, subsets: str) -> None:
    """Write the OFL file for one package, headed by its copyright notices."""
    copyright_file = src / "usr/share/doc" / spec.package / "copyright"
    notice, licence = ofl_text(copyright_file)
    header = (
        (f"{spec.rename.note}\n\n" if spec.rename else "")
        + f"{subsets}\n{'are subsets of fonts' if ',' in subsets else 'is a subset of a font'}"
        f" from the Debian package {spec.package} ({package_version(src, spec.package)}),\n"
        "made with tools/subset_fonts.py.\n\n"
        f"Font copyright (name table): {font_copyright(src, spec)}\n"
        f"Debian copyright file, 'Files: *':\n{notice}\n\n"
        "Licence (from /usr/share/doc/" + spec.package + "/copyright):\n\n"
    )
    (out / spec.licence).write_text(header + licence, encoding="utf-8")


def write_fandol_licence(src: Path, out: Path, spec: FontSpec) -> None:
    """Write LICENSE-Fandol.txt: notices, the font exception and the GPL v3 text."""
    docs = [d for d in sorted(src.rglob("fandol")) if (d / "COPYING.gz").is_file()]
    if not docs or not (docs[0] / "README").is_file():
        raise SystemExit(f"no fandol/README with COPYING.gz under {src}")
    readme = docs[0] / "README"
    with gzip.open(readme.parent / "COPYING.gz", "rt", encoding="utf-8") as copying:
        gpl = copying.read()
    version = package_version(src, "texlive-lang-chinese")
    text = (
        f"{spec.out_name} is a subset of FandolFang-Regular.otf from the Debian package\n"
        f"texlive-lang-chinese ({version}), TeX Live package 'fandol',\n"
        "made with tools/subset_fonts.py. Full font: CTAN fonts/fandol.\n\n"
        f"Font copyright (name table): {font_copyright(src, spec)}\n\n"
        "Debian's licence list (usr/share/doc/texlive-lang-chinese/copyright) says:\n"
        "    fandol: gpl\n\n"
        f"The Fandol README ({readme.relative_to(src)}) says:\n\n"
        + "".join(
            "    " + line if line.strip() else line
            for line in readme.read_text(encoding="utf-8").splitlines(keepends=True)
        )
        + "\nThe GPL font exception (standard FSF wording), which is extended to the\n"
        "subset in this folder:\n\n"
        + FONT_EXCEPTION
        + "\n"
        + "=" * 72
        + f"\nGNU General Public License, version 3 (from {readme.parent.relative_to(src)}"
        "/COPYING.gz):\n\n" + gpl
    )
    (out / spec.licence).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- README


def human_size(size: int) -> str:
    """Bytes as MiB with two decimals."""
    return f"{size / 1024 / 1024:.2f} MiB"


def readme_row(src: Path, result: SubsetResult) -> str:
    """One row of the README's font table."""
    spec = result.spec
    face = f", face {result.face_index}" if result.source.suffix == ".ttc" else ""
    source = f"`{spec.package}` {package_version(src, spec.package)} (`{result.source.name}`{face})"
    cells = [
        f"`{spec.out_name}`",
        result.families,
        source,
        spec.role,
        f"`{spec.licence}`",
        str(result.glyphs),
        human_size(result.size),
        str(len(result.missing)),
    ]
    return "| " + " | ".join(cells) + " |"


def write_readme(out: Path, src: Path, results: list[SubsetResult], charset: list[str]) -> None:
    """Write forms/fonts/README.md."""
    header = "| 文件 File | fontconfig family | 来源 Source (Debian 12) | 用途 Role | 许可 Licence"
    header += " | glyphs | size | 缺字 missing |"
    rows = "\n".join([header, "| --- " * 8 + "|", *(readme_row(src, r) for r in results)])
    text = f"""# 字体 / Fonts

本目录的字体是开源字体的子集，供 WeasyPrint 生成 PDF 时通过 fontconfig 加载并嵌入，
使没有安装中文字体的机器也能正确显示每个字。请勿手工修改，按下方命令重新生成。

The fonts here are subsets of open-licensed fonts, loaded by WeasyPrint through
fontconfig and embedded in the PDFs, so a machine with no Chinese fonts renders every
character. Do not edit them by hand: rebuild them with the command below.

{rows}

- `charset.txt`: 字符集 / the character set ({len(charset)} characters): printable ASCII,
  Latin-1, general punctuation, CJK symbols and punctuation, full-width forms, ①–⑳,
  Ⅰ–Ⅻ, box drawing and shapes, all of GB2312, the 8,105 characters of the
  《通用规范汉字表》 (Unihan `kTGH`, package `unicode-data`), and every character of
  `shared/DESIGN.md`. Lines are split on U+000A only; U+0020 is a member. Each font keeps
  (charset ∩ its cmap); “missing” counts charset characters the font lacks. FandolFang
  lacks many: CSS lists it before “Noto Serif CJK SC”, which covers them.
- `fonts.conf`: `FONTCONFIG_FILE=…/forms/fonts/fonts.conf` makes fontconfig see only
  these fonts (no system config); cache in `$XDG_CACHE_HOME/liaison-fontconfig`.
  `serif` is Noto Serif CJK SC, `sans-serif` and `monospace` Noto Sans CJK SC, and every
  other family falls back to `serif`.
- Licences / 许可: Noto CJK and Liaison Kai: SIL Open Font License 1.1
  (`OFL-Noto.txt`, `OFL-LiaisonKai.txt`); Fandol: GPL v3 with the font exception
  (`LICENSE-Fandol.txt`). Liaison Kai (联络站楷体) is a subset of LXGW WenKai (霞鹜文楷)
  renamed because a modified version may not use the Reserved Font Names “霞鹜” and
  “LXGW” (OFL condition 3); its copyright notice is kept.

## 重新生成 / Rebuild

```sh
mkdir -p /tmp/debs /tmp/fontsrc && cd /tmp/debs
apt-get download fonts-noto-cjk fonts-lxgw-wenkai texlive-lang-chinese unicode-data
for f in /tmp/debs/*.deb; do dpkg-deb -x "$f" /tmp/fontsrc; done
cd -                                             # back to the repository root
python tools/subset_fonts.py /tmp/fontsrc        # writes forms/fonts/ (about a minute)
```

Built with fontTools {fontTools.version} (subsetter defaults: renumbered glyph ids,
default OpenType features except `locl`, whose Japanese/Korean/traditional forms
simplified-Chinese text never uses; all name records kept, except the renamed ones of
Liaison Kai). Same inputs, same bytes.
"""
    (out / "README.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- checks


def fontconfig_files(out: Path) -> list[str]:
    """Files ``fc-list`` sees with FONTCONFIG_FILE pointing at our fonts.conf."""
    env = {"FONTCONFIG_FILE": str(out / "fonts.conf"), "PATH": "/usr/bin:/bin"}
    env.update({k: v for k, v in os.environ.items() if k in ("HOME", "XDG_CACHE_HOME")})
    done = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], check=True, capture_output=True, text=True, env=env
    )
    return sorted(done.stdout.split())


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="directory with the extracted .deb files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--unihan",
        type=Path,
        help=f"Unihan_OtherMappings.txt.bz2 (default: SRC/{UNIHAN_REL})",
    )
    parser.add_argument(
        "--text",
        type=Path,
        action="append",
        help=f"text file whose characters join the charset (default: {DEFAULT_DESIGN})",
    )
    parser.add_argument(
        "--reuse-charset",
        action="store_true",
        help="subset to the existing OUT/charset.txt instead of rebuilding it",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build everything; print a per-font summary."""
    args = parse_args(argv)
    src: Path = args.src.resolve()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    if args.reuse_charset:
        charset = read_charset(out / "charset.txt")
        priority = (out / PRIORITY_FILE).read_text(encoding="utf-8").rstrip("\n")
    else:
        texts = args.text if args.text is not None else [DEFAULT_DESIGN]
        for path in texts:
            if not path.is_file():
                raise SystemExit(f"{path} not found (pass --text FILE, or --reuse-charset)")
        tgh = tgh_chars(args.unihan or src / UNIHAN_REL)
        charset = build_charset(tgh, (p.read_text(encoding="utf-8") for p in texts))
        (out / "charset.txt").write_text(format_charset(charset), encoding="utf-8")
        priority = priority_chars(tgh)
        (out / PRIORITY_FILE).write_text(priority + "\n", encoding="utf-8")
    print(f"charset: {len(charset)} characters")

    results = []
    for spec in FONTS:
        result = subset_font(spec, src, charset, out, priority)
        results.append(result)
        print(
            f"{spec.out_name}: family {result.families!r}, {result.glyphs} glyphs, "
            f"{result.size} bytes, lacks {len(result.missing)}"
        )

    by_licence: dict[str, list[FontSpec]] = {}
    for spec in FONTS:
        by_licence.setdefault(spec.licence, []).append(spec)
    for name, specs in by_licence.items():
        if name == "LICENSE-Fandol.txt":
            write_fandol_licence(src, out, specs[0])
        else:
            write_ofl(src, out, specs[0], ", ".join(s.out_name for s in specs))
    (out / "fonts.conf").write_text(FONTS_CONF, encoding="utf-8")
    write_readme(out, src, results, charset)

    if shutil.which("fc-list"):
        seen = fontconfig_files(out)
        expected = sorted(str(out / s.out_name) for s in FONTS)
        if seen != expected:
            print(f"fontconfig sees {seen}, expected {expected}", file=sys.stderr)
            return 1
        print(f"fontconfig with {out / 'fonts.conf'} sees exactly the {len(seen)} fonts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
