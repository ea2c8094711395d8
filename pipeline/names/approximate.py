"""Names the authority spells otherwise, found approximately: OCR damage and split names.

Why: ``Sernyonov`` (``rn`` read for ``m``), ``Vladivostok`` broken as ``Vladi vostok``
or misread ``Vladivoslok`` name an entity the authority knows, but no spelling of
it matches exactly. A capitalised token that no spelling matches, that is not an
English word, and that lies within reach of an authority spelling is a
*candidate*: within two edits of it and explained by the OCR channel model
(:class:`pipeline.correction.ChannelModel`) with at most two confusions no less
likely than :data:`CHANNEL_REACH` (``rn`` for ``m``, ``c`` for ``e``, ``l`` for
``t``: about -1.5 to -3; an added or lost letter with no shape to explain it,
``Hural`` for ``Ural``, costs -6), or two adjacent pieces whose concatenation is a
spelling. A candidate is accepted only with support from its context:

* a cue of the entry just before it (``Ataman Sernyonov``), or
* the same entity identified by an exact spelling in the same document.

Accepted ones are repaired to the spelling they are nearest to, preferring the
spelling the document itself prints (rule ``near-match``, confidence
:data:`NEAR_CONFIDENCE`); the others are only suggested and listed by ``ocrclean
names``. A candidate that merely extends or shortens a spelling at its end
(``Semyonova``, a woman of the family; ``Leninist``) is another word, not damage,
and is never proposed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from pipeline.correction.channel import ChannelModel
from pipeline.correction.index import DeletionIndex
from pipeline.names.match import CONFIDENCE, Form, FormIndex, Match, Token, _has_cue

NEAR_CONFIDENCE = CONFIDENCE["near-match"]
#: Shortest token weighed (shorter ones are too often another word).
MIN_LENGTH = 5
#: Without a channel model: one edit, in a spelling at least this long.
LONG = 7
#: A reading the channel model explains at least this well (log10, relative to reading every
#: letter right) is within reach.
CHANNEL_REACH = -3.5


@dataclass
class NearIndex:
    """One-word spellings of the authority by key, and a deletion index over the keys."""

    forms: dict[str, list[Form]]
    index: DeletionIndex


def near_index(index: FormIndex) -> NearIndex:
    """The one-word spellings of ``index`` (built once per form index, kept on it)."""
    if not isinstance(index.near, NearIndex):
        forms = {k[0]: v for k, v in index.forms.items() if len(k) == 1 and len(k[0]) >= MIN_LENGTH - 1}
        index.near = NearIndex(forms, DeletionIndex(forms))
    return index.near


@dataclass
class Near:
    """A near match: the token span (its entry set when one entity is supported, else its candidate
    forms), the spelling it is nearest to, and the edit distance to it."""

    match: Match
    spelling: Form
    distance: int


def _within_reach(token: str, form: Form, distance: int, channel: ChannelModel | None) -> bool:
    if channel is None:
        return distance <= 1 and len(form.text) >= LONG
    logp, blocks = channel.logp(token, form.text)
    return blocks <= 2 and logp - channel.keep_logp * len(form.text) >= CHANNEL_REACH


def _extends(a: str, b: str) -> bool:
    """One spelling is the other with letters added or removed at its end (an ending, a suffix)."""
    return a != b and (a.startswith(b) or b.startswith(a))


def near_matches(text: str, tokens: Sequence[Token], index: FormIndex, taken: Sequence[Match],
                 is_english: Callable[[str], bool], channel: ChannelModel | None,
                 identified: set[str], printed_by_entry: dict[str, list[str]]) -> list[Near]:
    """Near matches among ``tokens`` outside the ``taken`` spans, left to right.

    ``identified``: entity ids (heads) found exactly in the document; ``printed_by_entry``: the
    spellings the document prints for each authority line (most frequent first).
    """
    near = near_index(index)
    entries = index.authority.entries
    covered = {i for m in taken for i in range(m.first, m.last + 1)}
    out: list[Near] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i in covered or not tok.text[:1].isupper() or tok.text.isupper():
            i += 1
            continue
        found = _split(text, tokens, i, near, is_english, covered)
        if found is None:
            found = _single(tok, i, near, is_english, channel)
        if found is None:
            i += 1
            continue
        m, forms, distance = found
        by_entry: dict[str, Form] = {}
        for form in forms:
            by_entry.setdefault(form.entry, form)
        heads = {entries[e].head for e in by_entry}
        supported_entries = [e for e in by_entry if entries[e].head in identified
                             or _has_cue(list(tokens), text, m, index.cues.get(e, []))]
        if len(heads) == 1 and supported_entries:
            entry = supported_entries[0]
            own = [p for p in printed_by_entry.get(entry, [])]
            spelling = next((f for f in forms if f.entry == entry and f.text in own),
                            min((f for f in forms if f.entry == entry), key=lambda f: (f.rank, f.text)))
            m.entry, m.rule, m.confidence = entry, "near-match", NEAR_CONFIDENCE
            m.forms = [spelling]
            out.append(Near(m, spelling, distance))
        else:
            m.forms = list(by_entry.values())
            m.rule, m.confidence = "near-match", CONFIDENCE["ambiguous"]
            out.append(Near(m, m.forms[0], distance))
        i = m.last + 1
    return out


def _single(tok: Token, i: int, near: NearIndex, is_english: Callable[[str], bool],
            channel: ChannelModel | None) -> tuple[Match, list[Form], int] | None:
    k = tok.key
    if len(k) < MIN_LENGTH or k in near.forms or is_english(tok.text) or not k.isalpha():
        return None
    best: list[Form] = []
    best_d = 99
    for cand in near.index.candidates(k, 2):
        if _extends(k, cand):
            continue
        d = Levenshtein.distance(k, cand)
        for form in near.forms[cand]:
            if form.suffix or not _within_reach(tok.text, form, d, channel):
                continue
            if d < best_d:
                best, best_d = [form], d
            elif d == best_d:
                best.append(form)
    if not best:
        return None
    return Match(tok.start, tok.end, tok.text, best, i, i), best, best_d


def _split(text: str, tokens: Sequence[Token], i: int, near: NearIndex, is_english: Callable[[str], bool],
           covered: set[int]) -> tuple[Match, list[Form], int] | None:
    """Two or three pieces with single spaces between them whose concatenation is a spelling,
    at least one of them not an English word (``Vladi vostok``, ``Bla goveshchensk``)."""
    for size in (3, 2):
        if i + size > len(tokens) or any(j in covered for j in range(i, i + size)):
            continue
        span = tokens[i:i + size]
        if any(text[a.end:b.start] != " " or a.possessive for a, b in zip(span, span[1:])):
            continue
        if any(t.text[:1].isupper() for t in span[1:]):
            continue
        joined = "".join(t.key for t in span)
        forms = near.forms.get(joined)
        if not forms or all(is_english(t.text) for t in span):
            continue
        printed = text[span[0].start:span[-1].end]
        return Match(span[0].start, span[-1].end, printed, list(forms), i, i + size - 1), list(forms), 0
    return None
