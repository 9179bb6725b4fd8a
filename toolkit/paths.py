"""Where the package's own data lives: forms, fonts, rules, the bundled sample."""

from __future__ import annotations

from pathlib import Path

import forms as _forms

FORMS_DIR = Path(_forms.__file__).resolve().parent
FONTS_DIR = FORMS_DIR / "fonts"
STYLES_DIR = FORMS_DIR / "styles"
SAMPLE_WORKBOOK = FORMS_DIR / "sample" / "示例台账.xlsx"
