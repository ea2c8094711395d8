"""Compatibility path: the TEI export lives in :mod:`pipeline.tei` (kept for callers on other branches)."""

from __future__ import annotations

from pipeline.tei.scheme import SCHEME_VERSION, TEI_NS, is_page_break, page_breaks
from pipeline.tei.writer import to_tei

__all__ = ["SCHEME_VERSION", "TEI_NS", "is_page_break", "page_breaks", "to_tei"]
