"""The renderers of a process: every template parsed once, by (forms folder, form id, format).

A form's renderer is its format's (RENDERERS); a pack's binds the documents of the forms it
names, each made by that form's own renderer from this same registry.
"""

from __future__ import annotations

from pathlib import Path

from ..forms import load_forms
from . import AUTOESCAPE, RENDERERS, Renderer
from .templating import make_env


class Renderers:
    def __init__(self) -> None:
        self._made: dict[tuple[str, str, str], Renderer] = {}

    def get(self, forms_root: str, form_id: str, fmt: str) -> Renderer:
        """`fmt` is docx, pdf, xlsx, or pdf:docx (the Word output converted by LibreOffice)."""
        key = (forms_root, form_id, fmt)
        found = self._made.get(key)
        if found is None:
            form = load_forms(Path(forms_root))[form_id]
            env = make_env(autoescape=AUTOESCAPE[fmt])
            template = form.template(fmt.split(":")[0])
            name = f"{form.id}/{template.name}"
            if form.binds:
                from .pack import PackRenderer  # WeasyPrint and lxml only where a pack is made

                found = PackRenderer(template, env, name, fmt, self)
            else:
                found = RENDERERS[fmt](template, env, name)
            self._made[key] = found
        return found
