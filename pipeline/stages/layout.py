"""Stage 2, layout: lift the page furniture out of the running text and find its blocks.

Why line-based: a scan arrives as one printed line per text line, and almost
every layout fact is a fact about whole lines (a page number stands alone, a
note starts with its mark, a heading is in capitals, a short line that ends a
sentence ends a paragraph). The stage classifies lines, removes the furniture
as protected edits (so the TEI keeps it as ``fw``/``note``/``figure``), and
turns every remaining line break into either a join (a space) or a paragraph
break; the blocks it finds are recorded in ``doc.blocks``.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass

import regex

from pipeline.context import Context
from pipeline.document import Block, Document, Proposal

STAGE = "layout"

PAGE_NUMBER = regex.compile(r"^\s*(\d{1,3})\s*$")
GLUED_PAGE_NUMBER = regex.compile(r"(?<=\p{Ll}{2})(\d{1,3})\s*$")
INLINE_PAGE_MARK = regex.compile(r" ?\[Page (\d{1,4})\] ?")
NOTE_MARK = r"(?:\*|•|>I<|\+)"
NOTE_START = regex.compile(rf"^\s*({NOTE_MARK})(?:\s+(\S.*))?$")
END_NOTE = regex.compile(r"^\s+(\d{1,3})\.\s+(\S.*)$")
ROMAN_LINE = regex.compile(r"^\s*([IVXL]{1,5}|\d{1,2})\.?\s*$")
HEADING_NUMERAL = regex.compile(r"^([IVXL]{1,5}|\d{1,2})\.\s")
NOTE_REFERENCE = regex.compile(r"(?<=[.!?:][\"'”’)\]]*)(?:\d{1,3}|\s?[*•]|\s?>I<)$")
TERMINAL = regex.compile(r"[.!?:][\"'”’)\]]*\s*$")
DROP_CAP_FOLLOW = regex.compile(r"^\s*(\p{Lu}(?: \p{Lu})*)\b")


#: Marks that close a quotation or a parenthesis, and the marks that open them.
CLOSERS = {'"': '"', "'": "'", "”": "“", "’": "‘", "»": "«", ")": "(", "]": "["}
CLOSING_LINE = regex.compile(r'^\s*[.,;:!?]?["”’»)\]\']{1,3}[.,;:!?]?\s*$')
#: A single quote that opens a quotation (not an apostrophe), and one that closes it.
OPEN_SINGLE = regex.compile(r"(?:^|(?<=[\s(\[—]))'(?=\p{L})")
CLOSE_SINGLE = regex.compile(r"(?<=[\p{L}.,!?;:])'(?=\s|$|[.,;:!?)])")
#: Stray marks the scan left after a line-end hyphen (``sum- .`` / ``mer``).
HYPHEN_NOISE = regex.compile(r"(?<=\p{L}[-¬\u00ad])\s*[.,·'`:;~^*]{1,3}\s*$")
#: A line of one letter (``I``, ``a``), perhaps with a stop.
LONE_LETTER = regex.compile(r"^\s*\p{L}[.,]?\s*$")
#: A caption without a full stop is shorter than this share of the typical line.
CAPTION_SHORT = 0.8

#: A running head is at most this long and is printed at least this many times.
RUNNING_HEAD_MAX = 60
RUNNING_HEAD_MIN_REPEATS = 3
#: A line that ends a sentence and is shorter than this share of the typical line ends its paragraph.
SHORT_LINE = 0.95
#: Where blank lines set paragraphs apart, only a line this short that ends a sentence ends one too.
VERY_SHORT_LINE = 0.6
#: A line this much longer than typical holds two printed lines the OCR merged; such a merge
#: swallows a paragraph's short last line, so one that ends a sentence ends its paragraph.
MERGED_LINE = 1.25


@dataclass
class Line:
    """One text line: its span in the current text and what layout decided it is."""

    start: int
    end: int
    text: str
    role: str = "body"  # body | blank | fw | note | caption | noise | divider | dropcap | head | numeral
    #: The line ends inside a word that goes on at the next line (its hyphen was lost).
    broken: bool = False

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(text: str) -> list[Line]:
    """The text as lines with offsets (line content excludes the newline)."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw, "body" if raw.strip() else "blank"))
        pos += len(raw) + 1
    return lines


def letters(s: str) -> int:
    return sum(1 for ch in s if ch.isalpha())


def is_heading(s: str) -> bool:
    """A chapter heading: short, nearly all capitals, a few words (``IV. THE PEOPLE FIGHT``)."""
    s = s.strip()
    n = letters(s)
    if n < 4 or len(s) > 80:
        return False
    upper = sum(1 for ch in s if ch.isupper())
    return upper / n >= 0.9 and not s.endswith(",")


def is_noise(s: str) -> bool:
    """Scanner debris: a line with almost no letters, or mostly symbols (``r ·>``, ``. ~.".'y~..J``)."""
    s = s.strip()
    if not s or PAGE_NUMBER.match(s) or ROMAN_LINE.match(s) or NOTE_START.match(s):
        return False
    n = letters(s)
    if n <= 1:
        return True
    words = regex.findall(r"\p{L}{2,}", s)
    symbols = sum(1 for ch in s if not ch.isalnum() and not ch.isspace())
    return symbols > n and len(words) <= 1


def ends_sentence(s: str) -> bool:
    """Whether a line ends a sentence, a note reference after its stop included (``telegrams.6``)."""
    return bool(TERMINAL.search(NOTE_REFERENCE.sub("", s.rstrip())))


def starts_lower(s: str) -> bool:
    s = s.lstrip(" '\"")
    return bool(s) and s[0].islower()


def run(doc: Document, ctx: Context) -> None:
    """Classify lines, remove furniture, decide joins and paragraph breaks."""
    text = doc.text
    if not text.strip():
        if text:
            ctx.commit(doc, STAGE, [Proposal(0, len(text), "", "empty", 1.0, kind="join")])
        doc.blocks = []
        return
    lines = split_lines(text)
    proposals: list[Proposal] = []
    notes: list[dict[str, object]] = []
    captions: list[dict[str, object]] = []
    body_lengths = [len(ln.stripped) for ln in lines if ln.role == "body"]
    long_mode = statistics.median(body_lengths) > 150 if body_lengths else False
    typical = statistics.median(body_lengths) if body_lengths else 60

    _mark_end_notes(lines, notes, proposals)
    if not long_mode:
        _mark_running_heads(lines, proposals, has_title=doc.offset == 0)
    _mark_furniture(lines, notes, captions, proposals, long_mode, typical)
    _mark_inline(lines, proposals)
    _heading_numerals(lines, proposals)
    blocks = _joins(lines, proposals, typical, long_mode)
    _mark_anchors(lines, notes, proposals, text)
    proposals = _anchors_follow_notes(proposals, ctx.config.min_confidence)
    ctx.commit(doc, STAGE, proposals)
    lifted = {str(e.data.get("note") or e.data.get("caption")) for e in doc.edits
              if e.stage == STAGE and e.applied and e.kind in ("note", "caption")}
    doc.blocks = blocks
    # a note or caption whose removal fell below --min-confidence stays in the body, and only there
    doc.notes = [dict(n, edit=None) for n in notes if str(n["id"]) in lifted]  # type: ignore[arg-type]
    doc.captions = [c for c in captions if str(c["id"]) in lifted]
    _link_note_edits(doc)


def _anchors_follow_notes(proposals: list[Proposal], threshold: float) -> list[Proposal]:
    """A note's anchor is only as sure as the note: one whose note stays in the body (its removal
    below ``threshold``) is not removed either (its confidence drops to the note's)."""
    removal: dict[str, float] = {}
    for p in proposals:
        if p.kind == "note" and p.data and "note" in p.data:
            key = str(p.data["note"])
            removal[key] = min(removal.get(key, 1.0), p.confidence)
    out = []
    for p in proposals:
        note = str(p.data.get("note")) if p.kind == "anchor" and p.data and "note" in p.data else None
        if note is not None and note in removal and removal[note] < threshold <= p.confidence:
            p = Proposal(p.start, p.end, p.replacement, p.rule, removal[note], p.kind, p.data)
        out.append(p)
    return out


def _next_content(lines: list[Line], i: int) -> int | None:
    """Index of the next non-blank line after i."""
    for j in range(i + 1, len(lines)):
        if lines[j].role != "blank":
            return j
    return None


def _prev_body(lines: list[Line], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].role in ("body", "head"):
            return j
    return None


def _remove(lines: list[Line], i: int, kind: str, rule: str, proposals: list[Proposal],
            data: dict[str, object], confidence: float = 0.9) -> None:
    ln = lines[i]
    ln.role = kind
    s = ln.start + (len(ln.text) - len(ln.text.lstrip()))
    e = ln.start + len(ln.text.rstrip())
    proposals.append(Proposal(s, e, "", rule, confidence, kind=kind, data=data))


def _mark_end_notes(lines: list[Line], notes: list[dict[str, object]], proposals: list[Proposal]) -> None:
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
        notes.append({"id": note_id, "n": m.group(1), "text": m.group(2).strip(), "anchor": None})
        _remove(lines, i, "note", "end-note", proposals, {"note": note_id}, 0.95)


#: A folio printed beside a running head (``4 THE OLD HOUSE``, ``THE OLD HOUSE. 5``).
FOLIO = regex.compile(r"^\d{1,4}\s+(?=\S)|(?<=\S)\s+\d{1,4}$")
#: Digits the scan reads for the letters of a word (``0LD``, ``MAN0R``), for comparing heads.
_HEAD_DIGITS = str.maketrans("015", "ols")


def _head_key(s: str) -> str:
    """A line without its folio, spacing, case and letter-shape misreadings: what a running head repeats."""
    s = FOLIO.sub("", s.strip()).translate(_HEAD_DIGITS).lower().replace("i", "l")
    return regex.sub(r"[^\p{L}]+", "", s)


def _at_page_edge(lines: list[Line], i: int) -> bool:
    """Whether a line stands apart as a page's top or foot does: nothing but blank lines, page
    numbers or the document's edge on both sides of it."""
    def apart(j: int) -> bool:
        return j < 0 or j >= len(lines) or lines[j].role == "blank" or bool(PAGE_NUMBER.match(lines[j].text))
    return apart(i - 1) and apart(i + 1)


def _mark_running_heads(lines: list[Line], proposals: list[Proposal], has_title: bool = True) -> None:
    """Running heads: a short line of words printed on page after page. Repetition alone is no
    evidence (a refrain, a formula opening each paragraph repeat too): each head needs a folio
    beside it or a place of its own at a page's edge. A line that ends a sentence is a head only
    with a folio or in capitals; the document's first line without a folio is its title (not so the
    first line of a later window of a long document: ``has_title`` false)."""
    keys: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        s = ln.stripped
        bare = FOLIO.sub("", s)
        if ln.role == "body" and len(s) <= RUNNING_HEAD_MAX and len(regex.findall(r"\p{L}{2,}", s)) >= 2 \
                and (not ends_sentence(bare) or bare != s or is_heading(bare)):
            keys.setdefault(_head_key(s), []).append(i)
    first = next((i for i, ln in enumerate(lines) if ln.role != "blank"), -1) if has_title else -1
    for key, where in keys.items():
        folio = [i for i in where if FOLIO.search(lines[i].stripped)]
        numbers = [int(FOLIO.search(lines[i].stripped).group()) for i in folio]  # type: ignore[union-attr]
        if any(b <= a for a, b in zip(numbers, numbers[1:])):
            folio = []  # folios count pages up; numbers that do not are part of the text
        apart = [i for i in where if i not in folio and i != first and _at_page_edge(lines, i)]
        # a single folio line counts when it stands apart at a page edge and repeats the title
        lone = len(folio) == 1 and len(where) >= 2 and _at_page_edge(lines, folio[0])
        if not key or len(folio) < 2 and len(folio) + len(apart) < RUNNING_HEAD_MIN_REPEATS and not lone:
            continue
        for i in sorted(folio + apart):
            number = FOLIO.search(lines[i].stripped)
            data: dict[str, object] = {"type": "header"}
            if number:
                data["n"] = number.group().strip()
            _remove(lines, i, "fw", "running-head", proposals, data, 0.85)


def _mark_furniture(lines: list[Line], notes: list[dict[str, object]], captions: list[dict[str, object]],
                    proposals: list[Proposal], long_mode: bool, typical: float) -> None:
    """Page numbers, notes, dividers, section numerals, drop capitals, captions, noise."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = ln.stripped
        if ln.role != "body":
            i += 1
            continue
        nxt = _next_content(lines, i)
        if PAGE_NUMBER.match(s) and not long_mode:
            _remove(lines, i, "fw", "page-number", proposals, {"type": "pageNum", "n": s}, 0.95)
        elif s in ("*", "•") and nxt is not None and lines[nxt].stripped in ("*", "•"):
            j: int | None = i
            while j is not None and lines[j].stripped in ("*", "•"):
                _remove(lines, j, "noise", "ornamental-divider", proposals, {})
                i = j
                j = _next_content(lines, j)
        elif NOTE_START.match(ln.text) and not long_mode:
            if _note_has_evidence(lines, i):
                i = _take_note(lines, i, notes, proposals)
            else:
                _stray_line_mark(ln, proposals)
        elif NUMBERED_NOTE.match(ln.text) and not long_mode and _numbered_note(lines, i, notes, proposals):
            i = _numbered_note(lines, i, notes, proposals, take=True)
        elif ROMAN_LINE.match(s) and nxt is not None and is_heading(lines[nxt].stripped):
            num = ROMAN_LINE.match(s).group(1)  # type: ignore[union-attr]
            if lines[nxt].stripped.startswith(num + "."):
                _remove(lines, i, "fw", "section-numeral", proposals, {"type": "sectionNum", "n": num})
            else:
                ln.role = "numeral"  # first half of a heading split over two lines
        elif (len(s) == 1 and s.isupper() and nxt is not None and nxt - i <= 3
              and DROP_CAP_FOLLOW.match(lines[nxt].text)):
            ln.role = "dropcap"
        elif CLOSING_LINE.match(s) and _closes_quotation(lines, i):
            ln.role = "closer"
        elif LONE_LETTER.match(s) and _interrupts_sentence(lines, i):
            _remove(lines, i, "noise", "lone-letter", proposals, {}, 0.8)
        elif is_noise(s):
            _remove(lines, i, "noise", "scanner-noise", proposals, {}, 0.8)
        elif not long_mode and _is_caption(lines, i, typical):
            cap_id = f"caption{len(captions) + 1}"
            captions.append({"id": cap_id, "text": " ".join(s.split())})
            _remove(lines, i, "caption", "caption", proposals, {"caption": cap_id}, 0.8)
        elif is_heading(s) and not long_mode:
            ln.role = "head"
        i += 1


#: A footnote's reference mark in the body (what ``_mark_anchors`` looks for).
MARK_ANCHOR = regex.compile(r"(?<=\S) ?(?:\*|•|>I<)(?=\s|$)")
#: How far before its note a footnote's anchor may be (about a page).
ANCHOR_REACH = 4000


def _note_has_evidence(lines: list[Line], i: int) -> bool:
    """A line that starts with a note mark is a footnote when the body before it has a mark to
    match, or, its anchor lost, when it stands apart (a blank line beside it) and opens like a
    sentence. A mark before a body line with no anchor to match is the scan's debris."""
    m = NOTE_START.match(lines[i].text)
    assert m is not None
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


def _stray_line_mark(ln: Line, proposals: list[Proposal]) -> None:
    """Drop the mark (and its space) in front of a body line that is not a note."""
    m = NOTE_START.match(ln.text)
    assert m is not None
    end = m.start(2) if m.group(2) else m.end(1)
    proposals.append(Proposal(ln.start + m.start(1), ln.start + end, "", "stray-line-mark", 0.8, kind="noise",
                              data={}))
    ln.text = " " * end + ln.text[end:]


#: A footnote that starts with its number (``1 The tenant in the old statutes ...``).
NUMBERED_NOTE = regex.compile(r"^\s*(\d{1,2})\s+(\S.*)$")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: A note number as its anchor prints it in a line of the body: after a word or a stop.
AFTER_WORD = r"(?<=[\p{L}.,;:!?'\"’”)])"
#: Most lines a footnote runs to.
NOTE_MAX_LINES = 6


def _page_break_at(lines: list[Line], j: int) -> bool:
    """Whether line j is where a page ends: a blank line, a page number, or past the end."""
    return j >= len(lines) or lines[j].role == "blank" or bool(PAGE_NUMBER.match(lines[j].text))


def _numbered_note(lines: list[Line], i: int, notes: list[dict[str, object]], proposals: list[Proposal],
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
    while (j < len(lines) and not _page_break_at(lines, j) and lines[j].role == "body"
           and not NUMBERED_NOTE.match(lines[j].text) and not is_heading(lines[j].stripped)):
        members.append(j)
        j += 1
    if len(members) > NOTE_MAX_LINES or not (_page_break_at(lines, j) or NUMBERED_NOTE.match(lines[j].text)):
        return 0
    n = m.group(1)
    lo = lines[i].start - ANCHOR_REACH
    before = [ln for ln in lines[:i] if ln.role in ("body", "head") and ln.end > lo]
    sup = regex.compile(AFTER_WORD + regex.escape(n.translate(SUPERSCRIPT)) + "(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
    plain = regex.compile(AFTER_WORD + regex.escape(n) + r"(?=[\s.,;:)]|$)")
    if any(sup.search(ln.text) for ln in before):
        mark = n.translate(SUPERSCRIPT)
    elif _page_break_at(lines, i - 1) and i > 0 and any(plain.search(ln.text) for ln in before):
        mark = ""
    else:
        return 0
    if not take:
        return i
    note_id = f"note{len(notes) + 1}"
    text = " ".join([m.group(2).strip(), *(lines[k].stripped for k in members[1:])])
    notes.append({"id": note_id, "n": n, "text": " ".join(text.split()), "anchor": None, "mark": mark,
                  "place": "foot"})
    for k in members:
        _remove(lines, k, "note", "numbered-footnote", proposals, {"note": note_id})
    return members[-1]


def _take_note(lines: list[Line], i: int, notes: list[dict[str, object]], proposals: list[Proposal]) -> int:
    """A footnote from its mark line on; continuation lines follow until the body resumes.

    The body resumes at a line that starts lower-case or indented (the next
    page's first line in this kind of scan), or after three lines.
    """
    m = NOTE_START.match(lines[i].text)
    assert m is not None
    parts = [m.group(2) or ""]
    members = [i]
    j = _next_content(lines, i)
    while j is not None and len(members) < 4:
        cand = lines[j]
        if (cand.text[:1].isspace() or starts_lower(cand.text) or NOTE_START.match(cand.text)
                or PAGE_NUMBER.match(cand.stripped) or is_heading(cand.stripped)):
            break
        if j == members[-1] + 1 and parts[0]:
            break  # a note's continuation is set off by a blank line in this kind of scan
        parts.append(cand.stripped)
        members.append(j)
        j = _next_content(lines, j)
    text = " ".join(" ".join(p.split()) for p in parts if p)
    note_id = f"note{len(notes) + 1}"
    mark = m.group(1)
    notes.append({"id": note_id, "n": "*" if mark in (">I<", "•", "+") else mark, "text": text,
                  "anchor": None, "mark": mark})
    for k in members:
        _remove(lines, k, "note", "footnote", proposals, {"note": note_id})
    return members[-1]


def _is_caption(lines: list[Line], i: int, typical: float) -> bool:
    """A picture caption interrupts a sentence: the body before it is mid-sentence and
    the body after it (past a blank line) goes on in lower case. A caption without a full stop
    must also be short beside the full line before it (a body line at a page foot runs full)."""
    s = lines[i].stripped
    if not s or not s[0].isupper() or len(s) > 90:
        return False
    prev = _prev_body(lines, i)
    nxt = _next_content(lines, i)
    if prev is None or nxt is None or nxt == i + 1:
        return False
    if ends_sentence(lines[prev].stripped) or not starts_lower(lines[nxt].text):
        return False
    if ends_sentence(s):
        return True
    return (len(s) < CAPTION_SHORT * typical and len(lines[prev].stripped) >= CAPTION_SHORT * typical
            and s[-1].isalnum() and len(regex.findall(r"\p{L}{2,}", s)) >= 3)


def _interrupts_sentence(lines: list[Line], i: int) -> bool:
    """A line set apart (a blank line or page number beside it) between a body line that stops mid-sentence and
    one that goes on in lower case: it is not part of that sentence."""
    prev = _prev_body(lines, i)
    nxt = _next_content(lines, i)
    if prev is None or nxt is None or not (lines[i - 1].role != "body" or _page_break_at(lines, i + 1)):
        return False
    return not ends_sentence(lines[prev].stripped) and starts_lower(lines[nxt].text)


def _closes_quotation(lines: list[Line], i: int) -> bool:
    """A line of closing marks right after a body line whose quotation (or parenthesis) is still open:
    the marks wrapped onto a line of their own and belong at the end of that line."""
    if i == 0 or lines[i - 1].role not in ("body", "head"):
        return False
    recent: list[str] = []
    for j in range(i - 1, max(-1, i - 16), -1):
        if lines[j].role not in ("body", "head"):
            break
        recent.append(lines[j].text)
    before = "".join(reversed(recent))
    for mark in lines[i].stripped:
        opener = CLOSERS.get(mark)
        if opener is None:
            continue  # a stop beside the mark
        if mark == "'":
            last = [m.start() for m in OPEN_SINGLE.finditer(before)]
            if not last or any(m.start() > last[-1] for m in CLOSE_SINGLE.finditer(before)):
                return False
        elif opener == mark:
            if before.count(mark) % 2 == 0:
                return False
        elif before.count(opener) <= before.count(mark):
            return False
        before += mark
    return True


def _heading_numerals(lines: list[Line], proposals: list[Proposal]) -> None:
    """``1. PREPARATION`` -> ``I. PREPARATION`` where the other headings count in Roman numerals:
    the scan reads a Roman one as the digit or the small letter that look like it."""
    heads = [ln for ln in lines if ln.role in ("head", "numeral") and regex.match(r"\s*[IVXL\d]+\.", ln.text)]
    roman = sum(1 for ln in heads if regex.match(r"\s*[IVXL]+\.", ln.text))
    if roman == 0 or roman * 2 < len(heads):
        return
    for ln in heads:
        m = regex.match(r"\s*([1l])\.", ln.text)
        if m:
            proposals.append(Proposal(ln.start + m.start(1), ln.start + m.end(1), "I", "roman-heading-numeral", 0.8))


def _mark_inline(lines: list[Line], proposals: list[Proposal]) -> None:
    """Page numbers inside lines: ``[Page 294]`` markers and numbers glued to a word (``sur40``)."""
    for idx, ln in enumerate(lines):
        if ln.role not in ("body", "head"):
            continue
        for m in INLINE_PAGE_MARK.finditer(ln.text):
            s, e = m.start(), m.end()
            if m.group().startswith(" ") and m.group().endswith(" "):
                e -= 1
            proposals.append(Proposal(ln.start + s, ln.start + e, "", "page-marker", 0.95, kind="fw",
                                      data={"type": "pageNum", "n": str(int(m.group(1)) - 1), "mark": "start"}))
        nxt = _next_content(lines, idx)
        m = HYPHEN_NOISE.search(ln.text)
        if m and nxt is not None and starts_lower(lines[nxt].text):
            proposals.append(Proposal(ln.start + m.start(), ln.start + len(ln.text), "", "noise-after-line-end-hyphen",
                                      0.8, kind="noise", data={}))
            ln.text = ln.text[:m.start()]
            ln.end = ln.start + m.start()
        m = GLUED_PAGE_NUMBER.search(ln.text)
        if m and nxt is not None and starts_lower(lines[nxt].text) and not ends_sentence(ln.text):
            proposals.append(Proposal(ln.start + m.start(), ln.start + len(ln.text), "", "glued-page-number",
                                      0.8, kind="fw", data={"type": "pageNum", "n": m.group(1)}))
            ln.text = ln.text[:m.start()]
            ln.end = ln.start + m.start()
            ln.broken = True


def _joins(lines: list[Line], proposals: list[Proposal], typical: float, long_mode: bool) -> list[Block]:
    """Turn each gap between body lines into a join or a paragraph break; return the blocks."""
    body = [i for i, ln in enumerate(lines) if ln.role in ("body", "head", "numeral", "dropcap", "closer")]
    blocks: list[Block] = []
    spans = sorted((p.start, p.end) for p in proposals if p.kind in ("fw", "note", "caption", "noise"))
    if not body:
        # only furniture: drop the whitespace around it
        _gap(spans, lines[0].start, lines[-1].end, proposals, "", "furniture-only")
        return blocks
    first, last = lines[body[0]], lines[body[-1]]
    lead = len(first.text) - len(first.text.lstrip())
    if first.start + lead > 0:
        _gap(spans, 0, first.start + lead, proposals, "", "leading-space")
    blocks.append(Block("head" if first.role in ("head", "numeral") else "p"))
    blank_paragraphs = _blank_lines_separate_paragraphs(lines, body)
    for pos, (a, b) in enumerate(zip(body, body[1:])):
        la, lb = lines[a], lines[b]
        end_a = la.start + len(la.text.rstrip())
        start_b = lb.start + (len(lb.text) - len(lb.text.lstrip()))
        blank_between = any(lines[k].role == "blank" for k in range(a + 1, b))
        furniture_between = any(lines[k].role not in ("blank",) for k in range(a + 1, b))
        if la.role == "dropcap" and _drop_cap(la, lb, proposals):
            continue
        if lb.role == "closer":
            _gap(spans, end_a, start_b, proposals, "", "line-join-closing-mark")
            continue
        if la.role == "closer" and pos > 0:
            # the line the marks close, read with them (``... my signal.`` + ``"``)
            la = Line(la.start, la.end, lines[body[pos - 1]].text.rstrip() + la.stripped)
        if la.role == "numeral":
            sep, rule = " ", "heading-continued"
        elif lb.stripped[:1] in ".,;:":
            sep, rule = " ", "line-join-before-punctuation"  # no paragraph starts with a stop
        elif la.role == "head" or lb.role in ("head", "numeral"):
            sep, rule = "\n\n", "heading"
        elif long_mode:
            sep, rule = "\n\n", "line-is-paragraph"
        elif blank_paragraphs:
            # blank lines set the paragraphs apart; a short line inside one is just short
            if blank_between and not furniture_between and not starts_lower(lb.text):
                sep, rule = "\n\n", "blank-line"
            elif ends_sentence(la.text) and len(la.stripped) < VERY_SHORT_LINE * typical:
                sep, rule = "\n\n", "very-short-line-ends-sentence"  # a list: one item per line
            else:
                sep, rule = " ", "line-join"
        elif ends_sentence(la.text) and (len(la.stripped) < SHORT_LINE * typical
                                         or len(la.stripped) > MERGED_LINE * typical
                                         or (blank_between and not furniture_between)):
            sep, rule = "\n\n", "short-line-ends-sentence"
        else:
            sep, rule = " ", "line-join"
        if sep == "\n\n":
            blocks.append(Block("head" if lb.role in ("head", "numeral") else "p"))
        if la.broken and sep == " ":
            rule = "line-join-broken-word"
        _gap(spans, end_a, start_b, proposals, sep, rule)
    end = last.start + len(last.text.rstrip())
    total = lines[-1].end
    if end < total:
        _gap(spans, end, total, proposals, "", "trailing-space")
    return blocks


def _blank_lines_separate_paragraphs(lines: list[Line], body: list[int]) -> bool:
    """Whether this text sets paragraphs apart with blank lines (an e-text, a typescript): nearly
    every blank line between body lines follows a finished sentence (three in four at least, as
    headings end in no stop). In a scan, blank lines fall wherever the page furniture was,
    mid-sentence as often as not."""
    after_sentence = total = 0
    for a, b in zip(body, body[1:]):
        between = [lines[k].role for k in range(a + 1, b)]
        if between and all(r == "blank" for r in between):
            total += 1
            after_sentence += ends_sentence(lines[a].text)
    return total >= 3 and after_sentence >= 0.75 * total


def _gap(spans: list[tuple[int, int]], start: int, end: int, proposals: list[Proposal], sep: str,
         rule: str) -> None:
    """Propose edits for the whitespace of [start, end), skipping removed furniture inside it.

    The first whitespace run takes the separator; later runs are dropped, so the
    furniture between them stays a protected edit of its own.
    """
    lo = bisect.bisect_left(spans, (start, -1))
    removed = []
    for span in spans[lo:]:
        if span[0] >= end:
            break
        if span[1] <= end:
            removed.append(span)
    runs: list[tuple[int, int]] = []
    pos = start
    for s, e in removed:
        if s > pos:
            runs.append((pos, s))
        pos = max(pos, e)
    if end > pos:
        runs.append((pos, end))
    kind = "parbreak" if sep == "\n\n" else "join"
    data = {"broken": True} if rule == "line-join-broken-word" else None
    for k, (s, e) in enumerate(runs):
        proposals.append(Proposal(s, e, sep if k == 0 else "", rule, 1.0, kind=kind if k == 0 else "join",
                                  data=data if k == 0 else None))
    if not runs:
        proposals.append(Proposal(start, start, sep, rule, 1.0, kind=kind))


def _drop_cap(cap: Line, nxt: Line, proposals: list[Proposal]) -> bool:
    """``T`` / ``H E Soviet`` -> ``The Soviet``: the capital joins the letters that follow it. False
    when the line it meets does not start in capitals (two lone capitals in a row: the first was
    classified against the second), so the lines are joined as any others."""
    m = DROP_CAP_FOLLOW.match(nxt.text)
    if m is None:
        return False
    tail = m.group(1).replace(" ", "")
    word = cap.stripped + tail.lower()
    s = cap.start + (len(cap.text) - len(cap.text.lstrip()))
    proposals.append(Proposal(s, nxt.start + m.end(), word, "drop-capital", 0.9, kind="correction"))
    return True


def _mark_anchors(lines: list[Line], notes: list[dict[str, object]], proposals: list[Proposal],
                  text: str) -> None:
    """Find each note's reference mark in the body before it (or anywhere, for end notes)."""
    used: set[int] = set()
    for note in notes:
        edit_starts = [p.start for p in proposals if p.data and p.data.get("note") == note["id"]]
        if not edit_starts:
            continue
        where = min(edit_starts)
        if note.get("place") == "foot":
            # a numbered footnote: its number nearest before it, superscript or plain
            mark = str(note["mark"]) or regex.escape(str(note["n"])) + r"(?=[\s.,;:)]|$)"
            marks = regex.compile(AFTER_WORD + mark + "(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
            lo = max(0, where - ANCHOR_REACH)
            cands = [m for m in marks.finditer(text, lo, where) if m.start() not in used
                     and _in_body(lines, m.start())]
        elif note.get("mark"):
            marks = MARK_ANCHOR
            lo = max(0, where - ANCHOR_REACH)
            cands = [m for m in marks.finditer(text, lo, where) if m.start() not in used
                     and _in_body(lines, m.start())]
        else:
            num = regex.escape(str(note["n"]))
            marks = regex.compile(rf"(?<=(?:\p{{L}}|[.,;:’”\")])(?<!\d,)){num}(?=[\s.,;:)]|$)|(?<=\d{{4}},){num}(?=\s)")
            cands = [m for m in marks.finditer(text, 0, where) if m.start() not in used
                     and _in_body(lines, m.start())]
        if not cands:
            continue
        m = cands[-1] if note.get("mark") or note.get("place") == "foot" else cands[0]
        used.add(m.start())
        proposals.append(Proposal(m.start(), m.end(), "", "note-anchor", 0.9, kind="anchor",
                                  data={"note": note["id"]}))
        note["anchor"] = True
    # marks whose note is on another page (or lost) are still not body text
    orphan = regex.compile(r"(?<=[.,;:!?\"'”’]) ?(?:\*|•|>I<)(?=\s|$)")
    for m in orphan.finditer(text):
        if m.start() not in used and _in_body(lines, m.start()):
            proposals.append(Proposal(m.start(), m.end(), "", "orphan-note-mark", 0.8, kind="anchor",
                                      data={}))


def _in_body(lines: list[Line], pos: int) -> bool:
    """Whether a text offset lies in a body line (lines are sorted by offset)."""
    k = bisect.bisect_right([ln.start for ln in lines], pos) - 1
    return k >= 0 and lines[k].start <= pos <= lines[k].end and lines[k].role in ("body", "head")


def _link_note_edits(doc: Document) -> None:
    """Record in doc.notes the ids of the anchor edit of each note."""
    by_note: dict[str, str] = {}
    for e in doc.edits:
        if e.kind == "anchor" and "note" in e.data:
            by_note[e.data["note"]] = e.id
    for note in doc.notes:
        note["anchor"] = by_note.get(str(note["id"]))
