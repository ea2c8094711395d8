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

import statistics

from pipeline.context import Context
from pipeline.document import Document, EditKind, Furniture, Proposal
from pipeline.stages.layout.furniture import heading_numerals, mark_furniture, mark_running_heads
from pipeline.stages.layout.inline import mark_inline
from pipeline.stages.layout.lines import Line, split_lines
from pipeline.stages.layout.notes import anchors_follow_notes, link_note_edits, mark_anchors, mark_end_notes
from pipeline.stages.layout.paragraphs import joins

STAGE = "layout"


def run(doc: Document, ctx: Context) -> None:
    """Classify lines, remove furniture, decide joins and paragraph breaks."""
    text = doc.text
    if not text.strip():
        if text:
            ctx.commit(doc, STAGE, [Proposal(0, len(text), "", "empty", 1.0, kind=EditKind.JOIN)])
        doc.blocks = []
        return
    lines = split_lines(text)
    proposals: list[Proposal] = []
    notes: list[Furniture] = []
    captions: list[Furniture] = []
    body_lengths = [len(ln.stripped) for ln in lines if ln.role == "body"]
    long_mode = statistics.median(body_lengths) > 150 if body_lengths else False
    typical = statistics.median(body_lengths) if body_lengths else 60

    mark_end_notes(lines, notes, proposals)
    if not long_mode:
        mark_running_heads(lines, proposals, has_title=doc.offset == 0)
    mark_furniture(lines, notes, captions, proposals, long_mode, typical)
    mark_inline(lines, proposals)
    heading_numerals(lines, proposals)
    kept = keep_weak_removals(lines, proposals, ctx.config.min_confidence, ctx.config.rules_off(STAGE))
    held = {id(p) for p in kept}
    proposals = [p for p in proposals if id(p) not in held]
    blocks = joins(lines, proposals, typical, long_mode)  # appends the joins and breaks
    proposals += kept
    mark_anchors(lines, notes, proposals, text)
    proposals = anchors_follow_notes(proposals, ctx.config.min_confidence)
    ctx.commit(doc, STAGE, proposals)
    removals: dict[str, list[str]] = {}
    for e in doc.edits:
        if e.stage == STAGE and e.applied and e.kind in (EditKind.NOTE, EditKind.CAPTION) and e.item is not None:
            removals.setdefault(e.item, []).append(e.id)
    doc.blocks = blocks
    # a note or caption whose removal fell below --min-confidence stays in the body, and only there
    for item in [*notes, *captions]:
        item.removals = removals.get(item.id, [])
    doc.notes = [n for n in notes if n.removals]
    doc.captions = [c for c in captions if c.removals]
    link_note_edits(doc)


def keep_weak_removals(lines: list[Line], proposals: list[Proposal], threshold: float,
                       off: set[str] | frozenset[str] = frozenset()) -> list[Proposal]:
    """The removals of whole lines (page furniture, notes, captions, noise) that fall below the
    confidence threshold, or whose rule is switched off (``off``): their lines go back to the body,
    so the joins and paragraph breaks are decided around them as printed text (a running head kept
    is not glued to the line after it). The proposals stay in the list, for ``ctx.commit``."""
    weak = [p for p in proposals if p.kind in WHOLE_LINE_KINDS and (p.confidence < threshold or p.rule in off)]
    for p in weak:
        for ln in lines:
            if ln.start <= p.start and p.end <= ln.end and ln.role == p.kind:
                ln.role = "body"
    return weak


#: Kinds of edit that remove a whole line from the body.
WHOLE_LINE_KINDS = (EditKind.FW, EditKind.NOTE, EditKind.CAPTION, EditKind.NOISE)

__all__ = ["STAGE", "run"]
