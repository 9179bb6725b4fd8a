#!/usr/bin/env bash
# Installs the system libraries that pip cannot bring: Pango (WeasyPrint's text layout), and
# HarfBuzz's subsetting library (without it WeasyPrint falls back to fontTools and a one-page
# Chinese PDF takes ~13 s instead of ~0.25 s), plus fontconfig. No font is installed system-wide:
# the project ships its own. Safe to run again; does nothing when all is present.
set -euo pipefail

DEBIAN_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig"

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=""
    # Debian's own Python needs python3-venv for the virtual environment the README makes.
    if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
        missing="$missing python3-venv"
    fi
    for pkg in $DEBIAN_PACKAGES; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing="$missing $pkg"
        fi
    done
    if [ -z "$missing" ]; then
        echo "系统依赖已齐全：$DEBIAN_PACKAGES"
        exit 0
    fi
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "需要安装：$missing" >&2
        echo "请用 root 身份运行：apt-get install -y$missing" >&2
        exit 1
    fi
    echo "正在安装系统依赖：$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    echo "系统依赖已安装。"
elif command -v dnf >/dev/null 2>&1; then
    echo "Fedora/RHEL：请运行 sudo dnf install pango harfbuzz fontconfig（harfbuzz 已含 subset 库）"
elif command -v brew >/dev/null 2>&1; then
    echo "macOS：请运行 brew install pango harfbuzz"
else
    echo "未识别的系统：请安装 Pango ≥ 1.44、HarfBuzz（含 libharfbuzz-subset）和 fontconfig。"
    echo "Windows 用户请按 WeasyPrint 文档安装 MSYS2 的 pango 包。"
fi
