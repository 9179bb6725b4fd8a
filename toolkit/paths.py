"""Where the package's own data lives: forms, fonts, rules, the bundled sample."""

from __future__ import annotations

from pathlib import Path

import liaison_forms as _forms  # the repository's forms/ folder, installed under this name

FORMS_DIR = Path(_forms.__file__).resolve().parent
FONTS_DIR = FORMS_DIR / "fonts"
STYLES_DIR = FORMS_DIR / "styles"
SAMPLE_WORKBOOK = FORMS_DIR / "sample" / "示例台账.xlsx"
