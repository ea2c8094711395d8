"""JSONL exports: one record per document for corpus tools, and the edits log.

Why two files: the record is what a corpus pipeline loads (text plus the few
facts worth filtering on), while the edits log is for review - every change
and every suggestion, each with its span in the original and its stable id
(the same id the TEI uses as ``xml:id``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import PurePath, PurePosixPath
from typing import Any, BinaryIO

from pipeline.document import Document
from pipeline.export.txt import iter_paragraphs, paragraphs
from pipeline.tei.scheme import page_breaks


def page_count(doc: Document) -> int:
    """Pages = 1 + the page breaks the TEI shows (one after each removed page number)."""
    return 1 + page_breaks(doc)


def to_record(doc: Document, *, source_name: str, sha256: str, body: bool = True) -> dict[str, Any]:
    """The document as one JSON-ready record (``body``: false leaves the body out).

    ``id`` is the input's path under the input folder without its suffix (the file stem for a
    file at the top), so the record joins with the other outputs
    (``<stem>.txt``, ``<stem>.tei.xml``) by name.
    """
    return {
        "id": str(PurePosixPath(PurePath(source_name).as_posix()).with_suffix("")),
        "source": source_name,
        "sha256": sha256,
        **({"body": "\n\n".join(paragraphs(doc))} if body else {}),
        "notes": [n.text for n in doc.notes],
        "captions": [c.text for c in doc.captions],
        "pages": page_count(doc),
        "edits_by_stage": doc.edits_by_stage(),
        "encoding": doc.meta.get("encoding"),
    }


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(value: Any, *, sort_keys: bool = False) -> str:
    """``value`` as one line of JSON, not ASCII-escaped, except lone surrogates
    (an undecodable input byte in an edit's ``before``), written as ``\\udcXX`` escapes so the
    line is valid UTF-8."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_jsonl_line(doc: Document, *, source_name: str, sha256: str) -> str:
    """The record as one line of JSON (UTF-8 text, not ASCII-escaped), ending in a newline."""
    return json_line(to_record(doc, source_name=source_name, sha256=sha256), sort_keys=True) + "\n"


def write_jsonl_record(doc: Document, sink: BinaryIO, *, source_name: str, sha256: str) -> None:
    """:func:`to_jsonl_line` written to the binary file ``sink`` as UTF-8, the body escaped and written some
    paragraphs at a time (:func:`~pipeline.export.txt.iter_paragraphs`), so that neither the body nor the
    line is ever held whole. The same bytes: ``body`` is the first of the sorted keys, and a string's JSON
    escapes do not depend on where it is cut."""
    rest = json_line(to_record(doc, source_name=source_name, sha256=sha256, body=False), sort_keys=True)
    sink.write(b'{"body": "')
    batch: list[str] = []
    for k, block in enumerate(iter_paragraphs(doc)):
        batch.append(json_line(block if k == 0 else "\n\n" + block)[1:-1])
        if len(batch) >= _LINES_PER_WRITE:
            sink.write("".join(batch).encode("utf-8"))
            batch.clear()
    sink.write(("".join(batch) + '", ' + rest[1:] + "\n").encode("utf-8"))


def edit_lines(doc: Document) -> Iterator[str]:
    """The lines of :func:`edits_jsonl` one at a time (each ending in a newline)."""
    for window in doc.windows():
        for edit in window.edits:
            yield json_line(edit.to_dict()) + "\n"
    for item in [*doc.notes, *doc.captions]:
        for record in item.edit_records():
            yield json_line(record) + "\n"


def edits_jsonl(doc: Document) -> str:
    """One JSON line per edit, applied or only suggested (``"applied": false``), in the order made.

    The repairs made inside notes and captions follow, each with ``item`` naming the note or
    caption and its span counted in that item's text as layout found it."""
    return "".join(edit_lines(doc))


#: Lines of the edits file encoded and written at a time by :func:`write_edits_jsonl`.
_LINES_PER_WRITE = 64


def write_edits_jsonl(doc: Document, sink: BinaryIO) -> None:
    """:func:`edits_jsonl` written to the binary file ``sink`` as UTF-8, some tens of lines at a time
    (the whole file is never held as one string)."""
    batch: list[str] = []
    for line in edit_lines(doc):
        batch.append(line)
        if len(batch) >= _LINES_PER_WRITE:
            sink.write("".join(batch).encode("utf-8"))
            batch.clear()
    if batch:
        sink.write("".join(batch).encode("utf-8"))
