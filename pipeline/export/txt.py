"""Plain-text export: the clean body, one block per paragraph.

Why so plain: the txt file is what readers, search indexes and the evaluation
against the gold files consume, so it carries nothing but the reading text -
notes, captions and furniture live in the TEI and JSONL outputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from pipeline.document import Document


def iter_paragraphs(doc: Document) -> Iterator[str]:
    """:func:`paragraphs` one at a time, found in the body without splitting it into a list first, part
    by part (:meth:`~pipeline.document.Document.text_parts`: a spilled document's windows), the
    unfinished paragraph at the end of a part carried over to the next."""
    rest = ""
    for part in doc.text_parts():
        text = rest + part if rest else part
        start = 0
        while (end := text.find("\n\n", start)) >= 0:
            block = text[start:end].strip()
            if block:
                yield block
            start = end + 2
        rest = text[start:]
    block = rest.strip()
    if block:
        yield block


def paragraphs(doc: Document) -> list[str]:
    """The body blocks with their edge whitespace trimmed, empty ones dropped."""
    return list(iter_paragraphs(doc))


def txt_chunks(doc: Document) -> Iterator[str]:
    """The txt output in pieces, in order: paragraphs separated by one blank line, then a newline
    (nothing for an empty body)."""
    first = True
    for block in iter_paragraphs(doc):
        yield block if first else "\n\n" + block
        first = False
    if not first:
        yield "\n"


def to_txt(doc: Document) -> str:
    """Paragraphs separated by one blank line, ending in a newline; ``""`` for an empty body."""
    return "".join(txt_chunks(doc))


def write_txt(doc: Document, sink: BinaryIO) -> None:
    """:func:`to_txt` written to the binary file ``sink`` as UTF-8, a paragraph at a time (no second copy
    of the body is made)."""
    for chunk in txt_chunks(doc):
        sink.write(chunk.encode("utf-8"))
