"""`liaison serve`: the toolkit as a page in the clerk's own browser, for those who do not use a
terminal — the same library calls as the CLI (`toolkit.__all__`), and no logic of its own.

    server.py    binding, the printed address, the browser, Ctrl-C (uvicorn)
    app.py       the routes (Starlette), each a few lines over the library
    guard.py     Host, Origin, token and size checks in front of every route
    sessions.py  one session per tab: a token and a temporary folder, removed after use
    jobs.py      builds in processes of their own, with their progress
    pages.py     what the templates show; templates/ and static/ (htmx, vendored) ship inside
    preview.py   a PDF's first page as an image (pypdfium2)

Only this package imports the web framework.
"""

from .app import Settings, create_app
from .server import LocalServer, serve

__all__ = ["LocalServer", "Settings", "create_app", "serve"]
