"""PDF: a Jinja2 HTML template and the shared CSS, laid out by WeasyPrint with our fonts only.

Fontconfig is pointed at `forms/fonts/fonts.conf` before WeasyPrint loads, so Pango sees the
shipped fonts and nothing else: a machine with Chinese fonts installed cannot hide a missing
glyph, and a machine with none prints every character. The URL fetcher serves only files inside
`forms/` (styles and fonts); anything else a document asks for (http, file:// elsewhere, data:)
is refused, so no cell can make the renderer read a file. The template and the stylesheets are
parsed once per process.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlparse

from jinja2 import Environment

from .. import fonts
from ..errors import TemplateError
from ..paths import FORMS_DIR, STYLES_DIR
from ..templating import describe_error, normalise_tags

fonts.use_shipped_fonts()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

LOGGER = logging.getLogger("weasyprint")


class RefusedURL(ValueError):
    pass


ALLOWED_ROOTS: set[Path] = {FORMS_DIR}  # plus the folder of each user form in use


class PackageAssetFetcher(URLFetcher):
    """Serves files inside forms/ (and inside a user form's own folder) and refuses every
    other URL."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in ALLOWED_ROOTS) and path.is_file():
                return super().fetch(url, headers)
        raise RefusedURL(f"refused: {url[:80]}")


fetch_package_asset = PackageAssetFetcher(allowed_protocols=("file",))


_FONT_CONFIG: FontConfiguration | None = None
_CSS_CACHE: dict[Path, CSS] = {}


def font_config() -> FontConfiguration:
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def stylesheet(path: Path) -> CSS:
    css = _CSS_CACHE.get(path)
    if css is None:
        css = CSS(filename=str(path), url_fetcher=fetch_package_asset, font_config=font_config())
        _CSS_CACHE[path] = css
    return css


class PdfRenderer:
    fmt = "pdf"

    def __init__(self, path: Path, env: Environment, name: str) -> None:
        self.name = name
        self.base_url = path.parent.as_uri() + "/"
        ALLOWED_ROOTS.add(path.parent.resolve())
        try:
            self.template = env.from_string(normalise_tags(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise TemplateError(f"无法读取 HTML 模板：{exc}", where=name) from None
        except Exception as exc:
            raise describe_error(exc, name) from None
        sheets = [STYLES_DIR / "base.css"]
        local = path.parent / "style.css"
        if local.exists():
            sheets.append(local)
        self.stylesheets = [stylesheet(p) for p in sheets]

    def html(self, context: dict[str, Any]) -> str:
        try:
            return self.template.render(context)
        except Exception as exc:
            raise describe_error(exc, self.name) from None

    def render(self, context: dict[str, Any], stream: IO[bytes]) -> None:
        document = HTML(
            string=self.html(context), base_url=self.base_url, url_fetcher=fetch_package_asset
        )
        document.write_pdf(
            stream, stylesheets=self.stylesheets, font_config=font_config(), uncompressed_pdf=False
        )
