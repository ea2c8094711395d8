"""The exports: every output is a view of a :class:`~pipeline.document.Document`.

Kept in one package so escaping and formatting rules live in one place; the
TEI module also defines the markup that :mod:`pipeline.restore` reads back.
"""

from __future__ import annotations

from pipeline.export.jsonl import edits_jsonl, page_count, to_jsonl_line, to_record
from pipeline.export.tei import to_tei
from pipeline.export.txt import to_txt

__all__ = ["edits_jsonl", "page_count", "to_jsonl_line", "to_record", "to_tei", "to_txt"]
