"""Page furniture: page numbers, running heads, section numerals, ornamental dividers, drop
capitals, captions, closing marks on a line of their own, and scanner noise, each line classified
once (:func:`mark_furniture`) and removed as a protected edit; Roman heading numerals read as digits."""

from __future__ import annotations

import regex

from pipeline.document import EditKind, Furniture, FwType, Proposal
from pipeline.stages.layout.lines import (
    DROP_CAP_FOLLOW,
    NOTE_START,
    PAGE_NUMBER,
    PRINTED_RULE,
    ROMAN_LINE,
    Line,
    ends_sentence,
    is_heading,
    is_noise,
    next_content,
    page_break_at,
    prev_body,
    remove_line,
    starts_lower,
)
from pipeline.stages.layout.notes import NUMBERED_NOTE, note_has_evidence, numbered_note, stray_line_mark, take_note

#: Marks that close a quotation or a parenthesis, and the marks that open them.
CLOSERS = {'"': '"', "'": "'", "”": "“", "’": "‘", "»": "«", ")": "(", "]": "["}
CLOSING_LINE = regex.compile(r'^\s*[.,;:!?]?["”’»)\]\']{1,3}[.,;:!?]?\s*$')
#: A single quote that opens a quotation (not an apostrophe), and one that closes it.
OPEN_SINGLE = regex.compile(r"(?:^|(?<=[\s(\[—]))'(?=\p{L})")
CLOSE_SINGLE = regex.compile(r"(?<=[\p{L}.,!?;:])'(?=\s|$|[.,;:!?)])")
#: A line of one letter (``I``, ``a``), perhaps with a stop.
LONE_LETTER = regex.compile(r"^\s*\p{L}[.,]?\s*$")
#: A caption without a full stop is shorter than this share of the typical line.
CAPTION_SHORT = 0.8
#: A running head is at most this long and is printed at least this many times.
RUNNING_HEAD_MAX = 60
RUNNING_HEAD_MIN_REPEATS = 3
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


#: Most lines a printed page holds: a word with a number that repeats further apart than this per unit of
#: its number counts chapters or sections, not pages.
PAGE_LINES_MAX = 120


def _page_apart(where: list[int], numbers: list[int]) -> bool:
    """Whether lines ``where`` carrying ``numbers`` (counting up) stand about a page apart per unit of number:
    at least two of them, each no more than :data:`PAGE_LINES_MAX` lines on per page."""
    steps = list(zip(zip(where, numbers), zip(where[1:], numbers[1:])))
    return bool(steps) and all(j - i <= PAGE_LINES_MAX * (n - m) for (i, m), (j, n) in steps)


def mark_running_heads(lines: list[Line], proposals: list[Proposal], has_title: bool = True) -> None:
    """Running heads: a short line of words printed on page after page. Repetition alone is no
    evidence (a refrain, a formula opening each paragraph repeat too): each head needs a folio
    beside it or a place of its own at a page's edge. A line that ends a sentence is a head only
    with a folio or in capitals; the document's first line without a folio is its title (not so the
    first line of a later window of a long document: ``has_title`` false), and a line without a folio before
    the first one with a folio is a heading of the first page (``THE HARBOUR BILL.`` above the text whose
    next page is headed ``46 THE HARBOUR BILL.``)."""
    keys: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        s = ln.stripped
        bare = FOLIO.sub("", s)
        words = len(regex.findall(r"\p{L}{2,}", s))
        if ln.role == "body" and len(s) <= RUNNING_HEAD_MAX and (words >= 2 or words == 1 and bare != s) \
                and (not ends_sentence(bare) or bare != s or is_heading(bare)):
            keys.setdefault(_head_key(s), []).append(i)
    first = next((i for i, ln in enumerate(lines) if ln.role != "blank"), -1) if has_title else -1
    for key, where in keys.items():
        folio = [i for i in where if FOLIO.search(lines[i].stripped)]
        numbers = [int(FOLIO.search(lines[i].stripped).group()) for i in folio]  # type: ignore[union-attr]
        if any(b <= a for a, b in zip(numbers, numbers[1:])):
            folio = []  # folios count pages up; numbers that do not are part of the text
        if len(regex.findall(r"\p{L}{2,}", lines[where[0]].stripped)) == 1 and not _page_apart(folio, numbers):
            continue  # one word and a number (``CHAPTER 12``) is a head of the text, unless it numbers pages
        # no page has ended before the first folio: a line there without one is the text's own heading
        opening = min(folio, default=-1)
        apart = [i for i in where if i not in folio and i != first and i > opening and _at_page_edge(lines, i)]
        # a single folio line counts when it stands apart at a page edge and repeats the title
        lone = len(folio) == 1 and len(where) >= 2 and _at_page_edge(lines, folio[0])
        if not key or len(folio) < 2 and len(folio) + len(apart) < RUNNING_HEAD_MIN_REPEATS and not lone:
            continue
        for i in sorted(folio + apart):
            number = FOLIO.search(lines[i].stripped)
            data: dict[str, object] = {"type": FwType.HEADER}
            if number:
                data["n"] = number.group().strip()
            remove_line(lines, i, EditKind.FW, "running-head", proposals, data, 0.85)


def mark_furniture(lines: list[Line], notes: list[Furniture], captions: list[Furniture],
                    proposals: list[Proposal], long_mode: bool, typical: float) -> None:
    """Page numbers, notes, dividers, section numerals, drop capitals, captions, noise."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = ln.stripped
        if ln.role != "body":
            i += 1
            continue
        nxt = next_content(lines, i)
        if PAGE_NUMBER.match(s) and not long_mode and _folio_evidence(lines, i):
            remove_line(lines, i, EditKind.FW, "page-number", proposals, {"type": FwType.PAGE_NUM, "n": s}, 0.95)
        elif s in ("*", "•") and nxt is not None and lines[nxt].stripped in ("*", "•"):
            j: int | None = i
            while j is not None and lines[j].stripped in ("*", "•"):
                remove_line(lines, j, EditKind.NOISE, "ornamental-divider", proposals, {})
                i = j
                j = next_content(lines, j)
        elif PRINTED_RULE.match(s):
            ln.role = "break"  # a headline rule or section break: printed text, a block of its own
        elif NOTE_START.match(ln.text) and not long_mode:
            if note_has_evidence(lines, i):
                i = take_note(lines, i, notes, proposals)
            else:
                stray_line_mark(ln, proposals)
        elif NUMBERED_NOTE.match(ln.text) and not long_mode and numbered_note(lines, i, notes, proposals):
            i = numbered_note(lines, i, notes, proposals, take=True)
        elif ROMAN_LINE.match(s) and nxt is not None and is_heading(lines[nxt].stripped):
            num = ROMAN_LINE.match(s).group(1)  # type: ignore[union-attr]
            if lines[nxt].stripped.startswith(num + "."):
                remove_line(lines, i, EditKind.FW, "section-numeral", proposals, {"type": FwType.SECTION_NUM, "n": num})
            else:
                ln.role = "numeral"  # first half of a heading split over two lines
        elif (len(s) == 1 and s.isupper() and nxt is not None and nxt - i <= 3
              and DROP_CAP_FOLLOW.match(lines[nxt].text)):
            ln.role = "dropcap"
        elif CLOSING_LINE.match(s) and _closes_quotation(lines, i):
            ln.role = "closer"
        elif LONE_LETTER.match(s) and _interrupts_sentence(lines, i):
            remove_line(lines, i, EditKind.NOISE, "lone-letter", proposals, {}, 0.8)
        elif is_noise(s):
            remove_line(lines, i, EditKind.NOISE, "scanner-noise", proposals, {}, 0.8)
        elif not long_mode and _is_caption(lines, i, typical):
            cap_id = f"caption{len(captions) + 1}"
            captions.append(Furniture(EditKind.CAPTION, cap_id, " ".join(s.split())))
            remove_line(lines, i, EditKind.CAPTION, "caption", proposals, {}, 0.8, item=cap_id)
        elif is_heading(s) and not long_mode:
            ln.role = "head"
        i += 1


#: Printed lines per page at the least, for telling a sequence of folios from numbers in the text.
MIN_LINES_PER_PAGE = 15


def _folio_evidence(lines: list[Line], i: int) -> bool:
    """Whether a number alone on line ``i`` stands where a folio does, not just alone: a blank
    line, the document's edge or other page furniture (a running head, a note opening a page's
    foot, scanner debris or a stray letter) beside it, or another lone number that counts the
    pages with it (higher further on, at most one page per ``MIN_LINES_PER_PAGE`` lines). A number
    alone on a line inside a sentence (``we counted`` / ``42`` / ``boats``) is part of the text."""
    def apart(j: int) -> bool:
        if j < 0 or j >= len(lines):
            return True
        ln = lines[j]
        return ln.role in ("blank", "fw", "noise") or is_noise(ln.text) or bool(
            LONE_LETTER.match(ln.text) or NOTE_START.match(ln.text) or NUMBERED_NOTE.match(ln.text))
    if apart(i - 1) or apart(i + 1):
        return True
    n = int(lines[i].stripped)
    for j, ln in enumerate(lines):
        m = PAGE_NUMBER.match(ln.text) if j != i else None
        if m:
            pages, span = int(m.group(1)) - n, j - i
            if pages * span > 0 and abs(pages) * MIN_LINES_PER_PAGE <= abs(span):
                return True
    return False


def _is_caption(lines: list[Line], i: int, typical: float) -> bool:
    """A picture caption interrupts a sentence: the body before it is mid-sentence and
    the body after it (past a blank line) goes on in lower case. A caption without a full stop
    must also be short beside the full line before it (a body line at a page foot runs full)."""
    s = lines[i].stripped
    if not s or not s[0].isupper() or len(s) > 90 or s.endswith(":"):
        return False  # a line ending in a colon announces what follows it (``Ingredients:``)
    prev = prev_body(lines, i)
    nxt = next_content(lines, i)
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
    prev = prev_body(lines, i)
    nxt = next_content(lines, i)
    if prev is None or nxt is None or not (lines[i - 1].role != "body" or page_break_at(lines, i + 1)):
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


def heading_numerals(lines: list[Line], proposals: list[Proposal]) -> None:
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
