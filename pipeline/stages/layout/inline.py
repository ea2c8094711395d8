"""Marks inside a line that are not text: an online edition's ``[Page 294]`` markers, a page number
glued to a word (``sur40``), and the stray marks a scan leaves after a line-end hyphen."""

from __future__ import annotations

import regex

from pipeline.document import EditKind, FwType, Proposal
from pipeline.stages.layout.lines import Line, ends_sentence, next_content, starts_lower

GLUED_PAGE_NUMBER = regex.compile(r"(?<=\p{Ll}{2})(\d{1,3})\s*$")
INLINE_PAGE_MARK = regex.compile(r" ?\[Page (\d{1,4})\] ?")
#: Stray marks the scan left after a line-end hyphen (``sum- .`` / ``mer``).
HYPHEN_NOISE = regex.compile(r"(?<=\p{L}[-¬\u00ad])\s*[.,·'`:;~^*]{1,3}\s*$")


def mark_inline(lines: list[Line], proposals: list[Proposal]) -> None:
    """Page numbers inside lines: ``[Page 294]`` markers and numbers glued to a word (``sur40``)."""
    for idx, ln in enumerate(lines):
        if ln.role not in ("body", "head"):
            continue
        for m in INLINE_PAGE_MARK.finditer(ln.text):
            s, e = m.start(), m.end()
            if m.group().startswith(" ") and m.group().endswith(" "):
                e -= 1
            proposals.append(Proposal(ln.start + s, ln.start + e, "", "page-marker", 0.95, kind=EditKind.FW,
                                      data={"type": FwType.PAGE_NUM, "n": str(int(m.group(1)) - 1), "mark": "start"}))
        nxt = next_content(lines, idx)
        noise = HYPHEN_NOISE.search(ln.text)
        if noise and nxt is not None and starts_lower(lines[nxt].text):
            proposals.append(Proposal(ln.start + noise.start(), ln.start + len(ln.text), "",
                                      "noise-after-line-end-hyphen", 0.8, kind=EditKind.NOISE, data={}))
            ln.text = ln.text[:noise.start()]
            ln.end = ln.start + noise.start()
        glued = GLUED_PAGE_NUMBER.search(ln.text)
        if glued and nxt is not None and starts_lower(lines[nxt].text) and not ends_sentence(ln.text):
            proposals.append(Proposal(ln.start + glued.start(), ln.start + len(ln.text), "", "glued-page-number",
                                      0.8, kind=EditKind.FW, data={"type": FwType.PAGE_NUM, "n": glued.group(1)}))
            ln.text = ln.text[:glued.start()]
            ln.end = ln.start + glued.start()
            ln.broken = True
