"""Notes: footnotes under their mark (``*``, ``•``), numbered footnotes at a page foot, numbered
notes gathered at the end, and the reference marks (anchors) in the body that point to them.

A note is lifted out of the body only with evidence (a matching mark before it, or a place of its
own at a page foot); each becomes a :class:`~pipeline.document.Furniture` in ``notes``, which layout keeps in
:attr:`pipeline.document.Document.notes` when its removal is made."""

from __future__ import annotations

from dataclasses import replace

import regex

from pipeline.document import Document, EditKind, Furniture, Proposal
from pipeline.stages.layout.lines import (
    NOTE_START,
    PAGE_NUMBER,
    Line,
    ends_sentence,
    in_body,
    is_heading,
    next_content,
    page_break_at,
    remove_line,
    starts_lower,
)

END_NOTE = regex.compile(r"^\s+(\d{1,3})\.\s+(\S.*)$")
#: A footnote's reference mark in the body (what ``mark_anchors`` looks for), before a space or the
#: punctuation that follows the word it marks (``Foundation*.``); after a word, not after another mark: the
#: stars of an ornamental divider (``* * *``) or of scanner noise anchor no note.
MARK_ANCHOR = regex.compile(r"(?<=[\p{L}\d.,;:!?)\]\"”’]) ?(?:\*|•|>I<|†|‡)(?=[\s.,;:!?)\]\"”’]|$)")
#: How far before its note a footnote's anchor may be (about a page).
ANCHOR_REACH = 4000
#: A footnote that starts with its number (``1 The tenant in the old statutes ...``).
NUMBERED_NOTE = regex.compile(r"^\s*(\d{1,2})\s+(\S.*)$")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: A note number as its anchor prints it in a line of the body: after a word or a stop.
AFTER_WORD = r"(?<=[\p{L}.,;:!?'\"’”)])"
#: Capitals right before a number (``CO2``, ``A4``, ``M1``): a formula or a code, not a word with its note number.
CODE_BEFORE = regex.compile(r"(?<!\p{L})\p{Lu}{1,3}$")
#: Most lines a footnote runs to.
NOTE_MAX_LINES = 6


def mark_end_notes(lines: list[Line], notes: list[Furniture], proposals: list[Proposal]) -> None:
    """Numbered notes gathered at the end of a document (``  1. Not printed.``)."""
    i = len(lines) - 1
    found: list[int] = []
    while i >= 0 and (lines[i].role == "blank" or END_NOTE.match(lines[i].text)):
        if lines[i].role != "blank":
            found.append(i)
        i -= 1
    if len(found) < 2:
        return
    for i in reversed(found):
        m = END_NOTE.match(lines[i].text)
        assert m is not None
        note_id = f"note{len(notes) + 1}"
        notes.append(Furniture(EditKind.NOTE, note_id, m.group(2).strip(), n=m.group(1)))
        remove_line(lines, i, EditKind.NOTE, "end-note", proposals, {}, 0.95, item=note_id)


def note_has_evidence(lines: list[Line], i: int) -> bool:
    """A line that starts with a note mark is a footnote when the body before it has a mark to
    match, or, its anchor lost, when it stands apart (a blank line beside it) and opens like a
    sentence. A mark before a body line with no anchor to match is the scan's debris."""
    m = NOTE_START.match(lines[i].text)
    assert m is not None
    prev = i - 1 if i > 0 and lines[i - 1].role in ("body", "head") else None
    if prev is not None and starts_lower(m.group(2) or "") and not ends_sentence(lines[prev].text):
        return False  # the line finishes the sentence before it (``getting a`` / ``* bit beyond itself.``)
    lo = lines[i].start - ANCHOR_REACH
    if any(ln.role in ("body", "head") and ln.end > lo and MARK_ANCHOR.search(ln.text) for ln in lines[:i]):
        return True
    # no anchor (the scan may have lost it): a note that opens like one, set apart at a page foot
    apart = (i == 0 or lines[i - 1].role not in ("body", "head")) or i + 1 == len(lines) \
        or lines[i + 1].role == "blank"
    # a line broken at a hyphen that the next line finishes (``Agricul-`` / ``tural``) is running text
    runs_on = (lines[i].text.rstrip().endswith("-") and i + 1 < len(lines)
               and starts_lower(lines[i + 1].text.lstrip()))
    return apart and not runs_on and not starts_lower(m.group(2) or "")


def stray_line_mark(ln: Line, proposals: list[Proposal]) -> None:
    """Drop the mark (and its space) in front of a body line that is not a note."""
    m = NOTE_START.match(ln.text)
    assert m is not None
    end = m.start(2) if m.group(2) else m.end(1)
    proposals.append(Proposal(ln.start + m.start(1), ln.start + end, "", "stray-line-mark", 0.8, kind=EditKind.NOISE,
                              data={}))
    ln.text = " " * end + ln.text[end:]


def numbered_note(lines: list[Line], i: int, notes: list[Furniture], proposals: list[Proposal],
                   take: bool = False) -> int:
    """A footnote printed with its number at a page foot, taken only with evidence: the body before
    it carries the same number as a reference (superscript, ``term¹``; or, when the note stands
    apart between page breaks, a digit after a word, ``term1``), and the note ends where the page
    does. Returns 0 when there is no such note; with ``take``, removes it and returns its last line."""
    m = NUMBERED_NOTE.match(lines[i].text)
    if m is None or starts_lower(m.group(2)):
        return 0
    members = [i]
    j = i + 1
    while (j < len(lines) and not page_break_at(lines, j) and lines[j].role == "body"
           and not NUMBERED_NOTE.match(lines[j].text) and not is_heading(lines[j].stripped)):
        members.append(j)
        j += 1
    if len(members) > NOTE_MAX_LINES or not (page_break_at(lines, j) or NUMBERED_NOTE.match(lines[j].text)):
        return 0
    n = m.group(1)
    lo = lines[i].start - ANCHOR_REACH
    before = [ln for ln in lines[:i] if ln.role in ("body", "head") and ln.end > lo]
    sup = regex.compile(AFTER_WORD + regex.escape(n.translate(SUPERSCRIPT)) + "(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
    plain = regex.compile(AFTER_WORD + regex.escape(n) + r"(?=[\s.,;:)]|$)")
    if any(sup.search(ln.text) for ln in before):
        mark = n.translate(SUPERSCRIPT)
    elif page_break_at(lines, i - 1) and i > 0 and any(plain.search(ln.text) for ln in before):
        mark = ""
    else:
        return 0
    if not take:
        return i
    note_id = f"note{len(notes) + 1}"
    text = " ".join([m.group(2).strip(), *(lines[k].stripped for k in members[1:])])
    notes.append(Furniture(EditKind.NOTE, note_id, " ".join(text.split()), n=n, mark=mark, place="foot"))
    for k in members:
        remove_line(lines, k, EditKind.NOTE, "numbered-footnote", proposals, {}, item=note_id)
    return members[-1]


def _block_ends(lines: list[Line], j: int) -> bool:
    """Whether line ``j`` is the last of its block: a blank line, a page number or the end follows it."""
    k = j + 1
    return k >= len(lines) or lines[k].role == "blank" or bool(PAGE_NUMBER.match(lines[k].stripped))


def take_note(lines: list[Line], i: int, notes: list[Furniture], proposals: list[Proposal]) -> int:
    """A footnote from its mark line on; continuation lines follow until the body resumes.

    The line right after a note line whose sentence is unfinished continues it where it ends the block (the note
    set apart at a page's foot; in a newspaper column every line runs on). Otherwise the body resumes at
    a line that starts lower-case or indented (the next page's first line in this kind of scan), or after three
    lines.
    """
    m = NOTE_START.match(lines[i].text)
    assert m is not None
    parts = [m.group(2) or ""]
    members = [i]
    j = next_content(lines, i)
    while j is not None and len(members) < 4:
        cand = lines[j]
        if NOTE_START.match(cand.text) or PAGE_NUMBER.match(cand.stripped) or is_heading(cand.stripped):
            break
        adjacent = j == members[-1] + 1
        if (adjacent and parts[-1] and not ends_sentence(parts[-1]) and not cand.text[:1].isspace()
                and _block_ends(lines, j)):
            # the next line of a note whose sentence is unfinished (``the boy's father`` / ``has received``),
            # the note set apart at the foot (a blank line, a page number or the end after it)
            parts.append(cand.stripped)
            members.append(j)
            j = next_content(lines, j)
            continue
        if cand.text[:1].isspace() or starts_lower(cand.text):
            break
        if adjacent and parts[0]:
            break  # a note's continuation is set off by a blank line in this kind of scan
        parts.append(cand.stripped)
        members.append(j)
        j = next_content(lines, j)
    text = " ".join(" ".join(p.split()) for p in parts if p)
    note_id = f"note{len(notes) + 1}"
    mark = m.group(1)
    notes.append(Furniture(EditKind.NOTE, note_id, text, n="*" if mark in (">I<", "•", "+") else mark, mark=mark))
    for k in members:
        remove_line(lines, k, EditKind.NOTE, "footnote", proposals, {}, item=note_id)
    return members[-1]


def mark_anchors(lines: list[Line], notes: list[Furniture], proposals: list[Proposal],
                  text: str) -> None:
    """Find each note's reference mark in the body before it (or anywhere, for end notes)."""
    used: set[int] = set()
    for note in notes:
        edit_starts = [p.start for p in proposals if p.item == note.id]
        if not edit_starts:
            continue
        where = min(edit_starts)
        if note.place == "foot":
            # a numbered footnote: its number nearest before it, superscript or plain
            mark = note.mark or regex.escape(note.n) + r"(?=[\s.,;:)]|$)"
            marks = regex.compile(AFTER_WORD + mark + "(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
            lo = max(0, where - ANCHOR_REACH)
            cands = [m for m in marks.finditer(text, lo, where) if m.start() not in used
                     and in_body(lines, m.start())]
        elif note.mark:
            marks = MARK_ANCHOR
            lo = max(0, where - ANCHOR_REACH)
            cands = [m for m in marks.finditer(text, lo, where) if m.start() not in used
                     and in_body(lines, m.start())]
        else:
            num = regex.escape(note.n)
            marks = regex.compile(rf"(?<=(?:\p{{L}}|[.,;:’”\")])(?<!\d,)){num}(?=[\s.,;:)]|$)|(?<=\d{{4}},){num}(?=\s)")
            cands = [m for m in marks.finditer(text, 0, where) if m.start() not in used
                     and in_body(lines, m.start())]
        cands = [m for m in cands if not CODE_BEFORE.search(text, max(0, m.start() - 4), m.start())]
        if not cands:
            continue
        m = cands[-1] if note.mark or note.place == "foot" else cands[0]
        used.add(m.start())
        proposals.append(Proposal(m.start(), m.end(), "", "note-anchor", 0.9, kind=EditKind.ANCHOR, data={},
                                  item=note.id))
    # marks whose note is on another page (or lost) are still not body text
    orphan = regex.compile(r"(?<=[.,;:!?\"'”’]) ?(?:\*|•|>I<)(?=\s|$)")
    for m in orphan.finditer(text):
        if m.start() not in used and in_body(lines, m.start()):
            proposals.append(Proposal(m.start(), m.end(), "", "orphan-note-mark", 0.8, kind=EditKind.ANCHOR,
                                      data={}))


def anchors_follow_notes(proposals: list[Proposal], threshold: float) -> list[Proposal]:
    """A note's anchor is only as sure as the note: one whose note stays in the body (its removal
    below ``threshold``) is not removed either (its confidence drops to the note's)."""
    removal: dict[str, float] = {}
    for p in proposals:
        if p.kind == EditKind.NOTE and p.item is not None:
            removal[p.item] = min(removal.get(p.item, 1.0), p.confidence)
    out = []
    for p in proposals:
        note = p.item if p.kind == EditKind.ANCHOR else None
        if note is not None and note in removal and removal[note] < threshold <= p.confidence:
            p = replace(p, confidence=removal[note])
        out.append(p)
    return out


def link_note_edits(doc: Document) -> None:
    """Record in each note of ``doc.notes`` the id of its anchor edit (the last one made, as before)."""
    by_note: dict[str, str] = {}
    for e in doc.edits:
        if e.kind == EditKind.ANCHOR and e.item is not None:
            by_note[e.item] = e.id
    for note in doc.notes:
        note.anchor = by_note.get(note.id)
