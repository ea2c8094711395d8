"""Stage 7, names: every occurrence of an authority entry becomes an edit of kind ``name``.

Why after the repairs: a name is only recognisable once spacing and letter
shapes are right (``V la d ivosto k``, ``Sernyonov``), and normalizing it must
not hide a repair, so this stage runs last and wraps what the others made.

What is rewritten: by default only a *respelling* of a name (another
transliteration of the same original form: ``Semenoff`` -> ``Semyonov``,
``Ta-lien`` -> ``Dalian``, ``Tokio`` -> ``Tokyo``; see :mod:`pipeline.names.respell`).
Another name of the entity (``Petrograd``, ``Port Arthur``, ``Maritime Region``: a
line of the authority linked to the entity) is tagged with the entity's ``ref``
and kept as printed, unless ``Config.modern_names`` asks for the entity's own
name. Never rewritten: short forms the target would lengthen (``Yang``,
``Britain``, ``USSR``), glosses, names mentioned as names (``renamed the city
Peiping``), names inside longer names, citations, bibliographic references and
foreign runs, hyphen compounds, and spans an earlier stage only suggested
repairing (:mod:`pipeline.names.context`); ``data["kept"]`` says why. A person's
name printed with initials or a forename that rule the entity out (``V.
Semenoff`` is not Grigory Semyonov) is only suggested, rule ``other-person``. OCR-damaged
names are found by :mod:`pipeline.names.approximate`.

An occurrence is one edit with ``data`` = ``{ref, type, reg, orig, form,
relation, canonical}`` (+ ``name`` and ``dates`` for another name, ``kept``,
``suffix``, ``parts``, ``spelling`` for a near match): ``ref`` the entity,
``reg`` what the name is written as, ``orig`` the printed form, ``relation``
``spelling``, ``short`` or ``name``, ``canonical`` the entity's target form.
With ``Config.normalize`` the edit writes ``reg``; without it the printed form
(a near match is still repaired to the spelling it is nearest to), and the TEI
still tags the entity.

A match whose span cuts through an earlier edit or a paragraph break is
skipped: the TEI could not show both edits faithfully. When the span holds
whole earlier edits (a repaired split or misread letter), ``data["parts"]``
lists the original pieces and those edits, so the TEI can show the repair
inside ``orig``. A name interrupted by removed furniture (``Yang [Page 295]
Chieh``) is still normalized (the output must not change when cleaned again)
but has no ``parts``: the document splits the edit around the furniture and
the TEI shows it as a plain correction. Ambiguous occurrences (a shared or common
surname with nothing to tell the candidates apart) and unsupported near matches
are recorded as suggestions, never applied, with their candidates.

This stage does not run on notes and captions (see :data:`pipeline.stages.FRAGMENT_STAGES`): the
TEI tags names only in the body, and a note's text there is a cleaned copy, so notes keep their
names as printed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import Any

from pipeline.context import Context
from pipeline.document import Document, EditKind, Piece, Proposal
from pipeline.names.approximate import near_matches
from pipeline.names.authority import Entry
from pipeline.names.context import citation, compound, enclosing, foreign_test, glosses, mentioned, references
from pipeline.names.match import FormIndex, Match, looks_like_word, resolve, tokenize
from pipeline.names.respell import is_respelling, parts, short_target

STAGE = "names"
#: Kinds of earlier edit a name may contain whole (word-level repairs and line joins).
INNER_KINDS = frozenset({EditKind.CORRECTION, EditKind.JOIN, EditKind.NEWLINE, EditKind.ENCODING, EditKind.ANCHOR})
#: A lower-case word this rare in English (Zipf), and not in the curated dictionary, is foreign.
FOREIGN_ZIPF = 2.5


def run(doc: Document, ctx: Context) -> None:
    index = ctx.name_index()
    if not index.forms:
        return
    text = doc.text
    lexicon = ctx.lexicon
    tokens = tokenize(text)
    matches = resolve(text, index, looks_like_word(lexicon.bigram), tokens)
    authority = index.authority
    entries = authority.entries
    identified = {entries[m.entry].head for m in matches if m.entry is not None}
    printed: dict[str, Counter[str]] = {}
    for m in matches:
        if m.entry is not None:
            printed.setdefault(m.entry, Counter())[m.form_for(m.entry).text] += 1
    near = near_matches(text, tokens, index, matches, _english_test(lexicon), _channel(ctx), identified,
                        {e: [s for s, _ in c.most_common()] for e, c in printed.items()})
    near_spelling = {id(n.match): n.spelling for n in near}
    matches = sorted(matches + [n.match for n in near], key=lambda m: m.start)
    if not matches:
        return
    layout = _Layout(doc)
    proposals: list[Proposal] = []
    ambiguous: list[Proposal] = []
    #: The entries used, for the exports (the TEI lists them after the body).
    entities: dict[str, dict[str, Any]] = doc.meta.setdefault("entities", {})
    cue_keys = frozenset(k for cues in index.cues.values() for cue in cues for k in cue)
    glossed = glosses(text, matches, lambda m: entries[m.entry].head if m.entry else None)
    named = {t.start for m in matches for t in tokens[m.first:m.last + 1]}
    foreign = foreign_test(_foreign_word(lexicon), named)
    unrepaired = _suggested_spans(doc)
    cited = references(text)
    for n, m in enumerate(matches):
        _take_abbreviation_stop(text, m)
        pieces = layout.parts(m.start, m.end)
        if pieces is None:
            continue
        if m.entry is None:
            data: dict[str, Any] = {"candidates": sorted({entries[c].head for c in m.candidates}), "orig": m.printed}
            replacement = m.printed
            if id(m) in near_spelling:
                data["near"] = True
                replacement = near_spelling[id(m)].text
            ambiguous.append(Proposal(m.start, m.end, replacement, m.rule, m.confidence, EditKind.NAME, data))
            continue
        entry = entries[m.entry]
        head = authority.head(m.entry)
        form = m.form_for(m.entry)
        near_form = near_spelling.get(id(m))
        kept = _kept(n, m, glossed, text, tokens, cue_keys, foreign, layout, unrepaired, cited)
        written, relation, why = _target(entry, head, form, index, ctx.config.modern_names)
        base = near_form.text if near_form is not None else m.printed
        target = written if written is not None and kept is None else None
        reg = _styled(target, m.printed, form.text) if target is not None else base
        if target is not None and m.printed.endswith(".") and not reg.endswith("."):
            reg += "." if _ends_sentence(text, m.end) else ""
        canonical = head.target(index.scheme)
        data = {"ref": head.id, "type": head.type, "reg": reg, "orig": m.printed, "form": form.how,
                "relation": relation, "canonical": canonical}
        if entry.entity:
            data["name"] = entry.id
            if entry.dates:
                data["dates"] = entry.dates
        if kept or why:
            data["kept"] = kept or why
        if near_form is not None:
            data["spelling"] = near_form.text
        if form.suffix:
            data["suffix"] = form.suffix
        if pieces and any(len(p) > 2 for p in pieces):
            data["parts"] = pieces
        _register(entities, head, entry, canonical)
        replacement = reg if ctx.config.normalize else base
        proposals.append(Proposal(m.start, m.end, replacement, m.rule, m.confidence, EditKind.NAME, data))
    ctx.suggest(doc, STAGE, ambiguous)
    ctx.commit(doc, STAGE, proposals)


def _target(entry: Entry, head: Entry, form: Any, index: FormIndex, modern: bool) -> tuple[str | None, str, str]:
    """(what the occurrence may be written as, or None to keep it; relation; why it is kept)."""
    if entry.entity and modern and not form.suffix:
        return head.target(index.scheme), "name", ""
    relation = "name" if entry.entity else "spelling"
    line_target = entry.target(index.scheme)
    spelled = form.text[:len(form.text) - len(form.suffix)] if form.suffix else form.text
    if is_respelling(spelled, line_target):
        return line_target + form.suffix, relation, ""
    if len(parts(spelled)) < len(parts(line_target)):
        short = short_target(spelled, line_target, entry.id, index)
        if short is not None:
            return short + form.suffix, "short" if relation == "spelling" else relation, ""
        return None, "short" if relation == "spelling" else relation, "short-form"
    return None, relation, "other-form"


def _kept(n: int, m: Match, glossed: set[int], text: str, tokens: list[Any], cue_keys: frozenset[str],
          foreign: Any, layout: _Layout, unrepaired: list[tuple[int, int]],
          cited: list[tuple[int, int]] = ()) -> str | None:  # type: ignore[assignment]
    """Why this occurrence must stay as printed whatever its target (None: it may be rewritten)."""
    if n in glossed:
        return "gloss"
    if mentioned(text, m):
        return "mentioned"
    if any(a <= m.start and m.end <= b for a, b in cited):
        return "citation"
    if compound(text, m):
        return "compound"
    if enclosing(text, tokens, m, cue_keys):
        return "enclosing-name"
    found = citation(text, tokens, m, foreign)
    if found:
        return found
    a, b = layout.source(m.start, m.end)
    if any(s < b and a < e for s, e in unrepaired):
        return "unrepaired"
    return None


def _register(entities: dict[str, dict[str, Any]], head: Entry, entry: Entry, canonical: str) -> None:
    """Record the entity in ``doc.meta["entities"]`` (what the TEI lists in ``<back>``): ``{type, reg,
    canonical, orig, lang, note}`` and, for each other name of it that occurs, ``names``: ``{id, name,
    dates, years: [first, last] (None where open), orig, lang, note}``."""
    record = entities.get(head.id)
    if record is None:
        record = entities[head.id] = {"type": head.type, "reg": canonical, "canonical": head.canonical,
                                      "orig": list(head.orig), "lang": head.language, "note": head.note}
    if entry.entity:
        names = record.setdefault("names", [])
        if not any(x["id"] == entry.id for x in names):
            first, last = entry.years
            names.append({"id": entry.id, "name": entry.canonical, "dates": entry.dates, "years": [first, last],
                          "orig": list(entry.orig), "lang": entry.language, "note": entry.note})


def _suggested_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of the original that an earlier stage suggested repairing but did not (OCR damage left)."""
    return [(e.start, max(e.end, e.start + 1)) for e in doc.edits
            if not e.applied and e.stage != STAGE and e.kind == EditKind.CORRECTION]


def _english_test(lexicon: Any) -> Any:
    def test(word: str) -> bool:
        low = word.lower()
        return low in lexicon.dictionary or lexicon.zipf(low) >= 3.0

    return test


def _foreign_word(lexicon: Any) -> Any:
    def test(word: str) -> bool:
        low = word.lower().replace("’", "'")
        return low not in lexicon.dictionary and lexicon.zipf(low) < FOREIGN_ZIPF

    return test


def _channel(ctx: Context) -> Any:
    from pipeline.correction import load_channel

    try:
        return load_channel(ctx.config.model)
    except Exception:  # the corrector reports a bad model; here the edit distance alone decides
        return None


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
        segments = doc.segments()
        self.pieces = [seg.piece for seg in segments]
        self.starts = [seg.start for seg in segments]
        self.count: Counter[int] = Counter(id(p.edit) for p in doc.pieces if p.edit is not None)

    def source(self, a: int, b: int) -> tuple[int, int]:
        """The span of the original under the current-text span ``[a, b)``."""
        lo, hi = None, None
        for i in range(max(0, bisect_left(self.starts, a) - 1), len(self.pieces)):
            p = self.pieces[i]
            s = self.starts[i]
            e = s + len(p.text)
            if s >= b and lo is not None:
                break
            if e <= a:
                continue
            lo = p.src_start if lo is None else lo
            hi = p.src_end
        return (lo or 0), (hi if hi is not None else (lo or 0))

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
