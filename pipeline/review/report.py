"""The HTML report of a run: one page per document (raw and clean side by side) and an index.

Why static pages: a report must open from the output folder in any browser, offline, years
later; so each page carries its own CSS and the few lines of script for the filters, and
links only to its neighbours. Every piece of OCR text reaches the page through Jinja2 with
autoescaping on, never by string concatenation, so a scan that contains ``<script>`` is
shown, not run.

Files written into ``OUT_DIR/report/``: the run's index :data:`INDEX_PAGE` (``index.htm``), and per
document ``<stem>.html``
and ``<stem>.json`` (the :class:`~pipeline.review.view.DocView` that ``ocrclean diff`` and
``ocrclean review`` read), and for a document longer than :data:`PART_CHARS` its further parts
``<stem>.parts/2.html`` ... Each is written as it is made, from the document's windows
(:class:`~pipeline.review.view.StreamView`): time linear and memory bounded in its length.
Pages hold no timestamps, so re-running on the same input writes the same bytes.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.document import EditKind, FwType
from pipeline.errors import OutputError
from pipeline.files import commit_staged, write_staged
from pipeline.review.view import FURNITURE_KINDS, LAYOUT_KINDS, DocView, StreamView, WindowView, view_json

#: What the report calls each kind of furniture (``fw`` types have their own names).
FURNITURE_NAMES: dict[str, str] = {EditKind.NOTE: "note", EditKind.CAPTION: "caption", EditKind.NOISE: "scanner noise",
                   EditKind.CONTROL: "control character", EditKind.FW: "furniture"}
FW_NAMES = {FwType.PAGE_NUM: "page number", FwType.HEADER: "running head", "footer": "running foot",
            "sig": "signature mark", "catch": "catchword"}


#: The run's index page in the report folder. ``.htm``, not ``.html``: every file of a document's report is
#: ``<stem>.html``, ``<stem>.json`` or inside ``<stem>.parts/``, and an input may be named anything
#: (``index.txt`` has the stem ``index``), so only a name of another suffix can never be a document's page.
INDEX_PAGE = "index.htm"
#: The index's name before it was :data:`INDEX_PAGE`: removed from a report folder by :func:`write_index`
#: unless a document of the run owns a page of that name.
OLD_INDEX_PAGE = "index.html"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the report and the review app: autoescaping on for every template."""
    env = Environment(loader=PackageLoader("pipeline.review", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["conf"] = lambda value: f"{float(value):.2f}"
    env.globals["index_page"] = INDEX_PAGE
    return env


@dataclass
class Span:
    """A run of text in one column: ``cls`` is its CSS class ('' for unchanged text)."""

    text: str
    cls: str = ""
    edit: str = ""
    label: str = ""
    anchor: str = ""


@dataclass
class Row:
    """A block of the document: the original (``left``) beside the clean text (``right``), or a page break.

    ``start``: where in the original the row begins; ``last``: where its last segment begins (a page-break
    row: its ``start``); ``chars``: how many characters of the original it shows (all three for cutting a long
    document's report into parts, :data:`PART_CHARS`)."""

    left: list[Span] = field(default_factory=list)
    right: list[Span] = field(default_factory=list)
    page: int | None = None
    start: int = 0
    chars: int = 0
    last: int = 0


#: A document's report page shows about this many characters of the original; a longer document's text
#: and edits are shown in several parts, one page each (``<stem>.html``, then ``<stem>.parts/2.html`` ...),
#: each cut at a row, so a page stays light enough for a browser (about 20 bytes of HTML per character of
#: noisy OCR) and is written in memory that does not grow with the document. (Parts, not pages: the pages
#: of the report are the printed pages.) A document cleaned in one window (:data:`pipeline.api.WINDOW_CHARS`)
#: has one part. A row longer than this (a paragraph with no break) is cut at a segment.
PART_CHARS = 250_000


def rule_key(edit: dict[str, Any]) -> str:
    return f"{edit.get('stage')}/{edit.get('rule')}"


def furniture_name(edit: dict[str, Any]) -> str:
    """A reader's name for lifted-out furniture: ``page number 12``, ``note 3``, ``caption``."""
    kind = str(edit.get("kind", ""))
    data = edit.get("data") or {}
    if kind == EditKind.FW:
        name = FW_NAMES.get(str(data.get("type", "")), "furniture")
        n = str(data.get("n", "") or "")
        return f"{name} {n}".strip()
    return FURNITURE_NAMES.get(kind, kind)


class RowMaker:
    """Side-by-side rows from a view's windows, fed one window at a time (:meth:`feed`, then :meth:`close`):
    one row per block of the clean text, a page-break row after each page break. Holds one row and one
    window's edits, never the document's.

    Every edit with a segment has the anchor ``c-<id>`` (what the report's ``#c-<id>`` links point at) on
    the span of its first segment: in the clean column, or for a paragraph break, which has no text there,
    in the scan's."""

    def __init__(self, original: str, items: list[dict[str, Any]]) -> None:
        self.original = original
        self.items = {str(i["id"]): i for i in items}
        self.row = Row()
        self.page = 1

    def _flush(self) -> Iterator[Row]:
        if self.row.left or self.row.right:
            yield self.row
        self.row = Row()

    def feed(self, window: WindowView) -> Iterator[Row]:
        """The rows finished by this window's segments (the last one may continue in the next window)."""
        edits = {str(e["id"]): e for e in window.edits}
        anchored: set[str] = set()  # an edit's pieces are all in its own window
        for seg in window.segments:
            row = self.row
            if not (row.left or row.right):
                row.start = seg.start
            elif row.chars >= PART_CHARS:
                yield from self._flush()
                row = self.row
                row.start = seg.start
            original = self.original[seg.start:seg.end]
            row.chars += len(original)
            row.last = seg.start
            edit = edits.get(seg.edit) if seg.edit else None
            if edit is None:
                row.left.append(Span(original))
                row.right.append(Span(seg.text))
            else:
                kind = str(edit.get("kind", ""))
                anchor = "" if seg.edit in anchored else f"c-{seg.edit}"
                anchored.add(str(seg.edit))
                common = {"edit": str(seg.edit)}
                if kind in FURNITURE_KINDS and seg.text == "":
                    name = furniture_name(edit)
                    row.left.append(Span(original, f"furn k-{kind}", **common))
                    data = edit.get("data") or {}
                    item = self.items.get(str(data.get("note") or data.get("caption") or ""))
                    shown = f"[{name}: {item['text']}]" if item else f"[{name}]"
                    row.right.append(Span(shown, f"furn k-{kind}", anchor=anchor, **common))
                elif kind == EditKind.PARBREAK and seg.text == "\n\n":
                    row.left.append(Span(original, "chg k-parbreak", anchor=anchor, **common))
                    yield from self._flush()
                else:
                    lay = kind in LAYOUT_KINDS
                    old, new = ("same", "same") if seg.text == original else ("del", "ins")
                    row.left.append(Span(original, f"chg {old} k-{kind}", **common))
                    row.right.append(Span(seg.text, f"chg {new} k-{kind}", anchor=anchor,
                                          label="" if lay else f"{edit.get('rule')} "
                                                               f"{float(edit.get('confidence', 1)):.2f}",
                                          **common))
            if seg.page_break:
                yield from self._flush()
                self.page += 1
                yield Row(page=self.page, start=seg.end, last=seg.end)

    def close(self) -> Iterator[Row]:
        """The last row."""
        yield from self._flush()


def iter_rows(view: DocView | StreamView) -> Iterator[Row]:
    """The document as side-by-side rows, window by window (see :class:`RowMaker`)."""
    maker = RowMaker(view.original, view.items)
    for window in view.windows():
        yield from maker.feed(window)
    yield from maker.close()


def rows_of(view: DocView) -> list[Row]:
    """The document as side-by-side rows, one per block of the clean text, with page breaks between."""
    return list(iter_rows(view))


class Tally:
    """Counts of a document's edit records, added one at a time (:meth:`add`): :meth:`summary` and
    :meth:`rules` are :func:`summarize` and :func:`rule_table` without holding the records."""

    def __init__(self, name: str, stem: str, stages: list[str], items: int) -> None:
        self.name, self.stem, self.stages, self.items = name, stem, stages, items
        self.states: Counter[str] = Counter()
        self.by_stage: Counter[str] = Counter()
        self.by_rule: Counter[str] = Counter()
        self.table: dict[str, dict[str, Any]] = {}

    def add(self, e: dict[str, Any]) -> None:
        state = str(e.get("state"))
        self.states[state] += 1
        if state in ("final", "inner"):
            self.by_stage[str(e["stage"])] += 1
            self.by_rule[rule_key(e)] += 1
        row = self.table.setdefault(rule_key(e), {"stage": e["stage"], "rule": e["rule"], "key": rule_key(e),
                                                  "applied": 0, "suggested": 0, "rejected": 0})
        row["applied" if state in ("final", "inner") else state] += 1

    def summary(self) -> dict[str, Any]:
        """Counts for the index and the manifest: edits by state, by stage and by rule."""
        return {
            "name": self.name,
            "stem": self.stem,
            "applied": self.states.get("final", 0) + self.states.get("inner", 0),
            "suggested": self.states.get("suggested", 0),
            "rejected": self.states.get("rejected", 0),
            "by_stage": dict(sorted(self.by_stage.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
            "items": self.items,
        }

    def rules(self) -> list[dict[str, Any]]:
        """Per stage and rule: applied, suggested and rejected counts, in the order the stages ran."""
        order = {s: i for i, s in enumerate(self.stages)}
        return sorted(self.table.values(), key=lambda r: (order.get(r["stage"], len(order)), r["stage"], r["rule"]))


def tally(view: DocView | StreamView) -> Tally:
    """The counts of every edit of a view (one pass over its windows)."""
    counts = Tally(view.name, view.stem, view.stages, len(view.items))
    for window in view.windows():
        for e in window.edits:
            counts.add(e)
    return counts


def summarize(view: DocView | StreamView) -> dict[str, Any]:
    """Counts of one document for the index and the manifest: edits by state, by stage and by rule."""
    return tally(view).summary()


def rule_table(view: DocView | StreamView) -> list[dict[str, Any]]:
    """Per stage and rule: applied, suggested and rejected counts, in the order the stages ran."""
    return tally(view).rules()


@dataclass
class _Part:
    """One part of a document's report (one HTML page): its number (from 1), file (relative to the report
    folder), the rows it shows and the edits whose original span starts in it. ``targets``: the part of
    each edit this page links to whose anchor (``c-<id>``) is not on it, None for one that has no anchor
    (its text is in no part: a rejected edit); an edit not in it is anchored on this page."""

    number: int
    file: str
    rows: list[Row] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    targets: dict[str, int | None] = field(default_factory=dict)


def part_file(stem: str, number: int) -> str:
    """The file of part ``number`` of a document's report, relative to the report folder."""
    return f"{stem}.html" if number == 1 else f"{stem}{PARTS_SUFFIX}/{number}.html"


#: Suffix of the folder holding parts 2... of a long document's report (``<stem>.parts/2.html``): no
#: document's own files (``<stem>.html``, ``<stem>.json``) can take that name.
PARTS_SUFFIX = ".parts"


def _anchors(row: Row) -> Iterator[str]:
    """The ids of the edits anchored in a row (``c-<id>``)."""
    for span in chain(row.left, row.right):
        if span.anchor:
            yield span.anchor[2:]


def _plan(view: DocView | StreamView, wanted: set[str] | None = None
          ) -> tuple[Tally, list[tuple[int, int]], dict[str, int]]:
    """One pass over the windows: the counts of the edits, where each part after the first begins (row
    number, offset in the original), and the part of the anchor of each edit of ``wanted`` that has one.

    A new part begins at the first row after :data:`PART_CHARS` characters of the original that begins
    after the last segment of the rows before it (never at a row where an empty segment at the same offset
    is still in the part before). So a segment is in the part :func:`_part_at` gives for its start, and the
    part of an edit's anchor is that of its first segment's start."""
    counts = Tally(view.name, view.stem, view.stages, len(view.items))
    starts: list[tuple[int, int]] = []
    found: dict[str, int] = {}
    maker = RowMaker(view.original, view.items)
    chars = number = 0
    last = -1

    def count(rows: Iterator[Row]) -> None:
        nonlocal chars, number, last
        for row in rows:
            if chars >= PART_CHARS and row.start > last:
                starts.append((number, row.start))
                chars = 0
            chars += row.chars
            number += 1
            last = max(last, row.last)
            if wanted:
                for edit_id in _anchors(row):
                    if edit_id in wanted:
                        found[edit_id] = len(starts) + 1

    for window in view.windows():
        for e in window.edits:
            counts.add(e)
        count(maker.feed(window))
    count(maker.close())
    return counts, starts, found


def _part_at(offsets: list[int], at: int) -> int:
    """The part (from 1) holding the segment that begins at ``at``; ``offsets``: where parts 2... begin."""
    return bisect_right(offsets, at) + 1


def _parts(view: DocView | StreamView, starts: list[tuple[int, int]]) -> Iterator[_Part]:
    """The parts of a document's report in order, each whole once the windows have passed its end (one
    part and one window held at a time)."""
    offsets = [offset for _, offset in starts]
    firsts = {number for number, _ in starts}
    parts = {1: _Part(1, part_file(view.stem, 1))}
    current = 1
    maker = RowMaker(view.original, view.items)
    number = 0

    def part(k: int) -> _Part:
        k = max(k, current)  # never a part already written (an edit starts at or after the rows before it)
        found = parts.get(k)
        if found is None:
            found = parts[k] = _Part(k, part_file(view.stem, k))
        return found

    def rows(made: Iterator[Row]) -> Iterator[_Part]:
        nonlocal current, number
        for row in made:
            if number in firsts:
                yield parts.pop(current)
                current += 1
            part(current).rows.append(row)
            number += 1

    for window in view.windows():
        first: dict[str, int] = {}  # where each edit's first segment (its anchor) begins
        for seg in window.segments:
            if seg.edit is not None and seg.edit not in first:
                first[seg.edit] = seg.start
        for e in window.edits:
            listed = part(_part_at(offsets, int(e["start"])))
            listed.edits.append(e)
            # an edit links to its own anchor, an inner one to its covering edit's: both in this window
            for target in (str(e["id"]) if e.get("state") == "final" else None, e.get("covered_by")):
                if target is not None and str(target) in first:
                    k = _part_at(offsets, first[str(target)])
                    if k != listed.number:
                        listed.targets[str(target)] = k
        yield from rows(maker.feed(window))
    yield from rows(maker.close())
    for k in sorted(parts):
        yield parts.pop(k)


def _links(stem: str, number: int, count: int) -> list[tuple[int, str]]:
    """(part number, href from part ``number``) for every part of a report of ``count`` parts."""
    here = PurePosixPath(part_file(stem, number)).parent
    return [(k, quote(posixpath.relpath(part_file(stem, k), here))) for k in range(1, count + 1)]


def _href(stem: str, part: _Part) -> Callable[[Any], str]:
    """The link from ``part`` to an edit's anchor (``#c-<id>``, ``2.html#c-<id>`` in another part), or ''
    for an edit that has none (:attr:`_Part.targets`)."""
    here = PurePosixPath(part_file(stem, part.number)).parent

    def href(edit_id: Any) -> str:
        edit_id = str(edit_id)
        k = part.targets.get(edit_id, part.number)
        if k is None:
            return ""
        page = "" if k == part.number else quote(posixpath.relpath(part_file(stem, k), here))
        return f"{page}#c-{edit_id}"

    return href


def _decision_targets(decisions: list[dict[str, Any]] | None, anchored: dict[str, int]) -> dict[str, int | None]:
    """For part 1: the part of the anchor of each edit a decision names (``anchored``), None if it has none."""
    return {str(d["edit"]): anchored.get(str(d["edit"])) for d in decisions or [] if d.get("edit")}


def _context(view: DocView | StreamView, counts: Tally, part: _Part, count: int,
             decisions: list[dict[str, Any]] | None) -> dict[str, Any]:
    """What the document template needs for one part (the first: the document's tables too)."""
    first = part.number == 1
    return {"view": view, "rows": part.rows, "rules": counts.rules(), "summary": counts.summary(),
            "href": _href(view.stem, part),
            "edits": part.edits, "items": view.items if first else [], "decisions": (decisions or []) if first else [],
            "part": part.number, "parts": _links(view.stem, part.number, count),
            "root": "../" if part.number > 1 else "", "chars": len(view.original), "part_chars": PART_CHARS}


def render_document(view: DocView, decisions: list[dict[str, Any]] | None = None) -> str:
    """The report page of one document (HTML text), all of it on one page."""
    counts = tally(view)
    rows = rows_of(view)
    anchored = {edit_id: 1 for row in rows for edit_id in _anchors(row)}
    part = _Part(1, part_file(view.stem, 1), rows, list(view.edits), _decision_targets(decisions, anchored))
    return environment().get_template("report_doc.html.j2").render(**_context(view, counts, part, 1, decisions))


def render_index(summaries: list[dict[str, Any]], review: dict[str, Any] | None = None) -> str:
    """The index page (HTML text): every document with its counts, and the run's totals by stage and rule."""
    totals: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    for s in summaries:
        totals.update(s.get("by_rule", {}))
        stages.update(s.get("by_stage", {}))
    return environment().get_template("report_index.html.j2").render(
        summaries=summaries, totals=sorted(totals.items()), stages=sorted(stages.items()),
        review=review or {"not_applied": [], "applied": 0, "decisions": None})


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _write(path: Path, text: str) -> None:
    _write_chunks(path, [text])


#: Characters gathered before they are encoded and written (:func:`_write_chunks`).
WRITE_BUFFER = 1 << 16


def _write_chunks(path: Path, parts: Iterable[str]) -> None:
    """Write text given in parts as UTF-8 to ``path``, whole or not at all (a temporary file renamed into
    place), a buffer at a time. A byte of the input that did not decode is a lone surrogate in the text:
    written as U+FFFD. :class:`OutputError` in one line if it cannot be written."""

    def write(fh: BinaryIO) -> None:
        buffer: list[str] = []
        size = 0
        for part in parts:
            buffer.append(part)
            size += len(part)
            if size >= WRITE_BUFFER:
                fh.write(_LONE_SURROGATE.sub("\ufffd", "".join(buffer)).encode("utf-8"))
                buffer, size = [], 0
        fh.write(_LONE_SURROGATE.sub("\ufffd", "".join(buffer)).encode("utf-8"))

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        commit_staged(write_staged(path, write), path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None


def write_document_report(view: DocView | StreamView, report_dir: Path,
                          decisions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Write ``<stem>.json`` (the view, :func:`~pipeline.review.view.view_json`) and the report page
    ``<stem>.html`` into ``report_dir``; a document longer than :data:`PART_CHARS` is shown in more parts,
    ``<stem>.parts/2.html`` ... (parts of an earlier run beyond the last are removed). Everything is written
    as it is made, a window of the view at a time: memory does not grow with the document. Returns the
    document's summary (:func:`summarize`), with ``parts`` when there is more than one."""
    _write_chunks(report_dir / f"{view.stem}.json", chain(view_json(view), ["\n"]))
    wanted = {str(d["edit"]) for d in decisions or [] if d.get("edit")}
    counts, starts, anchored = _plan(view, wanted)
    count = len(starts) + 1
    template = environment().get_template("report_doc.html.j2")
    for part in _parts(view, starts):
        if part.number == 1:
            part.targets.update(_decision_targets(decisions, anchored))
        _write_chunks(report_dir / part.file, template.generate(**_context(view, counts, part, count, decisions)))
    _remove_stale_parts(report_dir, view.stem, count)
    summary = counts.summary()
    if count > 1:
        summary["parts"] = count
    return summary


def _remove_stale_parts(report_dir: Path, stem: str, count: int) -> None:
    """Remove the parts beyond ``count`` an earlier run left in ``<stem>.parts/`` (and the folder, if empty)."""
    folder = report_dir / f"{stem}{PARTS_SUFFIX}"
    if not folder.is_dir():
        return
    for path in folder.glob("*.html"):
        if not (path.stem.isdigit() and 2 <= int(path.stem) <= count):
            path.unlink(missing_ok=True)
    if not any(folder.iterdir()):
        folder.rmdir()


def write_index(report_dir: Path, summaries: list[dict[str, Any]], review: dict[str, Any] | None = None) -> Path:
    """Write the index :data:`INDEX_PAGE` into ``report_dir``; returns its path. The index of an earlier version
    (:data:`OLD_INDEX_PAGE`) is removed, unless it may be the page of a document of the run (one whose stem
    is ``index`` in any case: a case-insensitive disk makes ``INDEX.html`` that file).
    :class:`OutputError` in one line if the index cannot be written."""
    page = report_dir / INDEX_PAGE
    _write(page, render_index(summaries, review))
    old = report_dir / OLD_INDEX_PAGE
    if old.is_file() and not any(f"{s.get('stem')}.html".casefold() == OLD_INDEX_PAGE for s in summaries):
        try:
            old.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"{old}: cannot remove the index of an earlier version ({exc.strerror or exc})") from None
    return page
