"""Stage 5, characters: OCR misreadings, repaired with a noisy-channel model of letter shapes.

Why a channel model and not a spelling corrector: an OCR engine confuses
letters that *look* alike (``rn``/``m``, ``I``/``l``, ``U``/``ll``, ``0``/``o``),
not letters that are near on a keyboard. A token is only repaired when it is
not attested (lexicon, user lists, or intact elsewhere in the corpus) and a
candidate reached by at most two such confusions is attested and much more
probable. The total cost of a candidate is the channel cost of its confusions
plus the word's own cost; the margin over leaving the token alone gives the
confidence. Names and rare but real words are therefore left alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import cast

import regex
from rapidfuzz.distance import Levenshtein

from pipeline.context import Context
from pipeline.correction import retire
from pipeline.correction.census import census_names
from pipeline.correction.corrector import (
    CAMEL_CASE,
    CLEAN_SHIFT,
    COMMON_SMALL_ZIPF,
    DOMINANCE,
    NUMBER_LIKE,
    PROPOSE_FLOOR,
    SHORT,
    Corrector,
    case_like,
)
from pipeline.correction.index import DeletionIndex
from pipeline.correction.mapped import cached_index
from pipeline.document import Document, Proposal
from pipeline.english import COMBINING_PREFIXES, COMMON_FUNCTION_WORDS, SHORT_WORDS
from pipeline.foreign import foreign_phrases, held, outside
from pipeline.lexicon import Lexicon, archaic_base, count_tables, early_modern_share, early_modern_variant, mixed_case
from pipeline.names.forenames import census_forenames
from pipeline.names.match import TITLES
from pipeline.stages.punctuation import lost_stop_places, paragraph_reach

STAGE = "characters"

#: (as scanned, as printed, cost): letter-shape confusions of OCR engines.
CONFUSIONS: tuple[tuple[str, str, float], ...] = (
    # strokes merged or split: rn/m, cl/d, li/h, ii/u, U/ll, 11/n, ni/m ...
    ("rn", "m", 0.5), ("m", "rn", 1.0), ("rri", "m", 0.8), ("ni", "m", 0.6), ("in", "m", 0.8), ("iii", "m", 0.6),
    ("cl", "d", 0.8), ("d", "cl", 1.2), ("d", "il", 1.0), ("li", "h", 0.8), ("h", "li", 1.2), ("H", "li", 0.8),
    ("ii", "u", 0.8), ("U", "ll", 0.5), ("U", "li", 1.0), ("11", "n", 0.8), ("ri", "n", 1.0), ("x", "n", 1.2),
    ("x:", "n", 1.2), ("ro", "iv", 1.2), ("IVl", "M", 0.4), ("lVl", "M", 0.4), ("vV", "W", 0.3),
    ("VV", "W", 0.3), ("\\V", "W", 0.4),
    # vertical strokes: I, l, 1, !, i
    ("I", "l", 0.4), ("I", "i", 0.5), ("l", "I", 0.6), ("l", "i", 1.0), ("i", "l", 1.0), ("1", "l", 0.4),
    ("1", "I", 0.6), ("1", "i", 0.6), ("!", "l", 0.6), ("!", "i", 0.8),
    # round and open letters
    ("0", "o", 0.4), ("0", "O", 0.5), ("c", "e", 0.8), ("e", "c", 0.9), ("c", "o", 1.0), ("o", "e", 1.2),
    ("e", "o", 1.2), ("a", "o", 1.2), ("o", "a", 1.2), ("a", "e", 1.2), ("e", "a", 1.2), ("u", "o", 1.2),
    ("s", "e", 1.2), ("G", "C", 0.8), ("C", "G", 1.0),
    # other shapes
    ("n", "u", 0.9), ("u", "n", 0.9), ("i", "u", 1.2), ("m", "n", 1.2), ("n", "m", 1.2), ("t", "f", 1.0),
    ("f", "t", 1.0), ("b", "h", 1.0), ("h", "b", 1.0), ("y", "v", 1.2), ("v", "y", 1.2), ("£", "f", 0.6),
    ("£", "E", 0.8), ("5", "s", 0.8), ("8", "B", 0.8), ("j", "J", 0.6), ("'", "", 0.5),
)
#: Characters that are never part of a printed word here and may simply be dropped or replaced.
WILDCARD = "~"
WILDCARD_COST = 0.9
#: Extra cost of reading a run of digits or symbols inside a word as a wildcard.
JUNK_AS_WILDCARD = 0.5
#: What a ``~`` may stand for: nothing, one letter, or (dearer) two letters.
WILDCARD_FILLS: tuple[tuple[str, float], ...] = (
    ("", 0.0), *((a, 0.0) for a in "abcdefghijklmnopqrstuvwxyz"),
    *((a + b, 0.4) for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"))
MAX_STEPS = 2
#: Longest token (characters) the stage reads as one word: a longer one is glued words or noise, which no two
#: confusions make a word of, and its candidates would grow with the cube of its length. Left to the spacing stage.
LONGEST_TOKEN = 40
#: Minimum cost advantage (log10 units) a candidate needs over the token as scanned.
MIN_GAIN = 2.0

TOKEN = regex.compile(r"(?<![\p{L}\d])[\p{L}\d!£~\\][\p{L}\d!£~'\\:?]*[\p{L}\d~£]|(?<![\p{L}\d])\p{L}(?![\p{L}\d])")
#: A run of non-letters between letters, which may stand for letters the scan lost (``a!1d``).
INNER_JUNK = regex.compile(r"(?<=\p{L})[^\p{L}'~]+(?=\p{L})")
MONTH_DAY = regex.compile(r"\b((?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\. )([0-9IlOS]{1,2})(?=, \d{4})")
TWO_LETTERS = regex.compile(r"\p{L}{2}")
LETTERS_ONLY = regex.compile(r"[\p{L}']+")
NOT_LETTER = regex.compile(r"[^\p{L}']")
WORD_FORM = regex.compile(r"\p{L}+(?:'\p{L}+)?")
LOWER_WORD = regex.compile(r"(?<![\p{L}'])\p{Ll}{4,}(?![\p{L}'])")
#: A text counts as in standard spelling with at least this many lower-case words...
STANDARD_MIN_WORDS = 300
#: ...of which fewer than this share are unknown (modern prose after spacing repair: about 1%;
#: early modern English: 3% and more).
STANDARD_MAX_UNKNOWN = 0.015
#: In a standard-spelling text, a plausible unknown word may be corrected towards a dictionary
#: word at least this common.
STANDARD_MIN_ZIPF = 3.5
PREV_WORD = regex.compile(r"(\p{L}+)\W{0,3}$")
NEXT_WORD = regex.compile(r"\W{0,3}(\p{L}+)")
#: Extra cost of a candidate whose letter case the corpus never uses.
CASE_PENALTY = 2.5
#: Cost reduction (log10 units) for a candidate the corpus shows beside the same neighbour.
CONTEXT_BONUS = 2.0
SPLIT_JUNK = regex.compile(r"(?<!\S)(\p{L}+\d[\p{L}\d]*) -(\p{Ll}{1,3})\b")
#: A run of vertical strokes between small words with at least one letter-like stroke in it
#: (``lll protest``); a run of digits only is a number (``There were 111 men``).
STROKES = regex.compile(r"(?<=\p{Ll} )(?=[1Il|]*[Il|])[1Il|]{3,4}(?= \p{Ll})")
#: Letters made of vertical strokes only: what a run of ``1``/``l``/``I`` can stand for, and only a
#: very common word of them (``in``) is a safe reading; a number between words is usually a number.
STROKE_LETTERS = frozenset("ilmnu")
#: The marks of such a run of strokes.
STROKE_MARKS = frozenset("1Il|")
BRACKET_J = regex.compile(r"\] ?(\p{Ll}{3,})")
#: ``embodiment 0 f America``: a lone digit shaped like a letter, then a fragment that ends there
#: (not ``at 5 o'clock``).
LONE_DIGIT = regex.compile(r"(?<=\p{L}[,;]? )([015]) (\p{Ll}{1,2})\b(?![\p{L}'’])")
DIGIT_LETTERS = str.maketrans("015", "ols")
#: ``in 191 I.``: a year whose last digit was read as a letter; not a number after an article or a
#: quantifier, which counts things (``Of the 150 I counted``: the letter is the pronoun).
YEAR_TAIL = regex.compile(r"(?<!\b(?:[Tt]he|[Tt]hese|[Tt]hose|[Aa]ll|[Ss]ome) )\b(1\d\d) ([Il])\b(?!['’\p{L}])")


#: A document's corrections teach its channel when there are at least ADAPT_MIN of
#: these rules with at least this confidence.
ADAPTING_RULES = frozenset({"noisy-channel", "letter-shape-confusion"})
ADAPT_CONFIDENCE = 0.9
ADAPT_MIN = 3
#: A confusion is new to the channel below this log10 probability per block; at most ADAPT_STEPS rounds of learning.
ADAPT_SURPRISE = -2.5
ADAPT_STEPS = 2
#: Rounds of the stage at most: a repair changes the context and the corpus counts of the words
#: around it, which may decide another token (the text's own spelling, seen intact once repaired).
MAX_ROUNDS = 3


def run(doc: Document, ctx: Context) -> None:
    """Repairs to a fixed point: after each round the corpus counts and contexts are taken afresh
    and the stage runs again while it still applies something (suggestions below the confidence
    threshold are recorded in the first round only). The corpus is counted afresh first: the
    words the spacing stage has just rejoined are evidence too. Nothing is proposed inside a phrase of
    another language (:func:`pipeline.foreign.foreign_phrases`: ``je t'aime`` is no ``je time``)."""
    ctx.refresh()
    for round_ in range(MAX_ROUNDS):
        lex = ctx.lexicon_for(doc)
        # measured once per document (a fragment inherits its document's answers)
        if "standard_spelling" not in ctx.facts:
            ctx.facts["standard_spelling"] = standard_spelling(doc.text, lex)
        if "early_modern_spelling" not in ctx.facts:
            ctx.facts["early_modern_spelling"] = early_modern_spelling(doc.text, lex)
        standard, early = ctx.facts["standard_spelling"], ctx.facts["early_modern_spelling"]
        ctx.corrector_for(doc).set_period_spelling(bool(early))
        starts = line_starts(doc)
        proposals = propose(doc.text, lex, bool(standard), ctx.corrector_for(doc), bool(early), starts)
        phrases = foreign_phrases(doc.text, english_logp(ctx.corrector_for(doc)))
        if round_ == 0:
            ctx.hold(doc, STAGE, held(phrases, proposals), HELD_FOREIGN)
        proposals = outside(phrases, proposals)
        if round_ == 0 and proposals and ctx.config.adapt:
            proposals = _adapt_to_document(doc, ctx, lex, proposals, bool(standard), bool(early))
        proposals = outside(phrases, _with_lost_letters(doc, lex, ctx.corrector_for(doc), proposals))
        proposals = _capitals_kept(proposals, doc.text, starts)
        if round_:
            proposals = [p for p in proposals if p.confidence >= ctx.config.min_confidence]
        if not proposals:
            return
        ctx.commit(doc, STAGE, proposals)
        if not any(p.confidence >= ctx.config.min_confidence for p in proposals):
            return
        ctx.refresh()


#: Why a proposal inside a phrase of another language is only suggested (the ``held`` of its data).
HELD_FOREIGN = "inside a phrase of another language"


def english_logp(corrector: Corrector) -> Callable[[str], float]:
    """log10 probability of a word's best English explanation, for :func:`pipeline.foreign.foreign_phrases`:
    the word itself as an English word (its frequency) or the corrector's likeliest other reading of it (a word
    misread, under the document's channel)."""
    lex = corrector.lexicon

    def best(word: str) -> float:
        own = lex.zipf(word) - 9.0 if lex.zipf(word) > 0 else -9.0
        others = [logp for reading, _, logp in corrector.readings(word) if reading.lower() != word.lower()]
        return max([own, *others])

    return best


def _capitals_kept(proposals: list[Proposal], text: str, starts: frozenset[int]) -> list[Proposal]:
    """``proposals`` less those that only write small a capital (:func:`_capital_lowered`) where the capital says
    something of its own:

    - it opens a printed line (``starts``: ``slow;\nIf frost``): verse and lists open each line with a capital, so
      there a capital is no evidence of a misread small letter;
    - it opens a sentence whose full stop may have been lost before it
      (:func:`~pipeline.stages.punctuation.lost_stop_places`: ``the coast was seen ahead It was``, not ``that It
      was``): there the capital is likelier a sentence's first letter than a misread small one, and the punctuation
      stage weighs the stop. On the Sydney Morning Herald development OCR, half of the ``It`` after a word in small
      letters opens a sentence whose stop the scan lost.

    The places of lost stops are looked for only when some proposal lowers a capital."""
    lowered = [p for p in proposals if _capital_lowered(p, text)]
    if not lowered:
        return proposals
    places = starts | {m.start(2) for m in lost_stop_places(text)}
    dropped = {id(p) for p in lowered if p.start in places}
    return [p for p in proposals if id(p) not in dropped]


def _capital_lowered(p: Proposal, text: str) -> bool:
    """Whether the proposal only writes small the capital of the word it replaces (``It`` -> ``it``)."""
    before = text[p.start:p.end]
    return (before[:1].isupper() and p.replacement[:1].islower() and p.replacement[:1] == before[:1].lower()
            and p.replacement[1:] == before[1:])


def _with_lost_letters(doc: Document, lex: Lexicon, corrector: Corrector, proposals: list[Proposal]) -> list[Proposal]:
    """``proposals`` with the readings of letters the scan lost (:func:`cropped_first_letters` at the printed
    line starts, :func:`dropped_letters` inside words) where no proposal covers the token yet."""
    out = list(proposals)
    taken = _mask(doc.text, out)
    out.extend(p for p in cropped_first_letters(doc.text, line_starts(doc), corrector) if not any(taken[p.start:p.end]))
    taken = _mask(doc.text, out)
    out.extend(p for p in dropped_letters(doc.text, lex, corrector) if not any(taken[p.start:p.end]))
    return out


def _adapt_to_document(doc: Document, ctx: Context, lex: Lexicon, proposals: list[Proposal], standard: bool,
                       early: bool) -> list[Proposal]:
    """The confusions a document makes again and again become likely in it (EM, at most ADAPT_STEPS
    steps): when its confident corrections show, in at least ADAPT_MIN kinds of word, confusions the
    channel found unlikely (``f`` read for the long ``s``: ``fhould``, ``fhall``), they teach the
    channel, and the document is read again with it. Each kind of word counts once, so a confusion
    seen in many words outweighs one word seen often. Documents whose errors the channel already
    expects are left as they are (and cost nothing more)."""
    corrector = ctx.corrector_for(doc)
    learned: set[tuple[str, str]] = set()
    for _ in range(ADAPT_STEPS):
        found = {(doc.text[p.start:p.end], p.replacement) for p in proposals
                 if p.confidence >= ADAPT_CONFIDENCE and p.rule in ADAPTING_RULES and doc.text[p.start:p.end].isalpha()}
        surprising = [pair for pair in found if _surprise(corrector, *pair)]
        if len(surprising) < ADAPT_MIN or found <= learned:
            break
        learned = found
        ctx.adapt_corrector(doc, sorted(learned))
        proposals = propose(doc.text, lex, standard, ctx.corrector_for(doc), early, line_starts(doc))
    if learned and ctx.corrector_for(doc).channel is not corrector.channel:
        retire(corrector)  # the superseded channel's memo refilled by the surprise checks above
    return proposals


def _surprise(corrector: Corrector, scanned: str, printed: str) -> bool:
    """Whether the shipped channel finds this correction's confusions unlikely (per block, log10)."""
    logp, blocks = corrector.channel.logp(scanned, printed)
    return blocks > 0 and logp / blocks < ADAPT_SURPRISE


def standard_spelling(text: str, lex: Lexicon) -> bool:
    """Whether a text is written in standard modern spelling: long enough to tell, and
    nearly every lower-case word of four letters or more is a known word.

    In such a text an unknown word is far more likely a misreading than a spelling of
    its own; in an old or dialect text (``hee``, ``bookes``) it is not.
    """
    words = LOWER_WORD.findall(text)
    if len(words) < STANDARD_MIN_WORDS:
        return False
    unknown = sum(1 for w in words if not lex.is_word(w))
    return unknown / len(words) < STANDARD_MAX_UNKNOWN


def propose(text: str, lex: Lexicon, standard: bool | None = None,
            corrector: Corrector | None = None, early_modern: bool | None = None,
            starts: frozenset[int] = frozenset()) -> list[Proposal]:
    """Proposals for every repairable token of a text, plus digit-context rules.

    ``standard``: whether the document is in standard spelling (measured on ``text``
    when not given; a note passes its document's answer). ``corrector``: the noisy-channel
    corrector (default: one over ``lex`` with the shipped channel model). ``early_modern``:
    whether the text spells as Early Modern English does (:func:`early_modern_spelling`). ``starts``: the offsets
    of the words that begin a printed line (:func:`line_starts`)."""
    if standard is None:
        standard = standard_spelling(text, lex)
    if early_modern is None:
        early_modern = early_modern_spelling(text, lex)
    if corrector is None:
        from pipeline.correction import corrector_for

        corrector = corrector_for(lex)
    out: list[Proposal] = []
    for m in SPLIT_JUNK.finditer(text):
        # ``W01 -ks``: a token the scan garbled and split; repaired as one word
        fix = correct_word(m.group(1) + m.group(2), lex, standard)
        if fix is not None:
            out.append(Proposal(m.start(), m.end(), fix[0], "garbled-split-word", min(fix[1], 0.8)))
    for m in MONTH_DAY.finditer(text):
        day = m.group(2)
        if not day.isdigit():
            digits = day.translate(str.maketrans("IlOS", "1105"))
            out.append(Proposal(m.start(2), m.end(2), digits, "digit-letter-in-date", 0.85))
    for m in YEAR_TAIL.finditer(text):
        out.append(Proposal(m.start(), m.end(), m.group(1) + "1", "digit-letter-in-year", 0.8))
    out.extend(p for p in letters_in_numbers(text) if not any(_mask(text, out)[p.start:p.end]))
    out.extend(p for p in colon_for_apostrophe(text, lex) if not any(_mask(text, out)[p.start:p.end]))
    out.extend(p for p in split_garbles(text, corrector) if not any(_mask(text, out)[p.start:p.end]))
    out.extend(p for p in titles_before_names(text, corrector) if not any(_mask(text, out)[p.start:p.end]))
    # a token read whole with its mark (``cit\\`` -> ``city``) before its letters alone (``cit`` -> ``city\\``)
    out.extend(marks_for_letters(text, corrector, _mask(text, out)))
    if not early_modern:  # an old text keeps its line breaks' hyphens inside lines (``iudg-ment``, ``busi-nesse``)
        out.extend(hyphens_inside_words(text, corrector, lex, _mask(text, out)))
    out.extend(garbles_read_whole(text, corrector, lex, _mask(text, out), starts))
    split = _mask(text, out)
    out.extend(p for p in channel_corrections(text, corrector, lex, early_modern) if not any(split[p.start:p.end]))
    taken = _mask(text, out)
    # both depend only on the lexicon (and ``standard``): kept with it, so a document read again with an
    # adapted channel (:func:`_adapt_to_document`) does not weigh its tokens again
    cache = _lexicon_memo(lex, f"{STAGE}/correct_word/{bool(standard)}")
    clean, names = corrector.clean, census_names()
    repairable = _lexicon_memo(lex, f"{STAGE}/needs_repair")
    for m in TOKEN.finditer(text):
        w = m.group()
        ok = repairable.get(w)
        if ok is None:
            ok = repairable[w] = needs_repair(w, lex)
        if not ok or taken.find(1, m.start(), m.end()) != -1:
            continue
        prev = PREV_WORD.search(text, max(0, m.start() - 40), m.start())
        nxt = NEXT_WORD.match(text, m.end())
        context = (prev.group(1) if prev else "", nxt.group(1) if nxt else "")
        key = f"{context[0]} {w} {context[1]}"
        if key not in cache:
            cache[key] = correct_word(w, lex, standard, context)
        fix = cast("tuple[str, float] | None", cache[key])
        if (fix is not None and clean and w[:1].isupper() and not w.isupper() and w.lower() in names
                and not regex.search(rf"\b{regex.escape(fix[0])}\b", text)):
            continue  # in a clean text a capitalised spelling the census knows is that name (``Magrath``, ``Couper``),
            # unless the text itself prints the reading (``the Games ... the Garnes village``)
        if fix is not None:
            out.append(Proposal(m.start(), m.end(), fix[0], "letter-shape-confusion", fix[1]))
    for m in STROKES.finditer(text):
        # ``111 protest``: vertical strokes read as digits between two words
        fix = correct_word(m.group(), lex, standard, force=True)
        if fix is not None and set(fix[0].lower()) <= STROKE_LETTERS and lex.zipf(fix[0]) >= 6.0:
            out.append(Proposal(m.start(), m.end(), fix[0].lower(), "strokes-read-as-digits", min(fix[1], 0.75)))
    for m in BRACKET_J.finditer(text):
        # ``the] apanese`` -> ``the Japanese``: a bracket is the shape of a capital J
        word = "J" + m.group(1)
        glued = m.start() > 0 and text[m.start() - 1].isalpha()
        if lex.attested(word) and not lex.is_word(m.group(1)):
            out.append(Proposal(m.start(), m.end(), (" " if glued else "") + word, "bracket-read-as-J", 0.8))
    for m in LONE_DIGIT.finditer(text):
        # ``the embodiment 0 f America's`` -> ``of``: a lone digit shaped like a letter, then a fragment
        word = m.group(1).translate(DIGIT_LETTERS) + m.group(2)
        if lex.zipf(word) >= 5.0 and word.lower() in lex.dictionary:
            out.append(Proposal(m.start(), m.end(), word, "digit-read-for-letter", 0.75))
    taken = _mask(text, out)
    out.extend(p for p in pronoun_one(text) if not any(taken[p.start:p.end]))
    taken = _mask(text, out)
    out.extend(p for p in proper_adjective_case(text, lex) if not any(taken[p.start:p.end]))
    return out


#: A number with letters of a digit's shape in it (``l0``, ``4O``, ``3l2``, ``2,l40``, ``O.6``, ``l2th``): digits and
#: ``l``/``I``/``O``/``o``, one digit at least, an ordinal ending allowed; nothing of a word around it.
NUMBER_WITH_LETTERS = regex.compile(
    r"(?<![\p{L}\d.,'’_-])([\dlIOo]+(?:[.,][\dlIOo]+)*)((?:st|nd|rd|th)?)(?![\p{L}\d'’_-]|[.,]\d)")
#: The digit each letter of its shape stands for in a number.
DIGIT_SHAPES = str.maketrans("lIOo", "1100")


def letters_in_numbers(text: str) -> list[Proposal]:
    """``at l0 cm`` -> ``10``, ``4O tons`` -> ``40``, ``the l2th`` -> ``12th``: a token of digits and letters shaped
    like digits (``l``, ``I``, ``O``, ``o``) is a number the scan misread, no word: every letter is read as its digit.
    Not a symbol such as ``O2`` (a capital ``O`` and one digit)."""
    out: list[Proposal] = []
    for m in NUMBER_WITH_LETTERS.finditer(text):
        body = m.group(1)
        if (not any(c.isdigit() for c in body) or not any(c in "lIOo" for c in body) or regex.fullmatch(r"O\d", body)
                or set(body) <= STROKE_MARKS):
            continue  # strokes alone (``I11``) may be letters too (``ill``, ``in``): see :data:`STROKES`
        out.append(Proposal(m.start(1), m.end(1), body.translate(DIGIT_SHAPES), "letter-in-number", 0.8))
    return out


def line_starts(doc: Document) -> frozenset[int]:
    """Current-text offsets of the words that began a printed line (after a space that stands for a line
    break, see :meth:`~pipeline.document.Document.join_positions`)."""
    return frozenset(pos + 1 for pos in doc.join_positions())


#: log10 probability that the scan lost the first letter of a word that begins a printed line (the page's
#: margin cropped, or the letter too faint at the line's edge): far likelier there than a letter lost inside
#: a line, which the channel prices at about -3.5.
CROPPED_LOGP = -1.5
#: A small-letter token at a line start this short or longer is weighed (``ng``, ``rom``).
CROPPED_MIN = 2


def cropped_first_letters(text: str, starts: frozenset[int], corrector: Corrector) -> list[Proposal]:
    """``impatience\nrom a fresh`` -> ``from``: a word in small letters that begins a printed line, read with
    one letter more in front where the vocabulary has that word, the letter lost with probability
    :data:`CROPPED_LOGP`. The readings compete with the token itself and the corrector's own readings of it in
    the word model's context (:meth:`~pipeline.correction.corrector.Corrector.decide`), so a real word stays
    unless its neighbours make the longer word much likelier."""
    out: list[Proposal] = []
    words = corrector.index.words
    for start in sorted(starts):
        m = CROPPED_TOKEN.match(text, start)
        if m is None:
            continue
        token = m.group()
        cands = [c + token for c in "abcdefghijklmnopqrstuvwxyz" if c + token in words]
        if not cands:
            continue
        decision = corrector.decide_with(token, *_neighbours(text, start, m.end()), {c: CROPPED_LOGP for c in cands})
        if decision.reading in cands and decision.posterior >= PROPOSE_FLOOR:
            out.append(Proposal(m.start(), m.end(), decision.reading, "cropped-first-letter",
                                min(MAX_CONFIDENCE, round(decision.posterior, 3))))
    return out


#: log10 probability that the scan lost a run of :data:`DROPPED_RUN` letters inside a word (faint or broken
#: type: ``Philaphia`` for ``Philadelphia``), which the corrector's two edits do not reach.
DROPPED_LOGP = -1.5
DROPPED_RUN = (2, 4)
#: The letters kept on each side of the lost run, at least; and the shortest token weighed.
DROPPED_KEEP = 3
DROPPED_MIN = 6


def dropped_letters(text: str, lex: Lexicon, corrector: Corrector) -> list[Proposal]:
    """``to Philaphia for`` -> ``Philadelphia``: a token no word list knows (nor the corpus, twice), read as a
    vocabulary word with a run of two to four letters lost inside it (at least :data:`DROPPED_KEEP` letters kept
    on each side), each such word at :data:`DROPPED_LOGP`, weighed against the token and the corrector's own
    readings in context (:meth:`~pipeline.correction.corrector.Corrector.decide_with`)."""
    table = _by_ends(corrector.index)
    out: list[Proposal] = []
    for m in WORD_FORM.finditer(text):
        token = m.group()
        low = token.lower()
        if len(token) < DROPPED_MIN or not low.isalpha() or not _case_ok(token) or corrector.listed(token) \
                or lex.corpus_count(token) >= 2 or archaic_base(token, lex) is not None \
                or _inflected(low, lex) or _in_compound(text, m.start(), m.end()):
            continue
        cands = {w: DROPPED_LOGP for w in table.get((low[:DROPPED_KEEP], low[-DROPPED_KEEP:]), ())
                 if _lost_run(low, w)}
        if not cands:
            continue
        decision = corrector.decide_with(token, *_neighbours(text, m.start(), m.end()), cands)
        if decision.reading.lower() in cands and decision.posterior >= PROPOSE_FLOOR:
            out.append(Proposal(m.start(), m.end(), decision.reading, "dropped-letters",
                                min(MAX_CONFIDENCE, round(decision.posterior, 3))))
    return out


#: Endings of English inflection: a token that is a dictionary word with one of them is a word (``capons``).
INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers", "est", "ly")


def _inflected(low: str, lex: Lexicon) -> bool:
    """Whether a lower-case token is a dictionary word with an inflection (:data:`INFLECTIONS`)."""
    return any(low.endswith(end) and low[:-len(end)] in lex.dictionary for end in INFLECTIONS)


def _lost_run(token: str, word: str) -> bool:
    """Whether ``word`` is ``token`` with one run of :data:`DROPPED_RUN` letters put back inside it, at least
    :data:`DROPPED_KEEP` letters from either end."""
    gap = len(word) - len(token)
    if not DROPPED_RUN[0] <= gap <= DROPPED_RUN[1]:
        return False
    return any(word[:i] == token[:i] and word[i + gap:] == token[i:]
               for i in range(DROPPED_KEEP, len(token) - DROPPED_KEEP + 1))


_ENDS: dict[int, tuple[object, dict[tuple[str, str], list[str]]]] = {}


def _by_ends(index: object) -> dict[tuple[str, str], list[str]]:
    """The vocabulary words of an index long enough to have lost a run, by their first and last
    :data:`DROPPED_KEEP` letters (built once per index, the last few only)."""
    hit = _ENDS.get(id(index))
    if hit is None or hit[0] is not index:
        if len(_ENDS) >= 4:
            _ENDS.clear()
        table: dict[tuple[str, str], list[str]] = {}
        for w in sorted(getattr(index, "words", ())):
            if len(w) >= DROPPED_MIN + DROPPED_RUN[0] and w.isalpha():
                table.setdefault((w[:DROPPED_KEEP], w[-DROPPED_KEEP:]), []).append(w)
        hit = _ENDS[id(index)] = (index, table)
    return hit[1]


#: A word in small letters at a line start (not a fragment glued to a mark or a digit).
CROPPED_TOKEN = regex.compile(rf"\p{{Ll}}{{{CROPPED_MIN},}}(?![\p{{L}}\d'’-])")


#: A word in small letters (not part of a compound, an address or a path), for :func:`proper_adjective_case`.
SMALL_WORD = regex.compile(r"(?<![\p{L}\d'’@/._])(?<!\p{L}-)\p{Ll}{4,}(?![\p{L}\d'’@/]|[.-]\p{L})")
#: Words after which a nation's name would be a verb (``will french``), not an adjective.
VERB_BEFORE = frozenset("to will would shall should can could may might must do does did not".split())
#: log10 PMI of ``to`` before a word from which English uses it as a verb (``to polish``: 0.8; ``to english``:
#: 0.4, a phrase of translation): such a word in small letters is as likely the verb or its noun, left alone.
VERB_PMI = 0.6


#: :func:`pipeline.demonyms.proper_adjectives` of the curated dictionary, per static lexicon (the last few).
_PROPER_ADJECTIVES: dict[tuple[int, ...], tuple[tuple[object, ...], frozenset[str]]] = {}


def proper_adjective_case(text: str, lex: Lexicon) -> list[Proposal]:
    """``the french ports`` -> ``the French ports``: a nation's or a language's adjective or name
    (:func:`pipeline.demonyms.proper_adjectives`) printed in small letters is written with its capital, as
    English always writes it; not one English also uses as a verb (:data:`VERB_PMI`: ``polish the brass``),
    nor after a word a verb follows (``to``, ``will``). A text that prints the word small three times or
    more and never capitalised writes it so on purpose (a dialect or a poem), and is left alone."""
    from pipeline.correction.wordmodel import association
    from pipeline.demonyms import proper_adjectives
    from pipeline.lexicon import per_static_sources

    # the set of the curated dictionary is made once per static lexicon, not once per call (a few ms each)
    names = per_static_sources(_PROPER_ADJECTIVES, lex, lambda: proper_adjectives(frozenset(lex.dictionary)))
    out: list[Proposal] = []
    for m in SMALL_WORD.finditer(text):
        word = m.group()
        if word not in names:
            continue
        as_verb = association("to", word)
        if as_verb is not None and as_verb >= VERB_PMI:
            continue
        prev = WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if prev is not None and prev.group(1).lower() in VERB_BEFORE:
            continue
        capital = word[0].upper() + word[1:]
        if lex.cased.get(word, 0) >= 3 and not lex.cased.get(capital, 0):
            continue
        out.append(Proposal(m.start(), m.end(), capital, "proper-adjective-case", 0.8))
    return out


#: A lone ``1`` or small ``l`` between a word (or a sentence start) and a small word: a candidate for the
#: pronoun ``I`` (a lone ``l`` is no English word: the scan read the capital's stem alone).
LONE_ONE = regex.compile(r"(?<![\p{L}\d.,:/\-–—$£#%+])[1l](?= (\p{Ll}+)(?![\p{L}\d'’-]))")
LEFT_WORD = regex.compile(r"(?<![\p{L}\d'’.-])(\p{L}+) $")
#: The pronoun reading of a lone ``1`` needs the word after it to follow ``I`` at least this much more
#: often than it follows any word (log10 PMI within the bigram list: ``I am`` 2.9, ``I was`` 1.1), and
#: :data:`PRONOUN_MARGIN` more than it follows ``one`` (the numeral in words); a word before it must
#: precede ``I`` at least as readily as ``one`` (``at 1 am``, ``chapter 1 was``, ``only 1 was`` stay).
PRONOUN_PMI = 0.8
PRONOUN_MARGIN = 0.5


def pronoun_one(text: str) -> list[Proposal]:
    """``1`` or ``l`` read for the pronoun ``I`` (``and 1 was``, ``then l went``): decided by how English pairs
    ``I`` and, for ``1``, the numeral ``one`` with the words beside it
    (:func:`~pipeline.correction.wordmodel.association`; at a sentence or clause start, the word after it
    alone), never where a number is plausible (after an abbreviation, a symbol or another number)."""
    from pipeline.correction.wordmodel import association
    from pipeline.stages.punctuation import ABBREVIATIONS

    out: list[Proposal] = []
    for m in LONE_ONE.finditer(text):
        right, letter = m.group(1), m.group() == "l"
        as_i, as_one = association("i", right), None if letter else association("one", right)
        if as_i is None or as_i < PRONOUN_PMI:
            continue
        margin = as_i - (as_one if as_one is not None else -math.inf)
        if margin < PRONOUN_MARGIN:
            continue
        prev = LEFT_WORD.search(text, max(0, m.start() - 40), m.start())
        if prev is not None:
            left_i = association(prev.group(1), "i")
            left_one = None if letter else association(prev.group(1), "one")
            if left_i is None:
                continue
            lead = left_i - (left_one if left_one is not None else -math.inf)
            if lead < 0:
                continue
            margin = min(margin, PRONOUN_MARGIN + lead)
        else:
            stop = regex.search(r"(\p{L}+)\.[\"”’')\]]*\s+$", text[max(0, m.start() - 40):m.start()])
            clause = regex.search(r"\p{L}[,;:]\s+$", text[max(0, m.start() - 4):m.start()])
            if not (sentence_start(text, m.start()) or clause) or (
                    stop is not None and (len(stop.group(1)) < 3 or stop.group(1).lower() in ABBREVIATIONS)):
                continue  # ``No. 1 was``, ``p. 1 and``: a number after an abbreviation
        out.append(Proposal(m.start(), m.end(), "I", "letter-l-for-pronoun" if letter else "digit-one-for-pronoun",
                            round(min(0.9, 0.6 + margin / 5), 3)))
    return out


#: Entries a lexicon's memo table of this stage holds before it is emptied (bounded memory on a long input).
MEMO_MAX = 20_000


def _lexicon_memo(lex: Lexicon, name: str) -> dict[str, object]:
    """The lexicon's memo table ``name`` (:attr:`pipeline.lexicon.Lexicon.memo`: per lexicon, emptied when
    its counts change), emptied first when it holds :data:`MEMO_MAX` entries."""
    table = lex.memo.setdefault(name, {})
    if len(table) >= MEMO_MAX:
        table.clear()
    return table


#: A colon or semicolon read for the apostrophe of a contraction or a possessive (``captain:s``, ``don;t``).
CONTRACTION_MARK = regex.compile(r"(?<![\p{L}\d'’:;])(\p{L}+)[:;](s|t|d|ll|re|ve|m)(?![\p{L}\d'’])")
#: A colon read for the apostrophe of a plural possessive opened by a determiner (``the weavers: houses stood``):
#: the plural, the noun it owns, the word after.
PLURAL_POSSESSIVE_MARK = regex.compile(
    r"(?<![\p{L}'’])(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Mm]y|[Yy]our|[Ii]ts|[Tt]hese|[Tt]hose) "
    r"(\p{Ll}{2,}s):(?= (\p{Ll}{3,}) (\p{Ll}+)\b)")


#: Function words that open a phrase (``attack the fort``, ``attack at dawn``): after the word that follows a colon,
#: they make that word a verb or the head of a list, not a noun a plural owns (``wages were paid`` is one).
OPENS_A_PHRASE = COMMON_FUNCTION_WORDS - frozenset("was were will".split())


def _apostrophe(text: str) -> str:
    """The apostrophe the text itself prints most (typographic ``’`` or straight ``'``)."""
    return "’" if text.count("’") > text.count("'") else "'"


def colon_for_apostrophe(text: str, lex: Lexicon) -> list[Proposal]:
    """A colon (or semicolon) the scan read for an apostrophe: ``the captain:s cabin`` -> ``captain's``,
    ``don:t`` -> ``don't``, where the word with the apostrophe is a word (a contraction the lexicon knows, or a
    word's possessive); and ``the weavers: houses stood`` -> ``weavers'``, a regular plural (its singular a word)
    after a determiner, then a content word and another (a colon there would open a list or an explanation, which
    begins with a function word or stops short: ``His orders: attack the fort``, ``the results: no change``)."""
    mark = _apostrophe(text)
    out: list[Proposal] = []
    for m in CONTRACTION_MARK.finditer(text):
        word, tail = m.group(1), m.group(2)
        if lex.is_word(word + "'" + tail) or (tail == "s" and lex.is_word(word) and len(word) > 1):
            out.append(Proposal(m.start(1) + len(word), m.start(2), mark, "colon-for-apostrophe", 0.8))
    for m in PLURAL_POSSESSIVE_MARK.finditer(text):
        plural, owned, after = m.group(1), m.group(2), m.group(3)
        if (lex.is_word(plural) and lex.is_word(plural[:-1]) and lex.is_word(owned)
                and owned not in COMMON_FUNCTION_WORDS and after not in OPENS_A_PHRASE):
            out.append(Proposal(m.end() - 1, m.end(), mark, "colon-for-apostrophe", 0.6))
    return out


#: Two pieces of small letters side by side on one line (``sqm e``, ``o i``), each one to four letters long.
SPLIT_PIECES = regex.compile(r"(?<![\p{L}\d'’.-])(\p{Ll}{1,4})[ \t]+(\p{Ll}{1,4})(?![\p{L}\d'’-])")
#: A word two pieces are read as must be this common (zipf): the short words a split garble most often hides.
SPLIT_GARBLE_ZIPF = 5.0
#: ... and the corrector's posterior for it at least this.
SPLIT_GARBLE_POSTERIOR = 0.8


def _fragment(piece: str, corrector: Corrector) -> bool:
    """A piece of a split word rather than a word: one or two small letters that are no word of English alone
    (:data:`pipeline.english.SHORT_WORDS`; ``o`` and ``i`` are words only as ``O`` and ``I``), or longer letters
    no word list knows (:meth:`~pipeline.correction.corrector.Corrector.listed`)."""
    if len(piece) <= 2:
        return piece in ("o", "i") or piece not in SHORT_WORDS
    return not corrector.listed(piece)


def _read_alone(piece: str, corrector: Corrector) -> bool:
    """Whether the corrector reads a piece, without context, as another word more likely than not."""
    decision = corrector.decide(piece)
    return decision.reading != piece and decision.posterior >= 0.5


def split_garbles(text: str, corrector: Corrector) -> list[Proposal]:
    """``sqm e`` -> ``some``, ``the rest o i them`` -> ``of``: a short word the scan both split and misread, where
    neither piece is a word (:func:`_fragment`) nor reads as one alone (``bj th`` is ``by the``), but the
    noisy-channel corrector reads the pieces joined, between the words around them, as a common word (zipf
    :data:`SPLIT_GARBLE_ZIPF`) with a posterior of :data:`SPLIT_GARBLE_POSTERIOR` or more; the confidence is that
    posterior."""
    out: list[Proposal] = []
    for m in SPLIT_PIECES.finditer(text, overlapped=True):
        a, b = m.group(1), m.group(2)
        joined = a + b
        if not (_fragment(a, corrector) and _fragment(b, corrector)):
            continue
        if any(len(piece) > 1 and corrector.eligible(piece) and _read_alone(piece, corrector) for piece in (a, b)):
            continue  # a piece the corrector reads as a word of its own (``bj th``: ``by the``, not ``both``)
        before = PREV_WORD.search(text, max(0, m.start() - 40), m.start())
        after = NEXT_WORD.match(text, m.end())
        decision = corrector.decide(joined, before.group(1) if before else "", after.group(1) if after else "")
        reading = decision.reading
        if (reading == joined or not reading.islower() or decision.posterior < SPLIT_GARBLE_POSTERIOR
                or corrector.lexicon.zipf(reading) < SPLIT_GARBLE_ZIPF):
            continue
        if out and out[-1].end > m.start():
            continue  # overlapping pairs (``o i e``): the first one read
        confidence = min(MAX_CONFIDENCE, round(decision.posterior, 3))
        out.append(Proposal(m.start(), m.end(), reading, "split-garble", confidence))
    return out


def _mask(text: str, proposals: list[Proposal]) -> bytearray:
    """One byte per character of ``text``: 1 where a proposal already covers it."""
    mask = bytearray(len(text))
    for p in proposals:
        mask[p.start:p.end] = b"\x01" * (p.end - p.start)
    return mask


#: Posterior a reading of a dictionary word needs in a clean text (:attr:`Corrector.clean`).
CLEAN_WORD_POSTERIOR = 0.9
#: Zipf frequency from which a word only the broad list knows counts as a word there too.
CLEAN_BROAD_ZIPF = 2.5


def _clean_word_kept(token: str, posterior: float, corrector: Corrector) -> bool:
    """Whether a dictionary word stays although a reading of it has ``posterior``: in a clean text
    (:attr:`Corrector.clean`) a dictionary word is far likelier meant than misread, so only a near-certain reading
    (:data:`CLEAN_WORD_POSTERIOR`) replaces it (``been silting for`` is no ``sitting`` because English pairs that
    oftener); so is a word the broad list knows fairly well, mostly of a phrase from another language (``ex parte``,
    ``per se``, ``a priori``). A token no spelling produces (``aH``) is a misreading whatever it resembles."""
    if not corrector.clean or posterior >= CLEAN_WORD_POSTERIOR or impossible(token):
        return False
    lex = corrector.lexicon
    return token.lower() in lex.dictionary or lex.zipf(token) >= CLEAN_BROAD_ZIPF


def channel_corrections(text: str, corrector: Corrector, lex: Lexicon, early_modern: bool) -> list[Proposal]:
    """The noisy-channel corrector's readings of every word token (:mod:`pipeline.correction`).

    A token is replaced when its most probable reading in context is another word; the
    confidence is that reading's posterior. In a text of Early Modern English spelling
    (:func:`early_modern_spelling`) a plausible-looking unknown word is that text's own
    spelling (``booke``, ``ioy``) unless the document itself prints the reading intact elsewhere."""
    words = list(corrector.TOKENS.finditer(text))
    tokens = [m.group() for m in words]
    left = ["" if k == 0 or not _adjacent(text, words[k - 1].end(), m.start()) else tokens[k - 1]
            for k, m in enumerate(words)]
    right = ["" if k + 1 == len(words) or not _adjacent(text, m.end(), words[k + 1].start()) else tokens[k + 1]
             for k, m in enumerate(words)]
    # not a short part of a hyphenated name (``Ta-lien``: a syllable), nor an abbreviation
    todo = [k for k, m in enumerate(words) if (corrector.eligible(tokens[k]) or _pronoun_like(tokens[k], right[k], text,
                                                                                        m.end())
                                               or _lone_small_letter(tokens[k], left[k], right[k]))
            and not (len(tokens[k]) <= 3 and _in_compound(text, m.start(), m.end()))
            and not _abbreviation(tokens[k], text, m.end()) and not _glued_fragment(text, m.start())
            and not _elided(tokens[k], text, m.end())
            and not _deliberate_case(tokens[k], text, m.start(), lex, corrector.clean)
            and not _acronym_in_running_text(tokens[k], left[k], right[k])
            and not _opens_guillemet_quote(text, m.start(), tokens[k])]
    quoted = [m.start() > 0 and text[m.start() - 1] in OPENING_MARKS for m in words]
    decided = {k: corrector.decide(tokens[k], left[k], right[k], quoted[k]) for k in todo}
    # a second sweep reads each word beside its neighbours' readings (``that fhe fhould``: ``should``
    # tells ``she`` from ``the``)
    reading = {k: d.reading for k, d in decided.items() if d.reading != tokens[k] and d.posterior >= 0.5}
    for k in todo:
        if (k - 1 in reading and left[k]) or (k + 1 in reading and right[k]):
            decided[k] = corrector.decide(tokens[k], reading.get(k - 1, left[k]) if left[k] else "",
                                          reading.get(k + 1, right[k]) if right[k] else "", quoted[k])
    for k in todo:  # a token in a personal name's place is weighed against the names people bear
        names = name_readings(tokens[k]) if _name_place(text, words, k) else None
        if names:
            decided[k] = corrector.decide_name(tokens[k], names)
    # in a text noisier than the training OCR an unknown neighbour is most likely garbled, not a word of
    # another language (in a clean text it is the other way round)
    noisy = corrector.error_shift > CLEAN_SHIFT
    out: list[Proposal] = []
    for k in todo:
        token, m, decision = tokens[k], words[k], decided[k]
        if decision.reading == token or decision.posterior < PROPOSE_FLOOR:
            continue
        if len(decision.reading) == 1 and decision.reading.islower() and decision.reading not in LONE_LETTER_WORDS:
            continue  # ``l cases`` is no ``i cases``: a small letter alone is no reading of English but ``a``
        if decision.reading.lower() != token.lower() and _clean_word_kept(token, decision.posterior, corrector):
            continue
        if _aphetic(token, decision.reading, text, m.start()):
            continue
        # the commonest words (``the``, ``and``) pair alike in every period: a real word read for one of them
        # (``tho fire``) is corrected in an old text too, unless it is that word in the period's spelling (``hee``)
        stable = (early_modern and lex.zipf(decision.reading) >= STABLE_ZIPF
                  and decision.reading.lower() != token.lower()  # not a capital alone (``said It is well``)
                  and not early_modern_variant(token, decision.reading)
                  and all(_english(w, lex) for w in (left[k], right[k])))
        if not impossible(token) and early_modern and lex.is_word(token) and not stable:
            continue  # modern English word pairs are no evidence against an old text's real words
        if not impossible(token) and lex.corpus_count(decision.reading) < 2 and (
                (early_modern and not stable)
                or (not noisy and (_foreign(left[k], lex, corrector) or _foreign(right[k], lex, corrector)))):
            continue
        if _far_short_reading(token, decision.reading) and not (
                _among_english(left[k], right[k], lex)
                or (noisy and not early_modern and not _beside_foreign(left[k], right[k], lex))):
            # a short token read as a word two edits away, only among English words (not ``das kloster``); in a
            # noisy modern text its neighbours are garbled as often as not (``present lho Cn airman``), so there
            # only a neighbour in small letters that a word list knows but English does not (``ad hoc``) stops it
            continue
        confidence = min(MAX_CONFIDENCE, round(decision.posterior, 3))
        written = decision.reading
        if (written[:1].islower() and (not token[0].isalpha() or token[0] != written[0])
                and sentence_start(text, m.start())):
            # ``1t is``, ``lt is`` opening a sentence: ``It is`` (a misread first letter says nothing of its case)
            written = written[0].upper() + written[1:]
        written = capitalised_in_document(written, lex)
        out.append(Proposal(m.start(), m.end(), written, "noisy-channel", confidence,
                            data={"alternatives": [[w, round(p, 3)] for w, p in decision.alternatives[:3]]}))
    return out


#: log10 P(a token in a name's place is a given personal name | its census share): the share of the census
#: population bearing the name, times the chance that the place holds a name of the census lists at all
#: (calibrated on development pairs).
NAME_PLACE_LOGP = -1.0
#: Words before which a token stands in a personal name's place: titles (:data:`pipeline.names.match.TITLES`)
#: and the courtesy titles of lists of names.
NAME_TITLES = TITLES | frozenset("messrs rev sir".split())
#: What separates a title or an initial from the name after it (a stop, spaces, one line break).
NAME_GAP = regex.compile(r"\.?[ \t]*\n?[ \t]*")


@lru_cache(maxsize=1)
def name_index() -> DeletionIndex:
    """The deletion index of the census personal names (:func:`pipeline.names.census.census_names`), cached as
    the vocabulary index is (built once, then opened from the cache)."""
    return cached_index(census_names())


#: A capitalised short token right before a capitalised word or an initial (``Mi Charles Jones``, ``Mis. J. Smith``,
#: and the initials of lists printed without full stops, ``Mi J E Wilson``): where a title stands.
TITLE_PLACE = regex.compile(r"(?<![\p{L}\d'’.])(\p{Lu}\p{Ll}{1,3})(?=\.? \p{Lu}(?:\p{Ll}+\b|\.|[ \t]+\p{Lu}))")
#: A capitalised word right before, with only spaces between: the token is then inside a run of names.
NAME_BEFORE = regex.compile(r"\p{Lu}\p{L}*[ \t]+$")
#: The least log10 P(token | title) for a token in a title's place to be read as the title (``Mi`` for ``Mr``:
#: -1.3 in the shipped channel model; ``Mt`` for ``Mr``: -2.8).
TITLE_LOGP = -2.0
#: A token this common a word (zipf) is kept before a name whatever its channel says (``My Lord``, ``Me``).
TITLE_WORD_ZIPF = 5.0


def titles_before_names(text: str, corrector: Corrector) -> list[Proposal]:
    """``Mi Charles Lloyd Jones`` -> ``Mr Charles``: a short capitalised token before a capitalised word or an initial
    (:data:`TITLE_PLACE`) that no list holds as a common word (zipf below :data:`TITLE_WORD_ZIPF`) read as the title
    (:data:`NAME_TITLES`) the channel model likeliest reads so, at :data:`TITLE_LOGP` or more. Titles are the
    commonest words before a name in newspapers and books, so a likely misreading of one there is one."""
    out: list[Proposal] = []
    channel = corrector.channel
    for m in TITLE_PLACE.finditer(text):
        token = m.group(1)
        low = token.lower()
        if low in NAME_TITLES or corrector.lexicon.zipf(low) >= TITLE_WORD_ZIPF:
            continue
        before = NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before is not None:
            continue  # inside a run of names (``Arthur Rov Jarmain``): a middle name, not a title
        best, best_logp = "", TITLE_LOGP
        for title in _short_titles(len(token)):
            logp = channel.logp(token, title)[0]
            if logp >= best_logp:
                best, best_logp = title, logp
        if best:
            out.append(Proposal(m.start(1), m.end(1), best, "title-before-name",
                                min(MAX_CONFIDENCE, round(0.5 + (best_logp - TITLE_LOGP) / 4, 3))))
    return out


@lru_cache(maxsize=8)
def _short_titles(length: int) -> tuple[str, ...]:
    """The titles of :data:`NAME_TITLES` within one letter of ``length`` letters, capitalised, sorted."""
    return tuple(sorted(t[:1].upper() + t[1:] for t in NAME_TITLES if abs(len(t) - length) <= 1 and t.isalpha()))


def _name_place(text: str, words: list[regex.Match[str]], k: int) -> bool:
    """Whether token ``k`` stands where a personal name does: a capitalised word (not all in capitals) right
    after an initial (``F W Bunning``, ``J. Kellick``), a census forename (``Alfred Henry``) or a title
    (``Mr Toose``, ``Messrs. Landa``), with nothing but a stop and spaces between."""
    token = words[k].group()
    if k == 0 or len(token) < 3 or not token[0].isupper() or token.isupper() or not token.isalpha():
        return False
    prev = words[k - 1]
    if not NAME_GAP.fullmatch(text, prev.end(), words[k].start()) or text[prev.end():words[k].start()] == "":
        return False
    before = prev.group()
    if len(before) == 1:
        return before.isupper()
    if before.lower() in NAME_TITLES:
        return before[0].isupper()
    return (before[0].isupper() and before[1:].islower() and before.lower() in census_forenames()
            and "." not in text[prev.end():words[k].start()])


def name_readings(token: str) -> dict[str, float]:
    """Census names within the corrector's reach of ``token`` (one edit for four letters or fewer, else two),
    its own among them if it is one: lower-case name -> log10 P(name) in a name's place
    (:data:`NAME_PLACE_LOGP` plus the name's census share)."""
    table = census_names()
    if not table:
        return {}
    key = token.lower()
    found = name_index().candidates(key, 1 if len(key) <= 4 else 2)
    return {name: table[name] + NAME_PLACE_LOGP for name in sorted(found) if name in table}


def capitalised_in_document(word: str, lex: Lexicon) -> str:
    """A reading in small letters that the document itself prints with a capital (``bvdnej`` read as
    ``sydney`` where ``Sydney`` stands twice or more and at least :data:`DOMINANCE` times as often as
    ``sydney``) takes the capital: the misread token's case is no evidence, the document's usage is."""
    if not word.islower() or lex.zipf(word) >= COMMON_SMALL_ZIPF:
        return word  # the commonest words are small letters whatever a short text's openings say (``At``)
    capital = word[0].upper() + word[1:]
    n = lex.cased.get(capital, 0)
    return capital if n >= 2 and n >= DOMINANCE * lex.cased.get(word, 0) else word


#: A mark the scan read for one letter inside a word (``w*s``, ``s*id``, ``ca^hs``, ``quar>s``; ``nomlnat.on``): marks
#: no word holds (``<`` and ``>`` with three letters on one side at least: ``a<b``, ``ab<cd`` are notation; ``=`` is
#: notation's, ``key=value``), or a full stop between two runs of small letters (not ``e.g``, ``a.m``).
MARK_INSIDE = regex.compile(
    r"(?<![\p{L}\d.,'’<>=])(?:\p{L}{3,}[<>]\p{L}+|\p{L}+[<>]\p{L}{3,}"
    r"|\p{L}+(?:[*^\\]\p{L}+|(?<=\p{Ll}{2})[.,](?=\p{Ll}{2})\p{Ll}+))(?![\p{L}\d'’])")
#: A speck the scan read for the first or last letter of a word (``ingot*``, ``«oro``, ``cit\``, ``t^``, ``Compan}``):
#: a mark no word holds, right before or after two small letters or more, with no letter, digit, mark, stop or ``@``
#: beyond it (``{name}`` is a template's field, ``<a@b.com>`` an address; ``id=,`` and ``game?,`` keep theirs).
MARK_AT_EDGE = regex.compile(
    r"(?<![\p{L}\d'’*^\\<>/«»~{}=.@])(?:[*^\\<>/«»~{}]\p{Ll}{2,}|\p{L}\p{Ll}+[*^\\<>/«»~{}])"
    r"(?![\p{L}\d'’*^\\<>/«»~{}=])")


def marks_for_letters(text: str, corrector: Corrector, taken: bytearray) -> list[Proposal]:
    """``w*s`` -> ``was``, ``nomlnat.on`` -> ``nomination``, ``ingot*`` -> ``ingots``: a token with one mark among
    its letters (:data:`MARK_INSIDE`) or at its first or last letter (:data:`MARK_AT_EDGE`), read by the
    noisy-channel corrector as a whole, where a vocabulary word of the same length (the mark stood for a letter) is
    its most probable reading; the channel model, learned from OCR pairs, prices each mark as each letter and as a
    speck (``report*`` may be ``report``). A stop between two words (``have.flooded``) has no such reading. A note
    mark whose note the layout stage found is no longer in the text here."""
    out: list[Proposal] = []
    matches = sorted([*MARK_INSIDE.finditer(text), *MARK_AT_EDGE.finditer(text)], key=lambda m: m.start())
    for m in matches:
        token = m.group()
        if any(taken[m.start():m.end()]) or (out and out[-1].end > m.start()) or _paired_brace(text, m):
            continue
        decision = corrector.decide(token, *_neighbours(text, m.start(), m.end()))
        reading = decision.reading
        if (reading != token and _mark_stood_for_letter(token, reading) and reading.isalpha()
                and decision.posterior >= PROPOSE_FLOOR):
            out.append(Proposal(m.start(), m.end(), reading, "mark-read-for-letter",
                                min(MAX_CONFIDENCE, round(decision.posterior, 3))))
    return out


#: A whitespace-delimited run of characters with a letter in it (the unit :func:`garbles_read_whole` reads).
SPACED_TOKEN = regex.compile(r"(?<!\S)\S*\p{L}\S*(?!\S)")
#: Ordinary punctuation around a word, which stays as printed: opening quotes, brackets, dashes and stops before
#: it (``;-the``), and stops, quotes, closing brackets and dashes after it (``LIBRARY.-``, a heading's dash).
OUTER_BEFORE = regex.compile(r"^[\"'“‘(\[.,;:\-–—]+")
OUTER_AFTER = regex.compile(r"[.,;:!?\"'”’)\]\-–—]+$")
#: A character no English word holds among or at the edge of a word's letters (apostrophes and hyphens do); ``!``
#: and ``|`` inside a word are the noisy-channel corrector's own (its tokens hold them: ``wi!l``, ``P!nk``).
MARK = regex.compile(r"[^\p{L}\d'’\-!|]")
#: What marks the token as notation, an address or a markup of its own, not a misreading: ``@``, ``#``, ``+``,
#: ``=``, ``%``, ``&``, currency signs, note and section marks (``†``, ``§``), ``://``, ``www.``, a glob's ``*.``
#: (``*.txt``); a stop or comma right before a capital (a space lost between sentences or after an initial:
#: ``said.The``, ``J.Smith``, ``St.John``); a letter alone between stops (``e.g``, ``a.m``, ``U.S.A``); ``<`` or
#: ``>`` beside fewer than two letters (``a<b``, ``x>0``); a slash beside fewer than three (units and shorthand:
#: ``km/h``, ``mg/dL``, ``w/o``, ``c/o``); the same mark at both ends (``*very*``, ``_init_``); a bracketed letter
#: or two (``word(s)``).
NOTATION = regex.compile(
    r"[@#+=%$&£€¥†‡§¶]|://|(?i:www\.)|\*\.|[.,]\p{Lu}|(?:^|[.])\p{L}(?:[.]|$)"
    r"|(?<!\p{L}\p{L})[<>](?!\p{L}\p{L})|(?<!\p{L}{3})/|/(?!\p{L}{3})|^(\W)\p{L}.*\1$|\(\p{L}{1,2}\)")
#: A keyboard's mark between letters with a run of one or two letters beside it: in a clean text a variable's or
#: a brand's (``x_n``, ``p_value``, ``E*TRADE``).
SHORT_SIDE = regex.compile(r"(?<=(?<!\p{L})\p{L}{1,2})[_*\\^](?=\p{L})|(?<=\p{L})[_*\\^](?=\p{L}{1,2}(?!\p{L}))")
#: A stop or comma between letters: read as a mark only in a noisy text.
STOP_INSIDE = regex.compile(r"(?<=\p{L})[.,](?=\p{L})")
#: A mark between two letters.
MARK_INSIDE_LETTERS = regex.compile(r"(?<=\p{L})[^\p{L}\d'’\-\s!|]+(?=\p{L})")
#: Marks that may stand for a lost space between two words (``and/or``, ``said"Yes``, ``tea,sugar``); a token
#: whose pieces between them are all words is left alone. ``«``, ``^``, ``°`` stand for no space.
SPACE_MARKS = regex.compile(r"[/\"“”,.;:()_]")
#: Opening marks and the marks that close them (``«Bonjour»``, ``»Als«``, ``¡Hola!``, ``¿Qué?``, ``„Die“``): an
#: edge mark whose partner is in the paragraph encloses, it is no speck.
PARTNERS = {"{": "}", "«": "»", "»": "«", "<": ">", "[": "]", "¡": "!", "¿": "?", "„": "“\"", "‚": "‘'"}
#: Fewest letters the token must have to be read whole (``t^`` has one: too little to tell ``to`` from ``it``).
GARBLE_MIN_LETTERS = 2
#: A reading may have at most this many letters more than the token (marks read for letters: ``S\\dno\\`` ->
#: ``Sydney``), and none fewer: fewer is a word lost, not read (``April.-Remaining``, ``E*TRADE``, ``chief,y``).
GARBLE_MORE_LETTERS = 2
#: A reading of two letters must be this common (zipf): ``is``, ``to``, ``of``; not ``ii``, a numeral.
GARBLE_SHORT_ZIPF = 6.0
#: A reading no dictionary holds must be this common in the broad list (zipf), or a census name.
GARBLE_BROAD_ZIPF = 3.0


def garbles_read_whole(text: str, corrector: Corrector, lex: Lexicon, taken: bytearray,
                       starts: frozenset[int] = frozenset()) -> list[Proposal]:
    """``«hieb`` -> ``which``, ``frcqu"nfly`` -> ``frequently``, ``goner.il`` -> ``general``, ``\\whose`` ->
    ``whose``: a token between spaces with a mark no word holds among its letters or at their edge (``«``, ``*``,
    ``\\``, ``"``, ``^``, ``<``, a stop between letters), read whole by the noisy-channel corrector. The channel
    model, learned from OCR pairs, prices each mark as each letter, as part of one and as a speck, and the far
    search (:mod:`pipeline.correction.search`) reaches a word misread at several places. Ordinary punctuation
    around the word (quotes, brackets, dashes, stops) stays as printed. Kept where the likeliest reading is a
    word about as long (:func:`_garble_reading`); after a title only a census name (``Mr. Pa*kes`` is no
    ``Pages``). Which tokens are read is :func:`_garble_token`'s choice (``starts``: the offsets of the words that
    begin a printed line). The confidence is the reading's posterior."""
    out: list[Proposal] = []
    # the garble itself is no evidence that the text around it is noisy: a short text whose one impossible token
    # is a caret or a bracket at a word's edge (``pressed the ^caret key``) is no noisier for it
    noisy = corrector.error_shift > CLEAN_SHIFT and corrector.noise_evidence > 1
    for m in SPACED_TOKEN.finditer(text):
        chunk = m.group()
        if len(chunk) > LONGEST_TOKEN or not MARK.search(chunk):
            continue
        lead = OUTER_BEFORE.match(chunk)
        trail = OUTER_AFTER.search(chunk)
        start = m.start() + (lead.end() if lead else 0)
        end = m.end() - (len(trail.group()) if trail else 0)
        if end <= start or taken.find(1, start, end) != -1 or not _garble_token(text, m, start, end, noisy, lex,
                                                                                 starts):
            continue
        core = text[start:end]
        left, right = _neighbours(text, start, end)
        decision = corrector.decide(core, left, right)
        reading = decision.reading
        if reading == core or decision.posterior < PROPOSE_FLOOR or not _garble_reading(core, reading, lex):
            continue
        if core[:1].isupper() and reading.lower() not in census_names() and _after_title(text, start):
            continue
        letters = "".join(c for c in core if c.isalpha())
        if not noisy and reading == letters and not MARK_INSIDE_LETTERS.search(core):
            continue  # in a clean text a speck at the edge of a word: the punctuation stage's (``¡returnable``)
        if reading.islower():  # a mark before the word says nothing of its case (``¡Newcastle``, ``SOLDIERS*``)
            reading = case_like(reading, letters)
        confidence = min(MAX_CONFIDENCE, round(decision.posterior, 3))
        out.append(Proposal(start, end, reading, "garble-read-whole", confidence))
    return out


#: The word right before a token, with its stop if any (``Mr. ``).
WORD_AND_STOP_BEFORE = regex.compile(r"(\p{L}+)\.?[ \t]+$")


def _after_title(text: str, start: int) -> bool:
    """Whether the token at ``start`` follows a title (:data:`NAME_TITLES`: ``Mr.``, ``Dr``, ``Messrs``)."""
    m = WORD_AND_STOP_BEFORE.search(text, max(0, start - 12), start)
    return m is not None and m.group(1).lower() in NAME_TITLES


def _garble_token(text: str, m: regex.Match[str], start: int, end: int, noisy: bool, lex: Lexicon,
                  starts: frozenset[int]) -> bool:
    """Whether :func:`garbles_read_whole` reads the token ``text[start:end]`` (the spaced token ``m`` less its
    outer punctuation) whole: a mark among its letters or at their edge, :data:`GARBLE_MIN_LETTERS` letters or more,
    and none of these: notation, an address or markup (:data:`NOTATION`); pieces between marks that may be lost
    spaces all words (:data:`SPACE_MARKS`: ``and/or``, ``said"Yes``); in a text no noisier than the training OCR
    (``noisy`` false), a stop among letters (``Node.js``), a keyboard's mark at the word's edge only (``^caret``) or
    beside a run of one or two letters (:data:`SHORT_SIDE`: ``x_n``, ``E*TRADE``); an edge mark whose partner is in
    the paragraph (:data:`PARTNERS`); the first part of a word broken at a line end (:func:`_broken_at_line_end`)."""
    core = text[start:end]
    if (not MARK.search(core) or NOTATION.search(core) or NOTATION.search(m.group())
            or sum(c.isalpha() for c in core) < GARBLE_MIN_LETTERS or _broken_at_line_end(text, m.end(), starts, lex)):
        return False
    if not noisy and (STOP_INSIDE.search(core) or SHORT_SIDE.search(core) or (
            not MARK_INSIDE_LETTERS.search(core) and all(c.isascii() for c in MARK.findall(core)))):
        return False
    pieces = [p for p in SPACE_MARKS.split(core) if p]
    if len(pieces) > 1 and all(lex.is_word(p) for p in pieces):
        return False
    opening, closing = core[0], core[-1]
    if opening in PARTNERS or closing in "".join(PARTNERS.values()):
        before, after = paragraph_reach(text, start, end)
        if any(c in after for c in PARTNERS.get(opening, "")) or any(
                k in before for k, v in PARTNERS.items() if closing in v):
            return False
    return True


#: A token's end, the space that stands for a line break, and letters in small: a word's rest where they are no
#: word themselves (``Br~t`` / ``ish``).
BROKEN_AFTER = regex.compile(r"[ \t](\p{Ll}+)(?![\p{L}'’])")


def _broken_at_line_end(text: str, end: int, starts: frozenset[int], lex: Lexicon) -> bool:
    """Whether the token ending at ``end`` ends a printed line (``starts``: the offsets of the words that begin
    one) before letters in small that are no word (:data:`BROKEN_AFTER`): the first part of a word broken without a
    hyphen (``Br~t`` / ``ish``), which the spacing stage rejoins."""
    if end + 1 not in starts:
        return False
    m = BROKEN_AFTER.match(text, end)
    return m is not None and not lex.is_word(m.group(1))


def _garble_reading(core: str, reading: str, lex: Lexicon) -> bool:
    """Whether ``reading`` may stand for the marked token ``core`` (:func:`garbles_read_whole`): a word form of
    as many letters or a few more (:data:`GARBLE_MORE_LETTERS`), not a possessive's garbled ``s`` read away
    (``Copp'«``), two letters only for the commonest words (:data:`GARBLE_SHORT_ZIPF`), and a word the dictionary
    holds, a common one of the broad list (:data:`GARBLE_BROAD_ZIPF`) or a census name (``Pitrl"k`` ->
    ``Patrick``)."""
    letters = sum(c.isalpha() for c in core)
    if not WORD_FORM.fullmatch(reading) or not letters <= len(reading) <= letters + GARBLE_MORE_LETTERS:
        return False
    if regex.search(r"\p{L}['’]\W$", core) and "'" not in reading and "’" not in reading:
        return False
    low = reading.lower()
    if len(low) <= 2 and lex.zipf(low) < GARBLE_SHORT_ZIPF:
        return False
    return low in lex.dictionary or lex.zipf(low) >= GARBLE_BROAD_ZIPF or low in census_names()


#: Two runs of letters joined by one hyphen on one line, nothing of a word or another hyphen beyond
#: (``sugge-ting``, ``a-nount``, ``Pir-ssuro``).
HYPHEN_INSIDE = regex.compile(r"(?<![\p{L}\d'’.\-])(\p{L}+)-(\p{L}+)(?![\p{L}\d'’\-])")
#: A reading of a single letter, a hyphen and a word must be this common (zipf): ``x-ray``, ``o-ring``, ``u-turn``
#: are compounds of a letter and a word, not ``array``, ``spring``.
LETTER_COMPOUND_ZIPF = 6.0


def _near_halves(head: str, tail: str, reading: str) -> bool:
    """Whether ``reading`` keeps the halves of ``head-tail`` where the tail is too short to tell much (one or
    two letters): the first and last letters, and all the others but one edit (``l-l`` -> ``all``; not ``dit-il``
    -> ``detail``). A longer tail may be read as far as the channel model reaches (``tolo-rriph`` ->
    ``telegraph``)."""
    if len(tail) > 2:
        return True
    joined, low = (head + tail).lower(), reading.lower()
    return low[:1] == joined[:1] and low[-1:] == joined[-1:] and Levenshtein.distance(joined, low) <= 1


def _repeated_halves(head: str, tail: str) -> bool:
    """A stammer or a reduplication, not a misread word: the tail opens with the head (``H-he``, ``w-what``) or
    the halves are as long and alike but for two edits (``Ah-ha``, ``Oh-ho``, ``zig-zag``, ``hanky-panky``)."""
    h, t = head.lower(), tail.lower()
    return t.startswith(h) or (len(h) == len(t) and Levenshtein.distance(h, t) <= max(2, len(h) - 2))


def hyphens_inside_words(text: str, corrector: Corrector, lex: Lexicon, taken: bytearray) -> list[Proposal]:
    """``sugge-ting`` -> ``suggesting``, ``a-nount`` -> ``amount``, ``hosplt-il`` -> ``hospital``: a hyphen the
    scan read inside a word, for one of its letters or for a speck. Not where the hyphen joins a compound: both sides
    words (``well-known``), the first a combining prefix (``pre-war``, ``ex-wife``), the letters written solid a
    word of their own (``co-op``, ``to-day``, ``e-mail``: spellings of ``coop``, ``today``), a capital after
    the hyphen (``Hsin-Ching``, ``Port-Arthur``), a single letter before a word (``x-ray``, ``o-ring``) unless
    the reading is one of the commonest words (:data:`LETTER_COMPOUND_ZIPF`) or before one or two letters (``k-th``,
    ``x-y``: notation), a stammer or a reduplication (``H-he``, ``Oh-ho``). The token is read whole by the
    noisy-channel corrector, whose channel model prices the hyphen as each letter and as a speck; kept when the
    likeliest reading is a vocabulary word that keeps the halves' letters but for an edit or two
    (:func:`_near_halves`)."""
    out: list[Proposal] = []
    for m in HYPHEN_INSIDE.finditer(text):
        head, tail = m.group(1), m.group(2)
        if (taken.find(1, m.start(), m.end()) != -1 or not tail.islower() or (lex.is_word(head) and lex.is_word(tail))
                or head.lower() in COMBINING_PREFIXES or lex.is_word(head + tail) or len(m.group()) > LONGEST_TOKEN
                or (len(head) == 1 and len(tail) <= 2) or _repeated_halves(head, tail)):
            continue
        decision = corrector.decide(m.group(), *_neighbours(text, m.start(), m.end()))
        reading = decision.reading
        if (reading == m.group() or not reading.isalpha() or decision.posterior < PROPOSE_FLOOR
                or not _near_halves(head, tail, reading) or not lex.attested(reading)):
            continue
        if len(head) == 1 and lex.is_word(tail) and lex.zipf(reading) < LETTER_COMPOUND_ZIPF:
            continue
        out.append(Proposal(m.start(), m.end(), reading, "hyphen-inside-word",
                            min(MAX_CONFIDENCE, round(decision.posterior, 3))))
    return out


def _paired_brace(text: str, m: regex.Match[str]) -> bool:
    """Whether the brace at the edge of the token ``m`` has its partner in the paragraph, within the reach the
    punctuation stage gives a speck's partner (:func:`pipeline.stages.punctuation.paragraph_reach`): a ``{``
    before a ``}``, a ``}`` after a ``{`` (``{the, a, an}``, ``\\textbf{bold}``). Then it encloses, it is no speck."""
    token = m.group()
    before, after = paragraph_reach(text, m.start(), m.end())
    if token.endswith("}"):  # closes what a ``{`` before it opened
        return "{" in before
    return token.startswith("{") and "}" in after  # opens what a ``}`` after it closes


def _mark_stood_for_letter(token: str, reading: str) -> bool:
    """Whether ``reading`` reads the mark of ``token`` as (part of) a letter: as long as the token (``w*s``:
    ``was``), or one or two shorter where a comma and the letters beside it were one letter (``war,nth``:
    ``warmth``, ``arr,ny``: ``army``, a stroke of the ``m`` read as a comma). A reading that merely drops the
    mark (``sto,red``: ``stored``) is the punctuation stage's ``stop-inside-word``."""
    if len(reading) == len(token):
        return True
    return "," in token and len(token) - 2 <= len(reading) < len(token) and reading != token.replace(",", "")


#: Highest confidence given to a correction: of the development corrections with a posterior above 0.9,
#: about 94% were right.
MAX_CONFIDENCE = 0.95
#: What may stand between two words for one to be the other's context: spaces and soft punctuation,
#: not a sentence end.
BETWEEN_WORDS = regex.compile(r"[\s,;\-\"'“”‘’()]{1,4}")
#: Marks that open a quotation or a parenthesis, and dashes: a capital right after one opens a sentence or a clause.
OPENING_MARKS = frozenset("\"“‘'([-—–")
#: The neighbouring words of a token for context: a word with only :data:`BETWEEN_WORDS` between.
WORD_BEFORE = regex.compile(r"(\p{L}+)" + BETWEEN_WORDS.pattern + "$")
WORD_AFTER = regex.compile(BETWEEN_WORDS.pattern + r"(\p{L}+)")


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The words before and after the token at ``start:end`` that are its context (:data:`WORD_BEFORE`,
    :data:`WORD_AFTER`; ``""`` where there is none)."""
    before = WORD_BEFORE.search(text, max(0, start - 40), start)
    after = WORD_AFTER.match(text, end)
    return before.group(1) if before else "", after.group(1) if after else ""


#: A full stop after a word that does not end the sentence (a small word or a number follows): the
#: word is an abbreviation (``31 okt. 1922``, ``Poln. sobr. soch.``), not a misreading of a word.
ABBREVIATION_STOP = regex.compile(r"\.\s*[\p{Ll}\d,;:]")
#: A number after a stop follows an abbreviation (``vol. 42``, ``Nos. 1``, ``Fig. 3``) only after a word this
#: short; after a longer one it opens the next item of a list (``the Bathurst Creek. 8. 42 acres``).
ABBREVIATION_BEFORE_NUMBER = 4


def _abbreviation(token: str, text: str, end: int) -> bool:
    """Whether the token ending at ``end`` is an abbreviation by the stop after it (:data:`ABBREVIATION_STOP`)."""
    m = ABBREVIATION_STOP.match(text, end)
    return m is not None and (not m.group()[-1].isdigit() or len(token) <= ABBREVIATION_BEFORE_NUMBER)


#: What ends a sentence before the next one's first word: a stop, then closing quotes or brackets, then space.
SENTENCE_END = regex.compile(r"(?:^|[.!?][\"”’'\)\]]*\s+|\n\s*\n\s*|^\s*)[\"“‘'\(\[]*$")


def sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (start of the text or of a paragraph, or after a
    ``.``, ``!`` or ``?``; opening quotes and brackets between)."""
    return bool(SENTENCE_END.search(text, max(0, start - 12), start))


#: A guillemet quotation: an opening guillemet before a capital, and the closing one (either way round: French
#: ``«…»``, German ``»…«``) after a letter or a stop, within :data:`GUILLEMET_REACH` characters of the paragraph.
GUILLEMET_QUOTE = regex.compile(r"[«»]\p{Lu}")
GUILLEMET_CLOSE = regex.compile(r"[\p{L}.,;:!?…][«»]")
GUILLEMET_REACH = 300


def _opens_guillemet_quote(text: str, start: int, token: str) -> bool:
    """Whether the token opens a quotation in guillemets (``«Comment allez-vous?»``, ``»Was ist das?«``): the mark
    is the quotation's, not a speck read for a letter as in ``«oro`` (``were``), whose letter after it is small."""
    if not GUILLEMET_QUOTE.match(token):
        return False
    ahead = text[start + 1:start + GUILLEMET_REACH].split("\n\n")[0]
    return GUILLEMET_CLOSE.search(ahead) is not None


def _pronoun_like(token: str, right: str, text: str, end: int) -> bool:
    """A capitalised pair of letters followed by a small word (``Ho said``, ``Wo are``): not an abbreviation
    or a title, which stand before a stop or a name (``Wm. Moylan``, ``Mr Smith``), so a misreading of a
    short word (``He``, ``We``) is weighed."""
    return (len(token) == 2 and token[0].isupper() and token[1].islower() and right[:1].islower()
            and not text.startswith(".", end))


def _lone_small_letter(token: str, left: str, right: str) -> bool:
    """A small letter standing alone between two words in small letters (``m the``, ``was n great``): English
    writes no such word but ``a`` (and ``o``, ``i`` only as capitals), so a short word the scan misread
    (``in``, ``a``) is weighed; not beside a capital or a mark, where it may be an initial, a label or a variable
    (``(b)``, ``x = 2``)."""
    return (len(token) == 1 and token.islower() and token not in LONE_LETTER_WORDS and len(left) > 1
            and left.islower() and len(right) > 1 and right.islower())


#: The small letters English writes alone as words: the article only (``o`` and ``i`` are words as capitals).
LONE_LETTER_WORDS = frozenset({"a"})


#: A unit's case after a number (``455 kHz``, ``40 dB``, ``5 mW``); a brand's is :data:`CAMEL_CASE`.
UNIT_AFTER_NUMBER = regex.compile(r"\d[ \u00a0]?$")


def _deliberate_case(token: str, text: str, start: int, lex: Lexicon, clean: bool) -> bool:
    """A spelling whose case is chosen: a brand written in camel case or a unit (a capital after a small letter,
    at most four letters) just after a number. OCR misreads ``l`` as ``I`` (``tIle``), which stays weighed. Camel
    case is taken as chosen where a word list knows the token (``iPhone``, ``eBay``) or the text is ``clean`` (an
    unknown brand, a program's ``isValid``); in a noisy text an unknown one is a small letter read as a capital
    (``isBued``, ``baTels``, ``foUowing``): all 22 camel-case tokens of the OverProof development OCR are such."""
    if CAMEL_CASE.fullmatch(token):
        return clean or lex.zipf(token) > 0
    return (len(token) <= 4 and any(c.isupper() for c in token) and any(c.islower() for c in token)
            and bool(UNIT_AFTER_NUMBER.search(text, max(0, start - 2), start)))


def _aphetic(token: str, reading: str, text: str, start: int) -> bool:
    """A word after an apostrophe that marks letters left out at its start (``'mongst``, ``'neath``, ``'twould``
    for *it would*), where the reading only puts them back (``amongst``) or drops the elided *it* (``would``):
    printed so, no misreading."""
    if start == 0 or text[start - 1] not in "'’":
        return False
    low, read = token.lower(), reading.lower()
    return (len(read) > len(low) and read.endswith(low)) or (low[:1] == "t" and low[1:] == read)


def _elided(token: str, text: str, end: int) -> bool:
    """A short word with an apostrophe for letters left out (``tho'``, ``thro'``, ``o'``): printed so."""
    return len(token) <= 4 and ELISION.match(text, end) is not None


#: An apostrophe after a word, not followed by a letter (an elision mark or a closing quote).
ELISION = regex.compile(r"['’](?!\p{L})")


def _glued_fragment(text: str, start: int) -> bool:
    """A token joined to the word before it by a stray stop or comma (``whis.pered``): a word the scan
    split, for the punctuation stage to join, not a word of its own to correct."""
    return start > 1 and text[start - 1] in ".," and text[start - 2].isalpha()


def _in_compound(text: str, start: int, end: int) -> bool:
    return (start > 1 and text[start - 1] == "-" and text[start - 2].isalpha()) or (
        end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha())


def _foreign(word: str, lex: Lexicon, corrector: Corrector) -> bool:
    """A plausible word of four letters or more that no source knows: beside one, a plausible token
    is taken as part of a phrase in another language (``das kloster sey``), not as a misreading. Plausible: no
    spelling impossible in English, and letters that spell like words of the European languages do (a
    shortfall below :data:`FOREIGN_MAX_SHORTFALL` in the letter model: ``kloster`` 0.7, ``weltanschauung`` 3.6;
    a garble such as ``vlolonllj`` 8.2 or ``lensonnblo`` 5.8 is no word of any language)."""
    if not (len(word) >= 4 and word.islower() and not impossible(word) and not lex.is_word(word)
            and not lex.attested(word)):
        return False
    return corrector.letters is None or corrector.letters.shortfall(word) < FOREIGN_MAX_SHORTFALL


#: The letter model's shortfall (:meth:`~pipeline.correction.letters.LetterModel.shortfall`) from which an unknown
#: neighbour is taken as garbled English rather than a word of another language (see :func:`_foreign`).
FOREIGN_MAX_SHORTFALL = 5.0


#: The commonest words of English (``the``, ``and``, ``of``, ``to``, ``a``, ``in``, ``is``, ``that``, ``for``,
#: ``his``, ``he``, ``be``, ``it``, ``with``, ``was``: zipf 6.5 and above) are spelled and paired alike in every
#: period since 1600, so a real word read for one of them is corrected in an old text too, between two plainly
#: English words (``and bis wife`` -> ``his``: ICDAR development cut 47.05% -> 47.89%; at 7.0 ``bis`` stayed).
STABLE_ZIPF = 6.5
#: A neighbour is plainly English when the curated dictionary has it at least this common (zipf).
ENGLISH_ZIPF = 4.0


def _far_short_reading(token: str, reading: str) -> bool:
    """A reading two edits or more from a short token (``wu`` -> ``was``; :meth:`Corrector.common_near`): so
    short a token is as near many words of another language, so only English neighbours make it a misreading."""
    return len(token) <= SHORT and Levenshtein.distance(token.lower(), reading.lower(), score_cutoff=2) >= 2


def _among_english(left: str, right: str, lex: Lexicon) -> bool:
    """Whether a token stands among English words: each neighbour it has is one (:func:`_english`), and it
    has one at least."""
    return bool(left or right) and all(_english(w, lex) for w in (left, right) if w)


def _beside_foreign(left: str, right: str, lex: Lexicon) -> bool:
    """Whether a neighbour is a word in small letters that some word list knows but the curated English
    dictionary does not (``hoc``, ``von``, ``der``): a sign of another language, where a garble (``nOU``) is none
    and a capitalised neighbour is likelier a name."""
    return any(w and w.islower() and w not in lex.dictionary and lex.zipf(w) > 0 for w in (left, right))


def _english(word: str, lex: Lexicon) -> bool:
    """A neighbour that is a common word of the curated English dictionary (``by``, ``fire``; not ``ein``)."""
    return bool(word) and word.lower() in lex.dictionary and lex.zipf(word) >= ENGLISH_ZIPF


#: Capital letters a short acronym has (``LTS``, ``NHS``; a longer capitalised token may be a headline word).
ACRONYM_LETTERS = (2, 4)


def _acronym_in_running_text(token: str, left: str, right: str) -> bool:
    """A short token all in capitals beside a word in small letters (``Ubuntu 22.04 LTS and``, ``the NHS
    clinic``) is an acronym, printed so on purpose; in a headline set in capitals (``AND JTS MEANING``) it is
    weighed like any word."""
    low, high = ACRONYM_LETTERS
    return (low <= len(token) <= high and token.isalpha() and token.isupper()
            and any(any(c.islower() for c in w) for w in (left, right)))


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether the words ending at ``end`` and starting at ``start`` are each other's context: only soft marks
    between them (:data:`BETWEEN_WORDS`) and no paragraph break (a heading's last word is no context for the
    paragraph's first: ``The early years`` / ``It was``)."""
    return bool(BETWEEN_WORDS.fullmatch(text, end, start)) and text.count("\n", end, start) < 2


#: Share of its lower-case words from which a text counts as spelled the Early Modern English way.
EARLY_MODERN_SHARE = 0.015


def early_modern_spelling(text: str, lex: Lexicon) -> bool:
    """Whether a text spells as English did before about 1700: at least :data:`EARLY_MODERN_SHARE` of
    its lower-case words are that orthography's regular variants (:func:`pipeline.lexicon.early_modern_share`).
    In such a text an unknown word is more likely the text's own spelling than a misreading."""
    return early_modern_share(text, lex) >= EARLY_MODERN_SHARE


def needs_repair(w: str, lex: Lexicon) -> bool:
    """Tokens with symbols or digits among letters, or letter tokens nobody attests."""
    letters = sum(ch.isalpha() for ch in w)
    if letters == 0 or (letters < len(w) / 2 and not TWO_LETTERS.search(w)) or NUMBER_LIKE.fullmatch(w):
        return False  # numbers, ordinals (``1st``, ``11th``) and codes
    if LETTERS_ONLY.fullmatch(w) and not mixed_case(w):
        if len(w) < 3 or w.isupper() and len(w) <= 4:
            return False  # short words and abbreviations are too ambiguous to touch
        core = w.strip("'")
        if lex.corpus_count(core) >= 2 and core.lower() not in lex.dictionary and lex.zipf(core) < 2.0:
            return True  # vouched for only by its own repetitions: a repeated misreading may be one
        return not lex.attested(core) and not lex.is_word(core) and archaic_base(core, lex) is None
    return True


def impossible(w: str) -> bool:
    """A token no spelling system produces: digits or symbols among letters, a capital after a
    small letter (``shaU``, ``KoIchak``), or a small letter before a capital at the start (``vVhites``).

    Such tokens are OCR artefacts for certain; a plausible-looking unknown word (``hindred``)
    may be an old or rare spelling and is treated far more cautiously."""
    if NOT_LETTER.search(w):
        return True
    return mixed_case(w) or bad_onset(w)


#: Two consonants that begin words of English or of the names it borrows (``Vladivostok``,
#: ``Khabarovsk``, ``Djerzhinsky``, ``Tsar``, ``Pskov``, ``Mnemosyne``); any other pair at the start of
#: a word (``Hkewise``, ``Mdes``, ``tdl``) is a misreading.
ONSETS = frozenset("""bl br ch cl cr cz dh dj dn dr dv dw dz fj fl fr gd gh gl gn gr gv gw hr hs hv hw kh kl
kn kr kv kw lj ll mb mn nd ng nh nj nk nt ph pf pl pn pr ps pt rh sc sf sh sk sl sm sn sp sq sr st sv sw sz th
tr ts tv tw tz vl vr wh wl wr zb zh zl zv zw""".split())
VOWELS = frozenset("aeiouyàáâäæèéêëìíîïòóôöøùúûüœ")


def bad_onset(w: str) -> bool:
    """Whether a word starts with two consonants that begin no word (see :data:`ONSETS`)."""
    if len(w) < 3 or not w[:2].isalpha():
        return False
    pair = w[:2].lower()
    return pair[0] not in VOWELS and pair[1] not in VOWELS and pair not in ONSETS


def candidates(w: str) -> dict[str, float]:
    """Strings reachable from ``w`` by at most MAX_STEPS confusions, with their channel cost.

    The ``~`` of the token as scanned is filled in separately (nothing, one or two letters),
    so the wildcard never multiplies the confusion search. Empty for a token longer than
    :data:`LONGEST_TOKEN` (their number grows with the cube of its length).
    """
    seen = dict(_confusion_candidates(w))
    for filled, cost in _wildcard_candidates(w):
        if cost < seen.get(filled, 99):
            seen[filled] = cost
    seen.pop(w, None)
    return seen


@lru_cache(maxsize=4096)
def _confusion_candidates(w: str) -> dict[str, float]:
    """The confusion part of :func:`candidates` (``w`` itself included at cost 0), memoised for the last
    4,096 tokens: at most a few thousand strings of at most :data:`LONGEST_TOKEN` characters per token
    (about 10 KB for a word of ten letters)."""
    if len(w) > LONGEST_TOKEN:
        return {}
    seen: dict[str, float] = {w: 0.0}
    frontier = {w: 0.0}
    for _ in range(MAX_STEPS):
        nxt: dict[str, float] = {}
        for form, cost in frontier.items():
            for src, dst, c in CONFUSIONS:
                start = form.find(src)
                while start != -1:
                    new = form[:start] + dst + form[start + len(src):]
                    total = cost + c
                    if total < seen.get(new, 99):
                        seen[new] = nxt[new] = total
                    start = form.find(src, start + 1)
        frontier = nxt
    return seen


def _wildcard_candidates(w: str) -> list[tuple[str, float]]:
    """The wildcard part of :func:`candidates`: the ``~`` of ``w``, or its runs of digits and symbols
    between letters, filled with nothing, one or two letters. Not memoised: two wildcards make half a
    million strings, which a cache would keep long after the token."""
    if len(w) > LONGEST_TOKEN:
        return []
    out: list[tuple[str, float]] = []
    for form, base in ((w, 0.0), (INNER_JUNK.sub(WILDCARD, w), JUNK_AS_WILDCARD)):
        out.extend((filled, base + extra) for filled, extra in _fill_wildcards(form))
    return out


def _fill_wildcards(form: str) -> list[tuple[str, float]]:
    """Every way to fill the ``~`` of a form (at most two of them), with the added cost."""
    k = form.find(WILDCARD)
    if k == -1:
        return []
    out: list[tuple[str, float]] = []
    for rep, extra in WILDCARD_FILLS:
        new = form[:k] + rep + form[k + 1:]
        cost = WILDCARD_COST + extra
        if WILDCARD in new:
            if new.count(WILDCARD) > 1:
                continue
            out.extend((n, cost + c) for n, c in _fill_wildcards(new))
        else:
            out.append((new, cost))
    return out


def correct_word(w: str, lex: Lexicon, standard: bool = False,
                 context: tuple[str, str] = ("", ""), force: bool = False) -> tuple[str, float] | None:
    """The best attested candidate for ``w`` and a confidence, or None to leave it alone.

    ``standard``: the text is in standard spelling (:func:`standard_spelling`), so a
    plausible-looking unknown word may also be corrected towards a common dictionary word.
    ``context``: the words before and after; a candidate the corpus shows next to them
    (``Maritime Region``) is preferred.
    """
    if len(w) > LONGEST_TOKEN or (not force and not needs_repair(w, lex)):
        return None
    strange = impossible(w)
    # a token no spelling produces costs what an unknown word costs, even where its
    # lower-cased letters happen to spell a word (``decIded``)
    base = lex.cost(w) if w.isalpha() and not strange else 8.0 + 0.8 * len(w)
    if w.lower() not in lex.dictionary and lex.zipf(w) < 2.0:
        base = max(base, 8.0 + 0.8 * len(w))  # its own repetitions are no evidence of a word
    repeats = lex.tokens.get(w.lower(), 0)
    best: tuple[float, str, float] | None = None
    static, corpus = lex.static_words(), count_tables(lex.corpus)
    for cand, channel in candidates(w).items():
        low = cand.lower()
        if not (low in static or low[:-1] in static or low[:-2] in static):
            for d in corpus:
                if low in d or low[:-1] in d or low[:-2] in d:
                    break
            else:
                continue  # no source knows the word (or its base without ``'s`` / ``s``): the tests below fail
        if not WORD_FORM.fullmatch(cand):
            continue
        if not strange and repeats >= 2 and not (
                channel <= 1.0 and lex.tokens.get(cand.lower(), 0) >= DOMINANCE * repeats):
            continue  # a spelling the document repeats is its own, unless a neighbour dominates
        if not lex.attested(cand) and not (strange and (lex.corpus_count(cand) >= 1 or lex.zipf(cand) > 1.0
                                                        or (cand.endswith("s") and lex.zipf(cand[:-1]) > 1.0))):
            continue  # a token that is certainly wrong may become any word some source knows
        if not strange and lex.corpus_count(cand) < 2 and not (
                standard and lex.zipf(w) == 0 and cand.lower() in lex.dictionary
                and lex.zipf(cand) >= STANDARD_MIN_ZIPF):
            # a plausible-looking word is only corrected towards a word the corpus uses, or, in a
            # standard-spelling text, when no source knows it at all (``fiats``, ``Sobor`` are words)
            continue
        if not _case_ok(cand) or (w[0].isupper() and cand[0].islower() and cand[0] == w[0].lower()):
            continue  # a capital stays a capital unless a confusion replaced it (``Hkewise`` -> ``likewise``)
        total = channel * 3.0 + lex.cost(cand) + _case_penalty(cand, lex)
        bonus = CONTEXT_BONUS if ((context[0] and lex.corpus_pair(context[0], cand) >= 2) or (
            context[1] and lex.corpus_pair(cand, context[1]) >= 2)) else 0.0
        if best is None or total - bonus < best[0] - best[2]:
            best = (total, cand, bonus)
    if best is None:
        return None
    # context chooses between candidates; it never pushes a weak correction over the line
    gain = base - best[0] if not strange else base - best[0] + best[2]
    if gain < MIN_GAIN:
        return None
    return best[1], min(0.97, 0.5 + gain / 12)


def _case_penalty(cand: str, lex: Lexicon) -> float:
    """A small-letter candidate the corpus nearly always prints capitalised (``japanese`` where
    ``Japanese`` is everywhere) costs more; capitals are never penalised (sentence starts)."""
    capital = lex.cased.get(cand.capitalize(), 0)
    if cand.islower() and capital >= 3 and lex.cased.get(cand, 0) * 10 <= capital:
        return CASE_PENALTY
    return 0.0


def _case_ok(word: str) -> bool:
    """Lower case, Capitalised or ALL CAPS: OCR fixes must not leave mixed case behind."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())
