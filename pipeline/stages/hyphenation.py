"""Stage 3, hyphenation: words broken at a line end are joined again.

Why a lexicon decides: ``be-`` / ``came`` must become ``became`` but
``counter-`` / ``revolutionary`` keeps its hyphen. The joined form wins when it
is a known word (or seen in the corpus) and the hyphenated form is not more
plausible: a compound whose parts are both words and whose hyphenated form the
corpus shows elsewhere keeps the hyphen.
"""

from __future__ import annotations

import regex

from pipeline.context import Context
from pipeline.document import Document, Fact, Proposal
from pipeline.lexicon import Lexicon

STAGE = "hyphenation"

#: Prefixes that English prints with a hyphen before a word (``counter-revolutionary``).
COMPOUND_PREFIXES = frozenset("counter anti pro ex self semi non neo pan quasi ultra vice".split())
#: A prefix and a word closed up into a word at least this common (zipf) are one word that the line end
#: broke (``pro-`` / ``test``, ``ex-`` / ``change``), not a hyphenated compound (``counter-`` / ``attack``,
#: closed up zipf 2.9). After a prefix, a part that is no word (``pro-`` / ``vided``) is one too.
PREFIX_JOINED_ZIPF = 3.5

#: How much rarer (zipf) the closed-up form must be than its parts, when English writes the parts
#: as a common word pair, for a line-end hyphen to be the compound's own (``long-term``, not
#: ``lifetime`` or ``whereas``).
COMPOUND_PAIR_MARGIN = 2.0
#: (A word starts after a non-letter: trying every letter of a long word as a start would be quadratic.)
BROKEN = regex.compile(r"(?<!\p{L})(\p{L}+)[-~\u00ad¬] (\p{L}+)")
#: Line-end hyphen markers other engines write for a hyphen that only breaks a word: the soft
#: hyphen (U+00AD) and ABBYY FineReader's ``¬``. The word is joined whatever the lexicon says.
SOFT_MARKERS = "\u00ad¬"
#: ``¬`` between two letters with no break at all (the engine joined the lines but kept its marker).
INNER_MARKER = regex.compile(r"(?<=\p{L})¬(?=\p{L})")
#: Words after which a spaced hyphen is a suspended compound (``pre- and post-war``).
SUSPENDED = frozenset("and or to nor".split())
#: The two halves of a word broken at a page break whose hyphen the scan lost (``sur40`` / ``render``).
WORD_BEFORE = regex.compile(r"\p{L}+$")
WORD_AFTER = regex.compile(r"\p{L}+")


def run(doc: Document, ctx: Context) -> None:
    """Join words hyphenated across a printed line break (the break is a layout join)."""
    lex = ctx.lexicon_for(doc)
    text = doc.text
    joins = doc.join_positions()
    proposals: list[Proposal] = []
    counts: dict[str, int] = {}  # occurrences of each hyphenated form in the text, counted once
    for m in BROKEN.finditer(text, overlapped=False):
        space = m.start(2) - 1
        left, right = m.group(1), m.group(2)
        if text[space - 1] in SOFT_MARKERS:
            # the engine says the hyphen only breaks the word: ``post\u00ad`` / ``pone``, ``har¬`` / ``vest``
            proposals.append(Proposal(m.start(1) + len(left), m.start(2), "", "join-soft-hyphen", 0.95))
            continue
        if space not in joins:
            # a line break the scan merged into one line (``betray my com- rades``): only the
            # plain join is safe here, where the pieces are not words of their own
            joined = left + right
            if lex.attested(joined) and not (lex.is_word(left) and lex.is_word(right)):
                proposals.append(Proposal(m.start(1) + len(left), m.start(2), "", "join-broken-word-in-line",
                                          0.8))
            elif right.lower() not in SUSPENDED and text[m.start(2) - 2] == "-":
                # ``Twenty- One``, ``one- day``: a compound whose hyphen the scan spaced
                proposals.append(Proposal(m.start(2) - 1, m.start(2), "", "close-spaced-hyphen", 0.6))
            continue
        decision = decide(left, right, lex, text, counts)
        if decision is None:
            continue
        replacement, rule, conf = decision
        proposals.append(Proposal(m.start(1) + len(left), m.start(2), replacement, rule, conf))
    proposals += [Proposal(m.start(), m.end(), "", "join-soft-hyphen", 0.95) for m in INNER_MARKER.finditer(text)]
    for space, edit in joins.items():
        if Fact.BROKEN_WORD not in edit.facts:
            continue
        left = WORD_BEFORE.search(text, max(0, space - 40), space)
        right = WORD_AFTER.match(text, space + 1)
        if left is None or right is None:
            continue
        joined = left.group() + right.group()
        if lex.attested(joined) and not (lex.is_word(left.group()) and lex.is_word(right.group())
                                         and lex.zipf(joined) < 3.0):
            proposals.append(Proposal(space, space + 1, "", "join-word-broken-at-page", 0.85))
    ctx.commit(doc, STAGE, proposals)


def decide(left: str, right: str, lex: Lexicon, text: str,
           counts: dict[str, int] | None = None) -> tuple[str, str, float] | None:
    """Return (what replaces ``- ``, rule, confidence) for ``left- right`` at a line break.

    ``counts``: a memo of hyphenated forms already counted in ``text`` (filled here)."""
    joined = left + right
    hyphened = f"{left}-{right}"
    counts = {} if counts is None else counts
    if hyphened not in counts:
        counts[hyphened] = text.count(hyphened)
    corpus_hyph = counts[hyphened]  # other occurrences: this one is ``left- right`` in the text
    corpus_join = lex.tokens.get(joined.lower(), 0)
    if left[0].isupper() and right[0].isupper():
        return "-", "compound-capitals", 0.9  # White- / Guard
    zj = lex.zipf(joined)
    zl, zr = lex.zipf(left), lex.zipf(right)
    if left.lower() in COMPOUND_PREFIXES and zr >= 2.5 and zj < PREFIX_JOINED_ZIPF:
        return "-", "compound-prefix", 0.85  # counter- / revolutionary
    if corpus_hyph > 0 and corpus_hyph >= corpus_join:
        return "-", "compound-in-corpus", 0.9
    if corpus_join > 0 or zj >= 1.5:
        if zl >= 3.0 and zr >= 3.0 and zj < min(zl, zr) - 2.5 and corpus_join == 0:
            return "-", "compound-of-words", 0.7
        if (corpus_join == 0 and zl >= 3.0 and zr >= 3.0 and lex.bigram(left, right)
                and zj < min(zl, zr) - COMPOUND_PAIR_MARGIN):
            # ``long-`` / ``term``: English writes the two words side by side far more often than as
            # one word, so the hyphen is the compound's own
            return "-", "compound-of-word-pair", 0.7
        return "", "join-broken-word", 0.95
    if zl >= 2.5 and zr >= 2.5 and len(left) > 2 and len(right) > 2:
        return "-", "compound-of-words", 0.7
    return "", "join-broken-word", 0.6
