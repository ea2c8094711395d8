"""Paragraphs: each gap between body lines becomes a join (a space) or a paragraph break, and the
blocks (``p``/``head``) are recorded; a drop capital joins the letters it begins."""

from __future__ import annotations

import bisect

import regex

from pipeline.document import Block, EditKind, Fact, Proposal
from pipeline.stages.layout.lines import DROP_CAP_FOLLOW, Line, ends_sentence, starts_lower

#: A line that ends a sentence and is shorter than this share of the typical line ends its paragraph.
SHORT_LINE = 0.95
#: Where blank lines set paragraphs apart, only a line this short that ends a sentence ends one too.
VERY_SHORT_LINE = 0.6
#: A line that begins an item of a list: a dash or bullet, or a number or letter with ``.`` or ``)``.
LIST_ITEM = regex.compile(r"^\s*(?:[-–•·]\s+\S|\(?\d{1,3}[.)]\s+\S|\(?[a-z][.)]\s+\S)")
#: A line this much longer than typical holds two printed lines the OCR merged; such a merge
#: swallows a paragraph's short last line, so one that ends a sentence ends its paragraph.
MERGED_LINE = 1.25


def joins(lines: list[Line], proposals: list[Proposal], typical: float, long_mode: bool) -> list[Block]:
    """Turn each gap between body lines into a join or a paragraph break; return the blocks."""
    body = [i for i, ln in enumerate(lines) if ln.role in ("body", "head", "numeral", "dropcap", "closer", "break")]
    blocks: list[Block] = []
    removed = (EditKind.FW, EditKind.NOTE, EditKind.CAPTION, EditKind.NOISE)
    spans = sorted((p.start, p.end) for p in proposals if p.kind in removed)
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
        if "break" in (la.role, lb.role):
            sep, rule = "\n\n", "section-break"
        elif la.role == "numeral":
            sep, rule = " ", "heading-continued"
        elif lb.stripped[:1] in ".,;:":
            # no paragraph starts with a stop, and no space was printed before it; an ellipsis keeps one,
            # and a mark after a line that ends with its own stop is a speck left for punctuation
            sep = "" if la.stripped[-1:].isalnum() and not lb.stripped.startswith((". .", "..")) else " "
            rule = "line-join-before-punctuation"
        elif la.role == "head" or lb.role in ("head", "numeral"):
            sep, rule = "\n\n", "heading"
        elif long_mode:
            sep, rule = "\n\n", "line-is-paragraph"
        elif LIST_ITEM.match(lb.text) and (LIST_ITEM.match(la.text) or la.stripped.endswith(":")):
            sep, rule = "\n\n", "list-item"  # one item per line, each its own block
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
        elif blank_between and not furniture_between and not starts_lower(lb.text) and not la.broken \
                and (len(la.stripped) < VERY_SHORT_LINE * typical or la.stripped.endswith(",")
                     or bool(LIST_ITEM.match(la.text))):
            # a heading, a salutation or the last item of a list, set apart by a blank line
            sep, rule = "\n\n", "blank-line-after-short-line"
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
    kind = EditKind.PARBREAK if sep == "\n\n" else EditKind.JOIN
    facts = frozenset({Fact.BROKEN_WORD}) if rule == "line-join-broken-word" else frozenset()
    for k, (s, e) in enumerate(runs):
        proposals.append(Proposal(s, e, sep if k == 0 else "", rule, 1.0, kind=kind if k == 0 else EditKind.JOIN,
                                  facts=facts if k == 0 else frozenset()))
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
    proposals.append(Proposal(s, nxt.start + m.end(), word, "drop-capital", 0.9, kind=EditKind.CORRECTION))
    return True
