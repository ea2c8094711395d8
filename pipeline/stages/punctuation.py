"""Stage: punctuation (placeholder, filled in below)."""

from __future__ import annotations

from pipeline.document import Document

STAGE = "punctuation"


def run(doc: Document, ctx: object) -> None:
    """No edits yet."""
