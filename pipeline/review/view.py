"""A document as a reviewer sees it: the original, the pieces it became, and every edit's state.

Why a view of its own: the HTML report, the terminal diff and the review app all show the
same thing - which stretch of the original became what, by which edit - and a finished run
must be reviewable without cleaning again. :func:`view_of` takes it from a
:class:`~pipeline.document.Document`; :meth:`DocView.to_json` / :func:`load_view` keep it
beside the report (``OUT_DIR/report/<stem>.json``) for ``ocrclean diff`` and ``ocrclean review``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from pipeline.document import Document, EditKind, Piece
from pipeline.errors import OcrcleanError
from pipeline.export.jsonl import json_line
from pipeline.tei.scheme import is_page_break

#: Version of the JSON layout below; a reader refuses other versions in one line.
VIEW_FORMAT = 1
#: Edit kinds that only change whitespace or line structure (shown faintly, never labelled inline).
LAYOUT_KINDS = frozenset({EditKind.JOIN, EditKind.NEWLINE, EditKind.PARBREAK})
#: Kinds of furniture lifted out of the body (shown where they were printed).
FURNITURE_KINDS = frozenset({EditKind.FW, EditKind.NOTE, EditKind.CAPTION, EditKind.NOISE, EditKind.CONTROL})


@dataclass
class Segment:
    """A stretch ``start:end`` of the original and the text now standing for it.

    ``edit`` is the id of the edit that made ``text`` (None: the original, unchanged);
    ``page_break`` is true when the TEI puts a ``<pb/>`` beside this segment.
    """

    start: int
    end: int
    text: str
    edit: str | None = None
    page_break: bool = False


@dataclass
class DocView:
    """Everything a review needs of one cleaned document (see the module docstring).

    ``edits``: the edits file's records, each with ``state`` added: ``final`` (its text is in the
    output), ``inner`` (a later edit rewrote its text; ``covered_by`` names it), ``suggested``
    (below the confidence threshold) or ``rejected`` (a reviewer's decision kept it out).
    ``items``: notes and captions (``id``, ``type``, ``text`` cleaned, ``edit`` lifting it out).
    """

    name: str
    original: str
    segments: list[Segment]
    edits: list[dict[str, Any]]
    items: list[dict[str, Any]] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return doc_key(self.name)

    def edit_map(self) -> dict[str, dict[str, Any]]:
        """Edits by id."""
        return {str(e["id"]): e for e in self.edits}

    def clean_text(self) -> str:
        """The body as the pipeline left it (before the txt export trims paragraphs)."""
        return "".join(s.text for s in self.segments)

    def to_json(self) -> str:
        """The view as one JSON document (UTF-8 text, keys sorted)."""
        data = {
            "format": VIEW_FORMAT,
            "name": self.name,
            "original": self.original,
            "segments": [[s.start, s.end, None if s.edit is None else s.text, s.edit, s.page_break]
                         for s in self.segments],
            "edits": self.edits,
            "items": self.items,
            "stages": self.stages,
        }
        return json_line(data, sort_keys=True)


def doc_key(source_name: str) -> str:
    """The name a document goes by in the report and in decisions: its path under the input folder
    without the suffix, sub-folders joined by ``__`` (``1921/june/p3.txt`` -> ``1921__june__p3``), so
    same-named files in different folders never share a report page; a top-level file's stem."""
    return "__".join(PurePosixPath(PurePath(source_name).as_posix()).with_suffix("").parts) or "document"


def view_of(doc: Document, source_name: str | None = None) -> DocView:
    """The review view of a cleaned document."""
    final: dict[str, tuple[int, int]] = {}
    segments: list[Segment] = []
    for piece in doc.pieces:
        segments.append(_segment(doc, piece))
        if piece.edit is not None:
            lo, hi = final.get(piece.edit.id, (piece.src_start, piece.src_end))
            final[piece.edit.id] = (min(lo, piece.src_start), max(hi, piece.src_end))
    edits = []
    for edit in doc.edits:
        record = edit.to_dict()
        if not edit.applied:
            record["state"] = "rejected" if edit.data.get("review") == "rejected" else "suggested"
        elif edit.id in final:
            record["state"] = "final"
        else:
            record["state"] = "inner"
            record["covered_by"] = _covering(final, edit.start, edit.end)
        edits.append(record)
    items: list[dict[str, Any]] = []
    for kind, group in ((EditKind.NOTE, doc.notes), (EditKind.CAPTION, doc.captions)):
        for item in group:
            items.append({"id": item.id, "type": kind, "n": item.n, "text": item.text, "edits": item.edit_records()})
    return DocView(source_name or doc.name, doc.original, segments, edits, items, list(dict.fromkeys(doc.stages_run)))


def _segment(doc: Document, piece: Piece) -> Segment:
    return Segment(piece.src_start, piece.src_end, piece.text, None if piece.edit is None else piece.edit.id,
                   is_page_break(piece))


def _covering(final: dict[str, tuple[int, int]], start: int, end: int) -> str | None:
    """Id of the output edit whose original span holds ``start:end`` (the one that rewrote it)."""
    best: tuple[int, str] | None = None
    for edit_id, (lo, hi) in final.items():
        if lo <= start and end <= hi and (lo < hi or lo == start):
            size = hi - lo
            if best is None or size < best[0]:
                best = (size, edit_id)
    return None if best is None else best[1]


def load_view(path: Path) -> DocView:
    """A view written by :meth:`DocView.to_json`; :class:`OcrcleanError` in one line if unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OcrcleanError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OcrcleanError(f"{path}: cannot read review data ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != VIEW_FORMAT:
        raise OcrcleanError(f"{path}: not review data of this version (format {VIEW_FORMAT} expected)")
    try:
        original = str(data["original"])
        segments = [Segment(int(a), int(b), original[int(a):int(b)] if text is None else str(text),
                            None if edit is None else str(edit), bool(pb))
                    for a, b, text, edit, pb in data["segments"]]
        return DocView(str(data["name"]), original, segments, list(data["edits"]), list(data.get("items", [])),
                       list(data.get("stages", [])))
    except (KeyError, TypeError, ValueError) as exc:
        raise OcrcleanError(f"{path}: damaged review data ({exc})") from None
