"""liaison: the paperwork of People's Congress deputy liaison stations, from their workbooks.

Stages: read → validate → derive → render → write; `toolkit.build.build()` runs them all.
"""

__version__ = "0.1.0"
