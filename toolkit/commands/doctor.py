"""`liaison doctor`: is this machine ready? One line per check, each failure saying how to fix it.

WeasyPrint needs Pango, and HarfBuzz's subsetting library to embed fonts fast: without it
WeasyPrint silently falls back to fontTools and a one-page Chinese PDF takes ≈13 s instead of
≈0.25 s. Nothing here imports WeasyPrint before checking that its libraries exist, so the doctor
itself never crashes on a bare machine.
"""

from __future__ import annotations

import ctypes.util
import importlib.metadata
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import fonts

INSTALL_HINT = (
    "Debian/Ubuntu：sudo bash scripts/install-system-deps.sh"
    "（即 apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0）；"
    "其他系统请安装 Pango ≥ 1.44 和 HarfBuzz（含 harfbuzz-subset）"
)
PACKAGES = (
    ("weasyprint", "70"),
    ("docxtpl", "0.20"),
    ("python-docx", "1.1"),
    ("openpyxl", "3.1"),
    ("python-calamine", "0.3"),
    ("click", "8.1"),
    ("Jinja2", "3.1"),
)


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str
    fix: str = ""

    def __str__(self) -> str:
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.text}" + (
            f" —— 解决办法：{self.fix}" if self.fix and not self.ok else ""
        )


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check(ok, f"Python {version}", "请安装 Python 3.11 或更新版本")


def check_packages() -> list[Check]:
    checks = []
    for name, minimum in PACKAGES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            checks.append(Check(False, f"{name} 未安装", "pip install -e ."))
            continue
        ok = _version_tuple(version) >= _version_tuple(minimum)
        checks.append(
            Check(ok, f"{name} {version}", f"需要 {name} ≥ {minimum}：pip install -U {name}")
        )
    return checks


def find_library(*names: str) -> str | None:
    for name in names:
        found = ctypes.util.find_library(name)
        if found:
            return found
    return None


def check_pango() -> Check:
    found = find_library("pango-1.0", "libpango-1.0-0")
    return Check(bool(found), f"Pango：{found or '未找到'}", INSTALL_HINT)


def subsetting_fast() -> bool:
    return find_library("harfbuzz-subset", "libharfbuzz-subset-0") is not None


def check_subsetting() -> Check:
    found = find_library("harfbuzz-subset", "libharfbuzz-subset-0")
    text = (
        f"HarfBuzz 字体子集库：{found}"
        if found
        else "HarfBuzz 字体子集库未找到：生成 PDF 会慢约 50 倍（每页约 13 秒）"
    )
    return Check(bool(found), text, INSTALL_HINT)


def check_fonts() -> Check:
    missing = fonts.missing_font_files()
    if missing:
        return Check(
            False, f"随附字体缺失：{'、'.join(missing)}", "请重新安装本工具（pip install -e .）"
        )
    return Check(True, f"随附字体 {len(fonts.FONT_FILES)} 种（{fonts.FONTS_DIR}）")


def check_fontconfig() -> Check:
    """Fontconfig, pointed at the shipped fonts, must see exactly them."""
    env = {"FONTCONFIG_FILE": str(fonts.FONTS_CONF), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    try:
        listed = subprocess.run(
            ["fc-list", ":", "file"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return Check(True, "fontconfig 命令行工具未安装，跳过字体配置检查")
    seen = {Path(line.split(":")[0]).name for line in listed.splitlines() if line.strip()}
    expected = set(fonts.FONT_FILES)
    if not expected <= seen:
        return Check(
            False,
            f"fontconfig 未找到随附字体：{'、'.join(sorted(expected - seen))}",
            "请安装 fontconfig（apt-get install fontconfig）",
        )
    return Check(True, f"fontconfig 只使用随附字体（{len(seen)} 种）")


def check_output(out: Path) -> Check:
    """Can the output folder be written? Checked without creating it."""
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return Check(
            False,
            f"输出文件夹“{out}”不可写：没有权限或路径中有文件",
            "请用 --out 指定有写入权限的文件夹",
        )
    state = "" if out.exists() else "（尚未创建，生成时自动建立）"
    return Check(True, f"输出文件夹可写：{out.resolve()}{state}")


def check_speedups() -> Check:
    """Which of render/weasy_cache.py's patches of WeasyPrint are in use: all of them on the
    version they were written for, fewer (and slower PDFs) on any other."""
    try:
        from ..render import weasy_cache
        from ..render.pdf import PdfRenderer  # noqa: F401  (installs the patches)
    except (ImportError, OSError) as exc:  # WeasyPrint or its libraries missing: said above
        return Check(True, f"PDF 加速补丁：未检查（WeasyPrint 无法加载：{str(exc)[:60]}）")
    version = importlib.metadata.version("weasyprint")
    used = weasy_cache.patches()
    missing = [name for name in weasy_cache.DESCRIPTIONS if name not in used]
    names = "、".join(weasy_cache.DESCRIPTIONS[name] for name in used)
    if missing:
        absent = "、".join(weasy_cache.DESCRIPTIONS[name] for name in missing)
        return Check(
            False,
            f"WeasyPrint {version} 的 PDF 加速补丁只启用了 {len(used)} 项（未启用：{absent}），"
            "生成 PDF 较慢",
            "这些补丁按 WeasyPrint 70 编写：pip install 'weasyprint>=70,<71'",
        )
    return Check(True, f"WeasyPrint {version} 的 PDF 加速补丁 {len(used)} 项均已启用：{names}")


def check_cluster() -> Check:
    """Dask is needed only by `liaison build --cluster`: its absence is not a failure."""
    try:
        version = importlib.metadata.version("distributed")
    except importlib.metadata.PackageNotFoundError:
        return Check(True, '未安装 Dask：只在使用 --cluster 时需要（pip install -e ".[cluster]"）')
    return Check(True, f"Dask distributed {version}：可用 --cluster 在多台机器上生成")


def run_checks(out: Path) -> list[Check]:
    return [
        check_python(),
        *check_packages(),
        check_pango(),
        check_subsetting(),
        check_fonts(),
        check_fontconfig(),
        check_speedups(),
        check_cluster(),
        check_output(out),
    ]
