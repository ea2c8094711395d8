"""JSONL exports: one record per document for corpus tools, and the edits log.

Why two files: the record is what a corpus pipeline loads (text plus the few
facts worth filtering on), while the edits log is for review - every change
and every suggestion, each with its span in the original and its stable id
(the same id the TEI uses as ``xml:id``).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath, PurePosixPath
from typing import Any

from pipeline.document import Document
from pipeline.export.txt import paragraphs
from pipeline.tei.scheme import page_breaks


def page_count(doc: Document) -> int:
    """Pages = 1 + the page breaks the TEI shows (one after each removed page number)."""
    return 1 + page_breaks(doc)


def to_record(doc: Document, *, source_name: str, sha256: str) -> dict[str, Any]:
    """The document as one JSON-ready record.

    ``id`` is the input's path under the input folder without its suffix (the file stem for a
    file at the top), so the record joins with the other outputs
    (``<stem>.txt``, ``<stem>.tei.xml``) by name.
    """
    return {
        "id": str(PurePosixPath(PurePath(source_name).as_posix()).with_suffix("")),
        "source": source_name,
        "sha256": sha256,
        "body": "\n\n".join(paragraphs(doc)),
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


def edits_jsonl(doc: Document) -> str:
    """One JSON line per edit, applied or only suggested (``"applied": false``), in the order made.

    The repairs made inside notes and captions follow, each with ``item`` naming the note or
    caption and its span counted in that item's text as layout found it."""
    lines = [json_line(edit.to_dict()) for edit in doc.edits]
    for item in [*doc.notes, *doc.captions]:
        lines.extend(json_line(record) for record in item.edit_records())
    return "".join(line + "\n" for line in lines)
