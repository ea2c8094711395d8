"""Stage 7, names: every occurrence of an authority entry becomes an edit of kind ``name``.

Why after the repairs: a name is only recognisable once spacing and letter
shapes are right (``V la d ivosto k``, ``Sernyonov``), and normalizing it must
not hide a repair, so this stage runs last and wraps what the others made. An
occurrence is one edit with ``data`` = ``{ref, type, reg, orig, form}``:
``reg`` is the entry's target form (the authority's canonical form or the
configured romanization), ``orig`` the printed form. With ``Config.normalize``
the edit replaces the printed form by the target (so txt and JSONL carry one
spelling per entity); without it, or when they agree, the edit keeps the text
and only records the annotation, so the TEI still tags the entity.

A match whose span cuts through an earlier edit or a paragraph break is
skipped: the TEI could not show both edits faithfully. When the span holds
whole earlier edits (a repaired split or misread letter), ``data["parts"]``
lists the original pieces and those edits, so the TEI can show the repair
inside ``orig``. A name interrupted by removed furniture (``Yang [Page 295]
Chieh``) is still normalized (the output must not change when cleaned again)
but has no ``parts``: the document splits the edit around the furniture and
the TEI shows it as a plain correction. Ambiguous occurrences (a shared or common
surname with nothing to tell the candidates apart) are recorded as
suggestions, never applied, with their candidates.

This stage does not run on notes and captions: their word repairs keep no
edit record, and a normalization must always be reviewable.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import Any

from pipeline.context import Context
from pipeline.document import Document, Piece, Proposal
from pipeline.names.match import Match, looks_like_word, resolve, tokenize

STAGE = "names"
#: Kinds of earlier edit a name may contain whole (word-level repairs and line joins).
INNER_KINDS = frozenset({"correction", "join", "newline", "encoding", "anchor"})


def run(doc: Document, ctx: Context) -> None:
    index = ctx.name_index()
    if not index.forms:
        return
    text = doc.text
    lexicon = ctx.lexicon
    matches = resolve(text, index, looks_like_word(lexicon.bigram), tokenize(text))
    if not matches:
        return
    layout = _Layout(doc)
    authority = index.authority
    proposals: list[Proposal] = []
    ambiguous: list[Proposal] = []
    #: The entries used, for the exports (the TEI lists them after the body).
    entities: dict[str, dict[str, Any]] = doc.meta.setdefault("entities", {})
    for m in matches:
        _take_abbreviation_stop(text, m)
        parts = layout.parts(m.start, m.end)
        if parts is None:
            continue
        if m.entry is None:
            ambiguous.append(Proposal(m.start, m.end, m.printed, m.rule, m.confidence, "name",
                                      {"candidates": m.candidates, "orig": m.printed}))
            continue
        entry = authority.entries[m.entry]
        form = m.form_for(m.entry)
        target = entry.target(index.scheme)
        reg = _styled(target + form.suffix, m.printed, form.text)
        if m.printed.endswith(".") and not target.endswith("."):
            reg += "." if _ends_sentence(text, m.end) else ""
        data: dict[str, Any] = {"ref": entry.id, "type": entry.type, "reg": target, "orig": m.printed,
                                "form": form.how}
        if form.suffix:
            data["suffix"] = form.suffix
        if parts and any(len(p) > 2 for p in parts):
            data["parts"] = parts
        if entry.id not in entities:
            entities[entry.id] = {"type": entry.type, "reg": target, "canonical": entry.canonical,
                                  "orig": list(entry.orig), "lang": entry.language, "note": entry.note}
        replacement = reg if ctx.config.normalize else m.printed
        proposals.append(Proposal(m.start, m.end, replacement, m.rule, m.confidence, "name", data))
    if ambiguous:
        doc.suggest(STAGE, ambiguous)
    ctx.commit(doc, STAGE, proposals)


def _take_abbreviation_stop(text: str, m: Match) -> None:
    """Take the final stop of a dotted abbreviation (``U.S.S.R.``) into the match: it belongs to the
    abbreviation, and left behind a replacement (``Soviet Union.``) it would read as a sentence end."""
    if text[m.end:m.end + 1] == "." and any(f.text.endswith(".") for f in m.forms) and "." in m.printed:
        m.end += 1
        m.printed += "."


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the stop at ``end - 1`` also ends the sentence (a capital or a paragraph end follows)."""
    rest = text[end:end + 4].lstrip(" \t\"'”’)")
    return not rest or rest[:1].isupper() or rest.startswith("\n")


def _styled(reg: str, printed: str, form: str) -> str:
    """The target in the printed form's style: capitals in an all-capitals heading (not for an
    acronym, whose form is capitals anyway), and the printed kind of apostrophe.

    >>> _styled("Volochayevka", "VOLOCHAYEVKA", "Volochayevka"), _styled("Soviet Union", "USSR", "USSR")
    ('VOLOCHAYEVKA', 'Soviet Union')
    >>> _styled("People's Army", "People’s Army", "People's Army")
    'People’s Army'
    """
    if printed.isupper() and len(printed) > 1 and not form.isupper():
        reg = reg.upper()
    if "’" in printed and "'" in reg:
        reg = reg.replace("'", "’")
    elif "'" in printed and "’" in reg:
        reg = reg.replace("’", "'")
    return reg


class _Layout:
    """Current-text offsets of the pieces, to check that a name's span holds only whole, inline edits."""

    def __init__(self, doc: Document) -> None:
        self.pieces = doc.pieces
        self.starts: list[int] = []
        pos = 0
        for p in doc.pieces:
            self.starts.append(pos)
            pos += len(p.text)
        self.count: Counter[int] = Counter(id(p.edit) for p in doc.pieces if p.edit is not None)

    def parts(self, a: int, b: int) -> list[list[Any]] | None:
        """The original pieces under ``[a, b)``: ``[src_start, src_end]`` for unedited text,
        ``[src_start, src_end, edit_id, text]`` for an earlier edit; ``[]`` when removed furniture
        interrupts the name; None when the span may not be tagged."""
        out: list[list[Any]] = []
        split = False
        for i in range(max(0, bisect_left(self.starts, a) - 1), len(self.pieces)):
            p: Piece = self.pieces[i]
            s = self.starts[i]
            e = s + len(p.text)
            if e <= a and (e > s or s <= a):
                continue  # before the name (an empty piece at its start stays before it)
            if s >= b:
                break  # after it (an empty piece at its end stays after it)
            if p.edit is None:
                out.append([p.src_start + max(a, s) - s, p.src_start + min(b, e) - s])
                continue
            edit = p.edit
            if s < a or e > b or "\n\n" in p.text:
                return None
            if p.protected:
                split = True
                continue
            if edit.kind not in INNER_KINDS or self.count[id(edit)] > 1:
                return None
            out.append([p.src_start, p.src_end, edit.id, p.text])
        return [] if split else out
