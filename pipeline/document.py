"""The document: the original text, every edit made to it, and the structure found in it.

Why a rope of pieces: every stage sees the *current* text and proposes edits in
current coordinates, but the reader of a diff (and the TEI restore) needs each
change located in the *original* text. The document therefore keeps the text as
an ordered list of :class:`Piece` objects that tile the original exactly: an
unedited piece is a verbatim slice of the original, an edited piece carries the
edit that produced its text. Applying a stage's edits rewrites the pieces, so
the mapping back to the original never has to be reconstructed afterwards.

Structural removals (page numbers, notes, captions, noise) are *protected*
pieces: a later edit that spans one (a word rejoined across a page break) is
split around it, so the removed material keeps its own identity in the TEI.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import tempfile
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import regex

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # Python 3.10
    from enum import Enum

    class StrEnum(str, Enum):
        """A string enum whose members print and format as their values (``enum.StrEnum`` of 3.11)."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return format(str(self.value), spec)


class EditKind(StrEnum):
    """What an edit does, which decides how the TEI writes it (see :mod:`pipeline.tei.scheme`) and whether
    later edits may swallow it (:data:`PROTECTED_KINDS`). A ``StrEnum``: each member equals its string
    (``EditKind.FW == "fw"``), so records and comparisons with plain strings keep working."""

    #: A repaired reading (the default): spacing, characters, punctuation, hyphenation, a reviewer's text.
    CORRECTION = "correction"
    #: decode: a byte or character the input encoded wrongly (mojibake, a ligature, a long s).
    ENCODING = "encoding"
    #: decode: a character XML cannot hold, removed.
    CONTROL = "control"
    #: decode: a CRLF or lone CR made a LF.
    NEWLINE = "newline"
    #: layout: a printed line break made a space (or nothing).
    JOIN = "join"
    #: layout: a paragraph break (``"\n\n"``).
    PARBREAK = "parbreak"
    #: layout: page furniture removed (``data["type"]``: a :class:`FwType`).
    FW = "fw"
    #: layout: a note lifted out of the body (:attr:`Edit.item` names it in ``doc.notes``).
    NOTE = "note"
    #: layout: a caption lifted out of the body (:attr:`Edit.item` names it in ``doc.captions``).
    CAPTION = "caption"
    #: layout: scanner debris or an ornament removed.
    NOISE = "noise"
    #: layout: a note's reference mark in the body (:attr:`Edit.item` names the note, if found).
    ANCHOR = "anchor"
    #: names: an occurrence of an authority entry (``data["ref"]``).
    NAME = "name"

#: Kinds of removal that later edits must not swallow (see module docstring).
PROTECTED_KINDS = frozenset({EditKind.FW, EditKind.NOTE, EditKind.CAPTION, EditKind.NOISE, EditKind.CONTROL})

#: The key under which an edit's :attr:`Edit.item` is written in its record's ``data`` (the edits file,
#: the review view), by kind: a note's removal and its anchor name the note, a caption's removal the caption.
ITEM_KEYS: dict[str, str] = {EditKind.NOTE: "note", EditKind.ANCHOR: "note", EditKind.CAPTION: "caption"}


class FwType(StrEnum):
    """What page furniture an edit of kind :attr:`EditKind.FW` removes (its ``data["type"]``, the TEI's
    ``fw/@type``); ``data["n"]`` is the number printed on it, if any."""

    #: A page number (a page break follows it).
    PAGE_NUM = "pageNum"
    #: A running head (with a page number printed beside it, a page break precedes it).
    HEADER = "header"
    #: A section's number printed on a line of its own above its heading.
    SECTION_NUM = "sectionNum"


class Fact(StrEnum):
    """A fact one stage establishes at an edit for a later stage to act on (:attr:`Edit.facts`), typed so that
    the reader does not depend on a string key. Written as ``data[fact] = true`` in the edit's record."""

    #: layout, on a line join: the line ended in half a word whose hyphen the scan lost at a page break
    #: (a page number glued to it, ``sur40`` / ``render``); hyphenation joins the halves when they make a word.
    BROKEN_WORD = "broken"


@dataclass(slots=True)
class Edit:
    """One change proposed by one rule of one stage.

    ``start``/``end`` locate the change in the original text (``source`` is that
    slice); ``before``/``after`` are what the stage saw and wrote. ``applied`` is
    false for a suggestion whose confidence fell below the threshold. ``item``: the id of
    the note or caption (:class:`Furniture`) that the edit lifts out of the body or anchors.
    ``facts``: what the stage established here for later stages (:class:`Fact`). ``data``:
    anything else worth keeping in the record (names, alternatives, a reviewer's decision).
    """

    stage: str
    rule: str
    start: int
    end: int
    source: str
    before: str
    after: str
    confidence: float
    kind: str = "correction"
    applied: bool = True
    data: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    item: str | None = None
    facts: frozenset[Fact] = frozenset()

    def record_data(self) -> dict[str, Any]:
        """The record's ``data``: :attr:`item` under its kind's key (:data:`ITEM_KEYS`), each of
        :attr:`facts` as ``true``, then :attr:`data`."""
        if self.item is None and not self.facts:
            return self.data
        out: dict[str, Any] = {}
        if self.item is not None:
            out[ITEM_KEYS.get(self.kind, "item")] = self.item
        for fact in sorted(self.facts):
            out[str(fact)] = True
        out.update(self.data)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the edits file format)."""
        record = {
            "id": self.id,
            "stage": self.stage,
            "rule": self.rule,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "source": self.source,
            "before": self.before,
            "after": self.after,
            "confidence": round(self.confidence, 3),
            "applied": self.applied,
        }
        data = self.record_data()
        if data:
            record["data"] = data
        return record


@dataclass(frozen=True)
class Proposal:
    """An edit as a stage proposes it: a span of the current text and its replacement (``item``,
    ``facts``: as :class:`Edit`'s)."""

    start: int
    end: int
    replacement: str
    rule: str
    confidence: float = 1.0
    kind: str = "correction"
    data: dict[str, Any] | None = None
    item: str | None = None
    facts: frozenset[Fact] = frozenset()


@dataclass(slots=True)
class Piece:
    """A stretch of the original (``src_start:src_end``) and the text that now stands for it."""

    src_start: int
    src_end: int
    text: str
    edit: Edit | None = None

    @property
    def protected(self) -> bool:
        return not self.text and self.edit is not None and self.edit.kind in PROTECTED_KINDS


@dataclass(frozen=True)
class Segment:
    """A piece of the rope located in both texts: ``start:end`` in the current text (:attr:`Document.text`),
    ``piece.src_start:piece.src_end`` in the original."""

    start: int
    end: int
    piece: Piece

    @property
    def text(self) -> str:
        return self.piece.text

    @property
    def edit(self) -> Edit | None:
        return self.piece.edit

    @property
    def src_start(self) -> int:
        return self.piece.src_start

    @property
    def src_end(self) -> int:
        return self.piece.src_end


@dataclass
class Furniture:
    """A note or a caption that layout lifted out of the body (:attr:`Document.notes`,
    :attr:`Document.captions`).

    ``kind``: :attr:`EditKind.NOTE` or :attr:`EditKind.CAPTION`; ``id``: ``note3``, ``caption1``, the
    :attr:`Edit.item` of the edits that remove it (``removals``, edit ids) and of a note's ``anchor`` (the
    id of the edit removing its reference mark from the body; None when none was found). ``printed``: the
    text as layout joined its lines (whitespace collapsed). ``fragment``: a document over ``printed``
    holding the word repairs made to it, as :class:`Edit` objects through the same piece table as the body
    (None until they are made; their spans are offsets in ``printed``). A note's ``n`` is its number or mark
    as the TEI gives it (``3``, ``*``); ``mark`` the reference mark the body prints (``*``, ``¹``; empty for
    a plain number or an end note); ``place`` is ``foot`` for a numbered footnote at a page foot.
    """

    kind: EditKind
    id: str
    printed: str
    n: str = ""
    mark: str = ""
    place: str = ""
    anchor: str | None = None
    removals: list[str] = field(default_factory=list)
    fragment: Document | None = None

    @property
    def text(self) -> str:
        """The text as the outputs give it: repaired, or as printed when no repair was made."""
        return self.printed if self.fragment is None else self.fragment.text

    @property
    def edits(self) -> list[Edit]:
        """The repairs made inside the item (spans in :attr:`printed`)."""
        return [] if self.fragment is None else self.fragment.edits

    def edit_records(self) -> list[dict[str, Any]]:
        """The repairs as records of the edits file: ids prefixed with the item's (``note2.e1a2b...``),
        ``item`` naming it."""
        return [dict(e.to_dict(), id=f"{self.id}.{e.id}", item=self.id) for e in self.edits]


@dataclass
class Block:
    """A body block in reading order: ``kind`` is 'p' or 'head'."""

    kind: str


class Document:
    """Original text plus the edits applied to it; all outputs are views of this."""

    def __init__(self, original: str, name: str = "-", meta: dict[str, Any] | None = None, offset: int = 0) -> None:
        self.original = original
        #: Where this text starts in the whole input (a window of a long document, see :meth:`stitch`):
        #: edit ids are computed from whole-input positions, so they do not depend on the windows.
        self.offset = offset
        self.name = name
        self.meta: dict[str, Any] = dict(meta or {})
        self._pieces: list[Piece] = [Piece(0, len(original), original)] if original else []
        self._text: str | None = None
        self.edits: list[Edit] = []
        #: Block kinds of the body, one per paragraph of :attr:`text` (set by layout).
        self.blocks: list[Block] = []
        #: Notes and captions lifted out of the body by layout, in the order found.
        self.notes: list[Furniture] = []
        self.captions: list[Furniture] = []
        self.stages_run: list[str] = []
        #: Ids of edits a reviewer rejected (see :mod:`pipeline.review`): proposed again, such an edit is
        #: recorded once as not applied (``data["review"] == "rejected"``) and the text is left as it was.
        self.rejected: set[str] = set()
        #: (stage, rule) pairs a reviewer rejected as a whole: every edit of such a rule is vetoed like a
        #: rejected id, an edit whose id is in :attr:`kept` (decided on by itself) excepted.
        self.rejected_rules: set[tuple[str, str]] = set()
        self.kept: set[str] = set()
        self._id_counts: Counter[str] = Counter()

    # ------------------------------------------------------------------ views
    @property
    def pieces(self) -> list[Piece]:
        """The rope: pieces tiling the original in order (treat as read-only; edits go through :meth:`apply`)."""
        return self._pieces

    @pieces.setter
    def pieces(self, pieces: list[Piece]) -> None:
        self._pieces = pieces
        self._text = None

    @property
    def text(self) -> str:
        """The current text (body only once layout has lifted the furniture out); joined once per change."""
        if self._text is None:
            self._text = "".join(p.text for p in self._pieces)
        return self._text

    def segments(self) -> list[Segment]:
        """Every piece with its span in the current text, in order: the one walk from current offsets to
        original spans (the pieces' ``src_start:src_end``) that views and stages share."""
        out: list[Segment] = []
        pos = 0
        for piece in self._pieces:
            end = pos + len(piece.text)
            out.append(Segment(pos, end, piece))
            pos = end
        return out

    def paragraphs(self) -> list[str]:
        """The body split into blocks, as the txt output shows them."""
        return [p for p in self.text.split("\n\n") if p.strip()]

    def join_positions(self) -> dict[int, Edit]:
        """Current-text offsets of the spaces that stand for printed line breaks, with their edits."""
        out: dict[int, Edit] = {}
        pos = 0
        for p in self.pieces:
            if p.edit is not None and p.edit.kind == EditKind.JOIN and p.text == " ":
                out[pos] = p.edit
            pos += len(p.text)
        return out

    def edits_by_stage(self) -> dict[str, int]:
        """Applied edits per stage, by stage name (read window by window, see :meth:`windows`)."""
        counts: Counter[str] = Counter(e.stage for w in self.windows() for e in w.edits if e.applied)
        return dict(sorted(counts.items()))

    def suggestion_count(self) -> int:
        """How many edits are only suggested (not applied)."""
        return sum(1 for w in self.windows() for e in w.edits if not e.applied)

    def windows(self) -> Iterator[Window]:
        """The pieces and edits as the exports read them, in order: one :class:`Window` holding all of
        them for a document in memory; a :class:`SpilledDocument` gives those of each window of a long
        input in turn, read back from disk, so an export holds one window at a time."""
        yield Window(self.pieces, self.edits, [n.id for n in self.notes])

    def text_parts(self) -> Iterator[str]:
        """:attr:`text` in consecutive parts (all of it at once for a document in memory)."""
        yield self.text

    def text_length(self) -> int:
        """``len(self.text)``, without joining the text of a spilled document."""
        return sum(map(len, self.text_parts()))

    # ------------------------------------------------------------------ editing
    def suggest(self, stage: str, proposals: Iterable[Proposal]) -> None:
        """Record proposals as suggestions only: logged, never applied."""
        text = self.text
        proposals = list(proposals)
        spans = self._source_spans([(pr.start, pr.end) for pr in proposals])
        for pr, (src_start, src_end) in zip(proposals, spans):
            edit = Edit(stage, pr.rule, src_start, src_end, self.original[src_start:src_end],
                        text[pr.start:pr.end], pr.replacement, pr.confidence, pr.kind, False,
                        dict(pr.data or {}), item=pr.item, facts=pr.facts)
            self._register(edit)

    def apply(self, stage: str, proposals: Iterable[Proposal]) -> list[Edit]:
        """Apply non-overlapping proposals (current-text coordinates) and record them.

        Proposals that overlap an earlier one in the same batch are dropped, so a
        stage can never corrupt the rope by proposing conflicting changes.
        """
        ordered = sorted(proposals, key=lambda p: (p.start, p.end))
        accepted: list[Proposal] = []
        last_end = -1
        for pr in ordered:
            if pr.start < last_end or (pr.start == last_end and pr.start == pr.end and accepted
                                       and accepted[-1].start == accepted[-1].end):
                continue
            if pr.start > pr.end:
                raise ValueError(f"bad proposal span {pr.start}>{pr.end} from {stage}/{pr.rule}")
            accepted.append(pr)
            last_end = pr.end
        if not accepted:
            return []
        made: list[Edit] = []
        out: list[Piece] = []
        pieces = list(self.pieces)
        i = 0
        pos = 0  # current-text offset where pieces[i] starts
        for pr in accepted:
            a, b = pr.start, pr.end
            if a < pos:
                continue  # the previous edit widened over this span: skip the conflict
            # 1. pieces wholly before a (zero-length pieces at a stay before it)
            while i < len(pieces) and pos + len(pieces[i].text) <= a:
                out.append(pieces[i])
                pos += len(pieces[i].text)
                i += 1
            covered: list[Piece] = []
            prefix = suffix = ""
            done = False
            # 2. a piece that straddles a
            if i < len(pieces) and pos < a:
                p = pieces[i]
                k = a - pos
                if p.edit is None:
                    out.append(Piece(p.src_start, p.src_start + k, p.text[:k]))
                    pieces[i] = Piece(p.src_start + k, p.src_end, p.text[k:])
                    pos = a
                else:
                    prefix = p.text[:k]
                    covered.append(p)
                    if pos + len(p.text) > b:
                        suffix = p.text[b - pos:]
                        done = True
                    pos += len(p.text)
                    i += 1
            # 3. pieces up to b (zero-length pieces at b stay after it)
            while not done and i < len(pieces):
                p = pieces[i]
                n = len(p.text)
                if pos >= b:
                    break
                if pos + n <= b:
                    covered.append(p)
                    pos += n
                    i += 1
                    continue
                k = b - pos
                if p.edit is None:
                    covered.append(Piece(p.src_start, p.src_start + k, p.text[:k]))
                    pieces[i] = Piece(p.src_start + k, p.src_end, p.text[k:])
                    pos = b
                else:
                    covered.append(p)
                    suffix = p.text[k:]
                    pos += n
                    i += 1
                break
            replacement = prefix + pr.replacement + suffix
            if covered:
                src_start, src_end = covered[0].src_start, covered[-1].src_end
            elif out:
                src_start = src_end = out[-1].src_end
            else:
                src_start = src_end = pieces[i].src_start if i < len(pieces) else len(self.original)
            before = "".join(p.text for p in covered)
            edit = Edit(stage, pr.rule, src_start, src_end, self.original[src_start:src_end],
                        before, replacement, pr.confidence, pr.kind, True, dict(pr.data or {}),
                        item=pr.item, facts=pr.facts)
            if (self.rejected or self.rejected_rules) and self._veto(edit):
                out.extend(covered)  # the covered pieces stay as they were
                continue
            self._register(edit)
            made.append(edit)
            out.extend(self._rebuild(covered, replacement, edit, src_start))
        out.extend(pieces[i:])
        self.pieces = out
        return made

    def _rebuild(self, covered: list[Piece], replacement: str, edit: Edit, anchor: int) -> list[Piece]:
        """New pieces for an edit: runs between protected pieces, the first run carrying the text."""
        if edit.kind in PROTECTED_KINDS or not any(p.protected for p in covered):
            if not covered:
                return [Piece(anchor, anchor, replacement, edit)]
            return [Piece(covered[0].src_start, covered[-1].src_end, replacement, edit)]
        out: list[Piece] = []
        run: list[Piece] = []
        placed = False

        def flush() -> None:
            nonlocal placed
            if run:
                out.append(Piece(run[0].src_start, run[-1].src_end, "" if placed else replacement, edit))
                placed = True
                run.clear()

        for p in covered:
            if p.protected:
                flush()
                out.append(p)
            else:
                run.append(p)
        flush()
        if not placed:
            out.insert(0, Piece(covered[0].src_start, covered[0].src_start, replacement, edit))
        return out

    def _source_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text span of a current-text span (widened to whole edited pieces)."""
        return self._source_spans([(start, end)])[0]

    def _source_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Original-text spans of current-text spans: one pass over the pieces, then a binary
        search per span (linear in the pieces plus the spans, not their product)."""
        pieces = self.pieces
        ends: list[int] = []  # current-text offset where each piece ends
        pos = 0
        for p in pieces:
            pos += len(p.text)
            ends.append(pos)
        size = len(self.original)
        out: list[tuple[int, int]] = []
        for start, end in spans:
            k = bisect_right(ends, start)  # the first piece that reaches past start
            if k == len(pieces):
                out.append((size, size))
                continue
            p = pieces[k]
            pos = ends[k] - len(p.text)
            src_start = p.src_start + (start - pos) if p.edit is None else p.src_start
            m = bisect_left(ends, end, k)  # the first piece from there that reaches end
            if m == len(pieces):
                out.append((src_start, size))
                continue
            p = pieces[m]
            pos = ends[m] - len(p.text)
            src_end = p.src_start + (end - pos) if p.edit is None else p.src_end
            out.append((src_start, max(src_start, src_end)))
        return out

    def _next_id(self, edit: Edit) -> tuple[str, str]:
        """(digest, id) the edit gets when registered next: stable across re-runs of the same input and code."""
        key = f"{edit.stage}|{edit.rule}|{edit.start + self.offset}|{edit.end + self.offset}|{edit.after}"
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        n = self._id_counts[digest] + 1
        return digest, f"e{digest}" + (f"-{n}" if n > 1 else "")

    def _register(self, edit: Edit) -> None:
        """Give the edit its stable id and record it."""
        digest, edit.id = self._next_id(edit)
        self._id_counts[digest] += 1
        self.edits.append(edit)

    def _veto(self, edit: Edit) -> bool:
        """Whether a reviewer rejected this edit; if so it is recorded (once) as not applied.

        The id counter is not advanced, so a stage that proposes the same edit again (a second
        pass) meets the same id and the same veto."""
        _, edit_id = self._next_id(edit)
        by_rule = (edit.stage, edit.rule) in self.rejected_rules and edit_id not in self.kept
        if edit_id not in self.rejected and not by_rule:
            return False
        if not any(e.id == edit_id for e in self.edits):
            edit.id = edit_id
            edit.applied = False
            edit.data = dict(edit.data, review="rejected")
            self.edits.append(edit)
        return True

    # ------------------------------------------------------------------ windows
    @classmethod
    def stitch(cls, parts: list[Document], name: str = "-", meta: dict[str, Any] | None = None) -> Document:
        """One document from the windows of a long input, cleaned one by one (``parts[k].offset`` is
        where each starts in the whole; together they tile it): :class:`Stitcher` fed every part.
        Consumes ``parts``."""
        stitcher = Stitcher(name, meta)
        for part in parts:
            stitcher.add(part)
        return stitcher.finish()

    # ------------------------------------------------------------------ checks
    def check(self) -> None:
        """Assert the rope invariant: the pieces tile the original exactly, in order."""
        pos = 0
        for p in self.pieces:
            if p.src_start != pos:
                raise AssertionError(f"rope gap/overlap at {pos} (piece starts {p.src_start})")
            if p.edit is None and self.original[p.src_start:p.src_end] != p.text:
                raise AssertionError(f"unedited piece at {p.src_start} differs from the original")
            pos = p.src_end
        if pos != len(self.original):
            raise AssertionError(f"rope ends at {pos}, original has {len(self.original)}")


class Window(NamedTuple):
    """One window's share of a document (:meth:`Document.windows`): its pieces and edits in order (spans in
    the whole input), and the ids of the notes it lifted out (in :attr:`Document.notes`)."""

    pieces: list[Piece]
    edits: list[Edit]
    notes: list[str]


class WindowStore:
    """Finished windows of a long input on disk, one record each (pickled, then compressed with zlib at
    level 1: about 2 bytes per input character instead of 7, for some milliseconds per window), in an
    anonymous temporary file (removed when closed or collected), read back in order. A window's pieces
    and edits are pickled together, so a piece still points to its own edit after reading. ``OSError``
    of the file propagates."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="ocrclean-windows-")
        self._spans: list[tuple[int, int]] = []

    def append(self, window: Window) -> None:
        blob = zlib.compress(pickle.dumps(tuple(window), protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._file.seek(0, 2)
        self._spans.append((self._file.tell(), len(blob)))
        self._file.write(blob)

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[Window]:
        for offset, size in self._spans:
            self._file.seek(offset)  # again at each step: iterations may interleave
            yield Window(*pickle.loads(zlib.decompress(self._file.read(size))))

    def close(self) -> None:
        self._file.close()


class SpilledDocument(Document):
    """A document stitched from windows whose pieces and edits stay on disk (:class:`WindowStore`):
    :meth:`windows`, :meth:`text_parts` and everything built on them (the exports, the counts of
    :meth:`edits_by_stage`) read one window at a time. The original text, blocks, notes, captions and
    metadata are held in memory as usual. Reading :attr:`pieces`, :attr:`edits` or :attr:`text` loads
    every window for good (the document then behaves as one held in memory)."""

    def __init__(self, name: str, meta: dict[str, Any] | None, store: WindowStore) -> None:
        self._loaded = False
        self._store = store
        super().__init__("", name, meta)

    def _load(self) -> None:
        if self._loaded:
            return
        pieces: list[Piece] = []
        edits: list[Edit] = []
        for window in self._store:
            pieces.extend(window.pieces)
            edits.extend(window.edits)
        self._loaded = True
        self._pieces, self._edits, self._text = pieces, edits, None

    @property
    def pieces(self) -> list[Piece]:
        self._load()
        return self._pieces

    @pieces.setter
    def pieces(self, pieces: list[Piece]) -> None:
        self._load()
        self._pieces, self._text = pieces, None

    @property
    def edits(self) -> list[Edit]:
        self._load()
        return self._edits

    @edits.setter
    def edits(self, edits: list[Edit]) -> None:
        if self._loaded or edits:
            self._load()
        self._edits = edits

    @property
    def spilled(self) -> bool:
        """Whether the pieces and edits are still on disk only."""
        return not self._loaded

    def windows(self) -> Iterator[Window]:
        if self._loaded:
            yield from super().windows()
        else:
            yield from self._store

    def text_parts(self) -> Iterator[str]:
        if self._loaded:
            yield self.text
        else:
            for window in self._store:
                yield "".join(p.text for p in window.pieces)


class Stitcher:
    """Builds one document from the windows of a long input as each is cleaned (:meth:`add`), so a
    window's document can be dropped at once instead of being held until the last one is done.

    Spans move to whole-input positions (ids already are), note and caption ids are renumbered, and
    where a window's text does not end a paragraph a paragraph break is inserted (an edit of stage
    ``layout``, rule ``window-seam``), so windows never run into each other. The window's pieces, edits,
    notes and captions are taken over (moved in place, not copied): :meth:`add` consumes its part.
    :meth:`finish` returns the document; ``ValueError`` if the windows do not tile the input.

    ``spill``: each window's pieces and edits (after the seam before it) go to a :class:`WindowStore` on disk
    as soon as it is added, and :meth:`finish` returns a :class:`SpilledDocument`, so memory does not grow
    with the input. Its exports are the same bytes. Only the edit ids of seams are counted against fewer
    ids: those of the seams and of the window before (the in-memory stitch counts every window's), which
    differs only if a 40-bit id digest of an edit two or more windows back equals the seam's."""

    def __init__(self, name: str = "-", meta: dict[str, Any] | None = None, original: str | None = None,
                 spill: bool = False) -> None:
        self._store = WindowStore() if spill else None
        self.doc: Document = Document("", name, meta) if self._store is None else SpilledDocument(name, meta,
                                                                                                   self._store)
        self._previous_ids: Counter[str] = Counter()  # spilling: the edit ids of the window before
        #: the whole input, when the caller holds it (each window is checked against it instead of kept)
        self._original = original
        self._originals: list[str] = []
        self._windows = 0
        self._pieces: list[Piece] = []
        self._blocks: list[Block] = []
        self._counts = {EditKind.NOTE: 0, EditKind.CAPTION: 0}
        self._expected = 0
        self._previous: tuple[int, str, str] | None = None  # the window before: (end, text end, original end)

    def add(self, part: Document) -> None:
        """Take over the next window (its :attr:`Document.offset` must be where the last one ended)."""
        doc, base = self.doc, part.offset
        if base != self._expected:
            raise ValueError(f"windows do not tile the input (window {self._windows} starts at {base}, "
                             f"not {self._expected})")
        if self._original is None:
            self._originals.append(part.original)
        elif not self._original.startswith(part.original, base):
            raise ValueError(f"window {self._windows} is not the input's text at {base}")
        seam = self._seam(*self._previous, part.text[:1]) if self._previous is not None else None
        self._windows += 1
        self._expected += len(part.original)
        for edit in part.edits:
            edit.start += base
            edit.end += base
        for piece in part.pieces:
            piece.src_start += base
            piece.src_end += base
        renames: dict[str, str] = {}
        for kind, items in ((EditKind.NOTE, part.notes), (EditKind.CAPTION, part.captions)):
            for item in items:
                self._counts[kind] += 1
                renames[item.id] = f"{kind}{self._counts[kind]}"
                item.id = renames[item.id]
        for edit in part.edits:
            if edit.item is not None and edit.item in renames:
                edit.item = renames[edit.item]
        if self._store is None:
            if seam is not None:
                self._pieces.append(seam[1])
            self._pieces.extend(part.pieces)
            doc.edits.extend(part.edits)
            doc._id_counts.update(part._id_counts)
        else:
            first = [seam[1]] if seam is not None else []
            self._store.append(Window(first + part.pieces, ([seam[0]] if seam is not None else []) + part.edits,
                                      [item.id for item in part.notes]))
            self._previous_ids = part._id_counts
        doc.notes.extend(part.notes)
        doc.captions.extend(part.captions)
        self._blocks.extend(part.blocks)
        for key, value in part.meta.items():
            if isinstance(value, dict):
                doc.meta.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                doc.meta.setdefault(key, []).extend(value)
            else:
                doc.meta.setdefault(key, value)
        if not doc.stages_run:
            doc.stages_run = list(part.stages_run)
        self._previous = (self._expected, *_window_end(part.text, part.original))
        part.pieces, part.edits, part.notes, part.captions, part.blocks = [], [], [], [], []

    def _seam(self, at: int, text: str, original: str, nxt: str) -> tuple[Edit, Piece] | None:
        """The edit and piece that keep two windows apart (:func:`_seam`), registered; None when none is needed."""
        seam = _seam(text, original, nxt)
        if not seam:
            return None
        edit = Edit("layout", "window-seam", at, at, "", "", seam, 1.0, "join")
        if self._store is None:
            self.doc._register(edit)
        else:  # the ids of the seams so far (in the document's counts) and of the window before
            digest, _ = self.doc._next_id(edit)
            n = self.doc._id_counts[digest] + self._previous_ids[digest] + 1
            edit.id = f"e{digest}" + (f"-{n}" if n > 1 else "")
            self.doc._id_counts[digest] += 1
        return edit, Piece(at, at, seam, edit)

    def finish(self) -> Document:
        """The stitched document."""
        doc = self.doc
        whole = "".join(self._originals) if self._original is None else self._original
        if len(whole) != self._expected:
            raise ValueError(f"the windows end at {self._expected}, the input at {len(whole)}")
        doc.original = whole
        if self._store is None:
            doc.pieces = self._pieces
        doc.blocks = self._blocks
        self._originals, self._pieces, self._blocks, self._previous = [], [], [], None
        return doc


def _window_end(text: str, original: str) -> tuple[str, str]:
    """What :func:`_seam` reads of a window: the end of its cleaned text from its last character
    that is not whitespace (empty when it holds only whitespace), and the end of its original from the
    start of a line before both its last 64 characters and its trailing whitespace (so that the
    page-end and blank-line tests match as they do on the whole)."""
    body = len(text.rstrip())
    if not body:
        return "", original[-1:]
    start = original.rfind("\n", 0, max(0, min(len(original) - 64, len(original.rstrip()) - 1))) + 1
    return text[body - 1:], original[start:]


#: The end of a printed page: a form feed, or a line holding only a page number (``12``, ``- 12 -``,
#: ``[Page 12]``), with the line break after it. Windows of a long input are cut after one
#: (:func:`pipeline.api.windows`), and a window that ends with one ends a paragraph (:func:`_seam`).
PAGE_END = regex.compile(r"\f|(?m)^[ \t]*(?:[-–—]\s*)?(?:\[Page \d{1,4}\]|\d{1,4})(?:\s*[-–—])?[ \t]*\r?\n")
#: A text ending in a blank line or a form feed.
_BLANK_END = regex.compile(r"(?:\n[ \t\r]*\n|\f)[ \t\r]*$")


def _ends_page(text: str) -> bool:
    """Whether ``text`` ends with a :data:`PAGE_END`."""
    return any(m.end() == len(text) for m in PAGE_END.finditer(text, max(0, len(text) - 64)))


def _seam(text: str, original: str, nxt: str) -> str:
    """What must stand between two cleaned windows (``text``: the cleaned text of the first, or its end
    (:class:`_WindowEnd`); ``original``: its original text, or an end of it that starts a line;
    ``nxt``: the next window's cleaned text, or its start): a paragraph break where the window ended at
    a blank line or a page end and its text does not already end one; a space where the window was cut
    inside a paragraph (at a line end or a space) and the texts would otherwise touch; else nothing."""
    if not text.strip() or text.endswith("\n\n"):
        return ""
    paragraph_end = bool(_BLANK_END.search(original)) or _ends_page(original)
    if paragraph_end:
        return "\n\n"
    if text[-1:].isspace() or nxt[:1].isspace():
        return ""
    return " "
