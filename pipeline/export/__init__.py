"""The exports: every output is a view of a :class:`~pipeline.document.Document`.

Kept in one package so escaping and formatting rules live in one place; the
TEI writer and its scheme live in :mod:`pipeline.tei`, beside restore.
"""

from __future__ import annotations

from pipeline.export.jsonl import edits_jsonl, page_count, to_jsonl_line, to_record
from pipeline.export.txt import to_txt
from pipeline.tei.writer import to_tei

__all__ = ["edits_jsonl", "page_count", "to_jsonl_line", "to_record", "to_tei", "to_txt"]
