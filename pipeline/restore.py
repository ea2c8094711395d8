"""Compatibility path: restore lives in :mod:`pipeline.tei.restore` (kept for callers on other branches)."""

from __future__ import annotations

from pipeline.tei.restore import SourceFacts, original_text, read_facts, restore_bytes, restore_stream

__all__ = ["SourceFacts", "original_text", "read_facts", "restore_bytes", "restore_stream"]
