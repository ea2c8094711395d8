"""Plain-text export: the clean body, one block per paragraph.

Why so plain: the txt file is what readers, search indexes and the evaluation
against the gold files consume, so it carries nothing but the reading text -
notes, captions and furniture live in the TEI and JSONL outputs.
"""

from __future__ import annotations

from pipeline.document import Document


def paragraphs(doc: Document) -> list[str]:
    """The body blocks with their edge whitespace trimmed, empty ones dropped."""
    return [p for p in (block.strip() for block in doc.paragraphs()) if p]


def to_txt(doc: Document) -> str:
    """Paragraphs separated by one blank line, ending in a newline; ``""`` for an empty body."""
    paras = paragraphs(doc)
    return "\n\n".join(paras) + "\n" if paras else ""
