"""A PDF's first page as a PNG, for the page's preview of a built document.

pypdfium2 (PDFium, the PDF engine of Chromium, with wheels for Windows, macOS and Linux) renders
in-process: no poppler or other program to install on an office PC. Each preview is made once
and kept beside the job's files in the session's folder.
"""

from __future__ import annotations

import io
from pathlib import Path

WIDTH = 900  # pixels: sharp in the page's preview box, small enough to send at once


def first_page_png(pdf: Path, cache: Path) -> bytes:
    if cache.exists():
        return cache.read_bytes()
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        width, _ = page.get_size()
        image = page.render(scale=WIDTH / width).to_pil()
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(data)
    return data
