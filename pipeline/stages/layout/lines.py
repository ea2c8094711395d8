"""Lines and what layout decides each one is: the unit every layout rule reads.

The shared tests on a line's text (a heading, scanner noise, a sentence end) and the walks over
the classified lines (the next content line, the body line before) live here."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from pipeline.document import EditKind, Proposal

PAGE_NUMBER = regex.compile(r"^\s*(\d{1,3})\s*$")
NOTE_MARK = r"(?:\*|•|>I<|\+|†|‡)"
NOTE_START = regex.compile(rf"^\s*({NOTE_MARK})(?:\s+(\S.*))?$")
ROMAN_LINE = regex.compile(r"^\s*([IVXL]{1,5}|\d{1,2})\.?\s*$")
NOTE_REFERENCE = regex.compile(r"(?<=[.!?:][\"'”’)\]]*)(?:\d{1,3}|\s?[*•†‡]|\s?>I<)$")
TERMINAL = regex.compile(r"[.!?:][\"'”’)\]]*\s*$")
DROP_CAP_FOLLOW = regex.compile(r"^\s*(\p{Lu}(?: \p{Lu})*)\b")


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
    """Scanner debris: a line with almost no letters or figures, or mostly symbols (``r ·>``,
    ``. ~.".'y~..J``). Numbers are content (a year or a sum ending a sentence: ``1935.``,
    ``of £31/8/.``), and so are initials with their stops (a signature: ``- F. S. B.``)."""
    s = s.strip()
    if (not s or PAGE_NUMBER.match(s) or ROMAN_LINE.match(s) or NOTE_START.match(s) or INITIALS.search(s)
            or QUOTED_WORD.match(s) or PRINTED_RULE.match(s)):
        return False
    n = letters(s) + sum(len(d) for d in regex.findall(r"\d{2,}", s))  # not a lone figure (``B 2``: a signature mark)
    if n <= 1:
        return True
    words = regex.findall(r"\p{L}{2,}|\d{2,}", s)
    symbols = sum(1 for ch in s if not ch.isalnum() and not ch.isspace())
    return symbols > n and len(words) <= 1


#: A printed rule or section break on a line of its own: a short run of dashes between the decks of a
#: newspaper headline (``--``, ``-»-``) or a row of asterisks between sections (``* * *``, ``***``, ``⁂``).
#: They are printed text, kept as their own block (a single ``*`` per line is an ornament, see
#: ``ornamental-divider``).
PRINTED_RULE = regex.compile(r"^(?:\p{Pd}[»«]?){1,3}$|^(?:\*[ \t]?){2,5}$|^⁂$")
#: One word in quotation marks or with its stop: a line of dialogue (``"No."``, ``'Oh!'``, ``“I.”``), not debris.
QUOTED_WORD = regex.compile(r"^[\"'“‘(]*(?:\p{Lu}\p{Ll}+|\p{Ll}{2,}|[IAO])[.!?,;:]*[\"'”’)]*$")
#: Two or more capital initials, each with its stop, ending the line (``- F. S. B.``, ``J. W.``).
INITIALS = regex.compile(r"(?:^|[\s\p{Pd}])\p{Lu}\.(?:\s?\p{Lu}\.)+$")


def ends_sentence(s: str) -> bool:
    """Whether a line ends a sentence, a note reference after its stop included (``telegrams.6``)."""
    return bool(TERMINAL.search(NOTE_REFERENCE.sub("", s.rstrip())))


def starts_lower(s: str) -> bool:
    s = s.lstrip(" '\"")
    return bool(s) and s[0].islower()


def next_content(lines: list[Line], i: int) -> int | None:
    """Index of the next non-blank line after i."""
    for j in range(i + 1, len(lines)):
        if lines[j].role != "blank":
            return j
    return None


def prev_body(lines: list[Line], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].role in ("body", "head"):
            return j
    return None


def page_break_at(lines: list[Line], j: int) -> bool:
    """Whether line j is where a page ends: a blank line, a page number, or past the end."""
    return j >= len(lines) or lines[j].role == "blank" or bool(PAGE_NUMBER.match(lines[j].text))


def in_body(lines: list[Line], pos: int) -> bool:
    """Whether a text offset lies in a body line (lines are sorted by offset)."""
    k = bisect.bisect_right([ln.start for ln in lines], pos) - 1
    return k >= 0 and lines[k].start <= pos <= lines[k].end and lines[k].role in ("body", "head")


def remove_line(lines: list[Line], i: int, kind: EditKind, rule: str, proposals: list[Proposal],
                data: dict[str, object], confidence: float = 0.9, item: str | None = None) -> None:
    """Propose removing line ``i`` (its text, not its line break) as ``kind``; ``item``: the note or
    caption it belongs to."""
    ln = lines[i]
    ln.role = kind
    s = ln.start + (len(ln.text) - len(ln.text.lstrip()))
    e = ln.start + len(ln.text.rstrip())
    proposals.append(Proposal(s, e, "", rule, confidence, kind=kind, data=data, item=item))
