"""A document as a reviewer sees it: the original, the pieces it became, and every edit's state.

Why a view of its own: the HTML report, the terminal diff and the review app all show the
same thing - which stretch of the original became what, by which edit - and a finished run
must be reviewable without cleaning again. :func:`view_of` takes it from a
:class:`~pipeline.document.Document`; :meth:`DocView.to_json` / :func:`load_view` keep it
beside the report (``OUT_DIR/report/<stem>.json``) for ``ocrclean diff`` and ``ocrclean review``.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from pipeline.document import Document, Edit, EditKind, Piece
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

    def windows(self) -> Iterator[WindowView]:
        """The segments and edits as one window (the shape :class:`StreamView` gives window by window)."""
        yield WindowView(self.segments, self.edits)

    def to_json(self) -> str:
        """The view as one JSON document (UTF-8 text, keys sorted)."""
        return "".join(view_json(self))


#: Characters of the original text encoded as JSON at a time (:func:`view_json`).
JSON_CHUNK = 1 << 20


def view_json(view: DocView | StreamView) -> Iterator[str]:
    """The view as one JSON object (keys sorted, not ASCII-escaped, lone surrogates as ``\\udcXX``:
    :func:`~pipeline.export.jsonl.json_line`) in parts, a record or a stretch of the original at a time:
    the text :meth:`DocView.to_json` returns, without holding it (two passes over the windows).
    Layout: ``format`` (:data:`VIEW_FORMAT`), ``name``, ``original``, ``segments`` (``[start, end, text,
    edit, page_break]``, text null where it is the original's), ``edits``, ``items``, ``stages``."""
    yield '{"edits": ['
    sep = ""
    for part in view.windows():
        for record in part.edits:
            yield sep + json_line(record, sort_keys=True)
            sep = ", "
    yield (f'], "format": {VIEW_FORMAT}, "items": {json_line(view.items, sort_keys=True)}, '
           f'"name": {json_line(view.name)}, "original": "')
    original = view.original
    for at in range(0, len(original), JSON_CHUNK):
        yield json_line(original[at:at + JSON_CHUNK])[1:-1]
    yield '", "segments": ['
    sep = ""
    for part in view.windows():
        for s in part.segments:
            yield sep + json_line([s.start, s.end, None if s.edit is None else s.text, s.edit, s.page_break])
            sep = ", "
    yield f'], "stages": {json_line(view.stages)}}}'


def doc_key(source_name: str) -> str:
    """The name a document goes by in the report and in decisions: its path under the input folder
    without the suffix, sub-folders joined by ``__`` (``1921/june/p3.txt`` -> ``1921__june__p3``), so
    same-named files in different folders never share a report page; a top-level file's stem."""
    return "__".join(PurePosixPath(PurePath(source_name).as_posix()).with_suffix("").parts) or "document"


@dataclass
class WindowView:
    """One window's share of a view (:meth:`DocView.windows`, :meth:`StreamView.windows`): its segments in
    order and its edit records (each with ``state``), in the order the stages made them."""

    segments: list[Segment]
    edits: list[dict[str, Any]]


def view_of(doc: Document, source_name: str | None = None) -> DocView:
    """The review view of a cleaned document, held whole (a long document's: see :class:`StreamView`)."""
    stream = StreamView(doc, source_name)
    segments: list[Segment] = []
    edits: list[dict[str, Any]] = []
    for part in stream.windows():
        segments.extend(part.segments)
        edits.extend(part.edits)
    return DocView(stream.name, doc.original, segments, edits, stream.items, stream.stages)


class StreamView:
    """The review view of a document read one window at a time (:meth:`Document.windows`: a spilled
    document's windows from disk), so a long document's report is written in memory that does not grow
    with it. The same segments and edit records as :func:`view_of` gives, in the same order; the notes,
    captions and original text are the document's (held in memory as it holds them)."""

    def __init__(self, doc: Document, source_name: str | None = None) -> None:
        self.doc = doc
        self.name = source_name or doc.name
        self.items = items_of(doc)
        self.stages = list(dict.fromkeys(doc.stages_run))

    @property
    def stem(self) -> str:
        return doc_key(self.name)

    @property
    def original(self) -> str:
        return self.doc.original

    def windows(self) -> Iterator[WindowView]:
        """Each window's segments and edit records (one window for a document held in memory)."""
        for window in self.doc.windows():
            yield window_view(window.pieces, window.edits)


def items_of(doc: Document) -> list[dict[str, Any]]:
    """The view's notes and captions (see :class:`DocView`)."""
    items: list[dict[str, Any]] = []
    for kind, group in ((EditKind.NOTE, doc.notes), (EditKind.CAPTION, doc.captions)):
        for item in group:
            items.append({"id": item.id, "type": kind, "n": item.n, "text": item.text, "edits": item.edit_records()})
    return items


def window_view(pieces: list[Piece], edits: list[Edit]) -> WindowView:
    """Segments and edit records of a window's pieces and edits (a whole document's, held in memory).

    An edit is ``final`` when one of the pieces holds its text; an applied edit that is not is
    ``inner``, with ``covered_by`` the final edit whose original span is the smallest holding its own
    (:class:`SpanIndex`; an edit and what rewrote it are always in the same window)."""
    final: dict[str, tuple[int, int]] = {}
    segments: list[Segment] = []
    for piece in pieces:
        segments.append(_segment(piece))
        if piece.edit is not None:
            lo, hi = final.get(piece.edit.id, (piece.src_start, piece.src_end))
            final[piece.edit.id] = (min(lo, piece.src_start), max(hi, piece.src_end))
    index: SpanIndex | None = None
    records = []
    for edit in edits:
        record = edit.to_dict()
        if not edit.applied:
            record["state"] = "rejected" if edit.data.get("review") == "rejected" else "suggested"
        elif edit.id in final:
            record["state"] = "final"
        else:
            record["state"] = "inner"
            index = index or SpanIndex(final)
            record["covered_by"] = index.covering(edit.start, edit.end)
        records.append(record)
    return WindowView(segments, records)


def _segment(piece: Piece) -> Segment:
    return Segment(piece.src_start, piece.src_end, piece.text, None if piece.edit is None else piece.edit.id,
                   is_page_break(piece))


class SpanIndex:
    """The original spans of a document's final edits (id -> ``(start, end)``, in the order given), for
    :meth:`covering`: the smallest span that holds a given one.

    Why an index: a document has tens of thousands of final edits per MB and thousands of inner ones;
    scanning every span for each inner edit grew with the square of the input (29 s for 1 MB of noisy OCR).
    The spans are sorted by start, with a max-tree of their ends over that order, so the spans holding
    ``start:end`` (those starting at or before ``start`` and ending at or after ``end``) are enumerated
    without looking at the others: O((k + 1) log n) steps for k such spans (usually one or two: the pieces
    of different edits do not overlap). :attr:`probes` counts the tree nodes visited (for tests).
    """

    def __init__(self, spans: dict[str, tuple[int, int]]) -> None:
        entries = sorted(enumerate(spans.items()), key=lambda e: e[1][1][0])  # by start; stable: given order
        self._rank = [rank for rank, _ in entries]
        self._ids = [edit_id for _, (edit_id, _) in entries]
        self._starts = [lo for _, (_, (lo, _)) in entries]
        self._ends = [hi for _, (_, (_, hi)) in entries]
        self._size = 1
        while self._size < len(entries):
            self._size *= 2
        tree = [-1] * (2 * self._size)
        tree[self._size:self._size + len(entries)] = self._ends
        for node in range(self._size - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self._tree = tree
        self.probes = 0

    def covering(self, start: int, end: int) -> str | None:
        """Id of the final edit whose span holds ``start:end`` (``lo <= start``, ``end <= hi``; an empty span
        ``lo == hi`` only at ``start``), the smallest such, the first given among equals; None if none."""
        limit = bisect_right(self._starts, start)  # spans at these sorted positions start at or before start
        best: tuple[int, int, str] | None = None
        tree, size = self._tree, self._size
        stack = [(1, 0, size)]
        while stack:
            node, a, b = stack.pop()
            if a >= limit or tree[node] < end:
                continue
            self.probes += 1
            if b - a > 1:
                mid = (a + b) // 2
                stack.append((2 * node + 1, mid, b))
                stack.append((2 * node, a, mid))
                continue
            lo, hi = self._starts[a], self._ends[a]
            if lo < hi or lo == start:
                key = (hi - lo, self._rank[a], self._ids[a])
                if best is None or key < best:
                    best = key
        return None if best is None else best[2]


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
