"""The noisy-channel corrector: for each word, the reading that best explains what was scanned.

For a scanned token ``o`` between neighbours ``l`` and ``r``, every candidate word ``w``
(the token itself, and the vocabulary words the deletion index finds near it) is scored

    log P(o | w) + log P(w | l) + log P(r | w)

with the learned channel model (:mod:`pipeline.correction.channel`) and the word model
(:mod:`pipeline.correction.wordmodel`). The posterior of each candidate is its share of the
summed probabilities; the best candidate replaces the token when it is not the token itself,
and the edit's confidence is that posterior. This is OverProof's "context beats confusion"
(Evershed & Fitch 2014) with Brill & Moore's channel.

The token itself is a candidate too: a known word with its word probability, an unknown
word with :data:`OOV_LOGP` (names, rare and old spellings are real words the lexicon does
not know), and a token no spelling produces (digits or symbols among letters, a capital
after a small letter) with the far smaller :data:`IMPOSSIBLE_LOGP`.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import regex
from rapidfuzz.distance import Levenshtein

from pipeline.correction.cache import BoundedCache
from pipeline.correction.census import census_names, name_shortfall
from pipeline.correction.channel import BOUNDARY, SHAPE_CONFUSIONS, ChannelModel, IntactWords, blocks, document_rates
from pipeline.correction.index import DeletionIndex, LayeredIndex
from pipeline.correction.letters import LetterModel
from pipeline.correction.search import ConfusionSearch
from pipeline.correction.wordmodel import LOG_BACKOFF, WordModel
from pipeline.lexicon import Lexicon, archaic_base, mixed_case, per_static_sources

#: log10 probability of an unknown but plausible word (a name, a rare or old spelling): what
#: the token itself is worth when the lexicon does not know it. Calibrated on development pairs
#: (``benchmarks/calibrate.py``) so that clean text is left alone.
OOV_LOGP = -9.0
#: A capitalised unknown word is more likely a name than a misreading.
CAPITAL_OOV_BONUS = 2.0
#: How much (log10) an unknown token loses per log10 unit that it spells less probably than a typical word
#: (:meth:`pipeline.correction.letters.LetterModel.shortfall`): calibrated on development pairs.
LETTER_WEIGHT = 0.5
#: A text whose noise scales the channel's error probabilities by at most this (log10; see
#: :meth:`Corrector.adapt`) is clean: there an unknown token is not judged by its spelling.
CLEAN_SHIFT = 0.0
#: ...in a text of a period's own spelling (``hee``, ``bookes``: Early Modern English); a text in modern
#: spelling is judged clean only when it is markedly cleaner than the training OCR, since an odd spelling there
#: is rarely the writer's. The ground truth of the Sydney Morning Herald development articles measures at most
#: -0.31 (log10 noise ratio, :meth:`Corrector.adapt`), a fifth of their raw OCR below -0.45.
MODERN_CLEAN_SHIFT = -0.45
#: ...and only on evidence: a text with fewer impossible tokens than this (:func:`impossible`: ``w1th``, ``tIle``)
#: stays clean up to :data:`CLEAN_SHIFT` whatever its estimated noise (a short text, or a clean one with a few
#: romanized names such as ``Ch'angch'un``).
NOISE_EVIDENCE = 3
#: ...except one whose shortfall exceeds this (log10): fewer than one in ten unknown words of the development
#: ground truth (names, old and foreign spellings) fall short by more, against half of the unknown misreadings.
CLEAN_SHORTFALL = 3.0
#: log10 odds in favour of a dictionary word as printed against a misreading that context prefers:
#: real-word errors are corrected only on strong evidence (calibrated on development pairs).
REAL_WORD_BONUS = 0.0
#: How much rarer (log10) an older inflection no list knows (``crost``) is taken to be than its modern form.
ARCHAIC_COST = 1.0
#: A word only the broad frequency list knows counts as a word from this zipf on, at its frequency
#: less a discount (log10; the list also holds web fragments and misspellings).
BROAD_ZIPF = 3.0
BROAD_DISCOUNT = 1.0
#: log10 probability that a word English writes in small letters is printed with a capital between
#: two small words (a name that is also a word: ``Bell``, ``Hay``); the misreading ``In`` for ``in``
#: is priced by the channel.
CAPITAL_INSIDE_LOGP = -3.0
#: log10 cost, in a clean text, of a word that is no census name in a personal name's place (``Mr. Hore`` read as
#: ``Mr. Here``): there a capitalised token is a name far more often than a misread common word. In a noisy text
#: the misreadings are too many to tell so (no cost). No OverProof, ICDAR or pamphlet development figure moved.
NAME_PLACE_WORD_COST = 2.0
#: Dictionary words longer than this are taken as printed...
LONG_WORD = 5
#: ...unless it is rarer than this (zipf): ``mooting`` and ``coiner`` are likelier ``meeting`` and ``corner`` misread.
RARE_LONG_ZIPF = 3.0
#: Zipf from which a word is common enough to be read in small letters without the document's own evidence.
COMMON_SMALL_ZIPF = 6.0
#: log10 P(a capital read | its small letter printed) from which a capitalised word between small words is weighed
#: as the small word misread (``It Is only``, ``roclo Intersected by``): ``I`` for ``i`` is about -1.0 in the
#: shipped channel model, other letters -2.7 and below. See :meth:`Corrector._likely_case_misreading`.
LIKELY_CASE_LOGP = -1.5
#: ... for a word at least this common (zipf); rarer words are mostly names or terms a text capitalises.
CASE_MISREAD_ZIPF = 2.0
#: Words after which a capitalised word is a name's (``the Institution``), whatever its letters' confusions.
ARTICLES = frozenset("the a an this these those".split())
#: log10 probability of a token that no spelling produces (``w1th``, ``tIle``, ``»as``).
IMPOSSIBLE_LOGP = -12.0
#: log10 prior odds against changing a token at all (precision first): calibrated on development
#: pairs so that a posterior of 0.5 is right about half the time and clean text is left alone.
CHANGE_COST = 1.0
#: Candidates farther than this many edits are not considered.
MAX_EDITS = 2
#: Tokens this short are compared only with words one edit away (two edits reach too many words).
SHORT = 3
#: How far (log10) below the best reading a candidate may be and still be weighed in context: the
#: most a word pair can add.
CONTEXT_REACH = 5.0
#: Rough log10 cost of one edit, to choose which candidates the channel prices (at most MAX_PRICED).
ROUGH_EDIT_COST = 1.2
MAX_PRICED = 16
#: At most this many shared-vocabulary candidates of a token are kept between documents.
MAX_STATIC = 24
#: Tokens whose static readings a corrector's shared cache keeps (least recently used ones are dropped; about
#: 3 KB each).
MAX_SHARED = 10_000
#: Tokens whose first ranking of neighbours (:meth:`Corrector.ranked_near`) is kept for another channel's reading.
MAX_RANKED = 20_000
#: Tokens this long or longer are also searched for far candidates (:meth:`Corrector.far_candidates`).
FAR_MIN = 5
#: At most this many candidates are weighed in context.
MAX_READINGS = 12
#: Longest token (characters) the corrector reads: a longer one is glued words or noise (the spacing stage's
#: work), and undoing confusions in it would cost time and memory growing with the cube of its length.
LONGEST_TOKEN = 40
#: A confusion the channel expects at least this often (log10 per block; a document's own rate, see
#: :func:`~pipeline.correction.channel.document_rates`) explains a token's repetition in the corpus.
SYSTEMATIC_LOGP = -1.0
#: A token's repetition in the corpus is explained by misreadings of a word along confusions at least this
#: likely (log10, the whole word; see :meth:`Corrector.explained`), when the word is at least this common
#: (log10) or the corpus prints it DOMINANCE times as often as the token.
EXPLAINED_LOGP = -3.0
EXPLAINED_WORD_LOGP = -6.0
#: A repeated plausible spelling is still a misreading when a neighbour one confusion away is this many
#: times more frequent in the corpus (``Sernyonov`` twice beside ``Semyonov`` fifty times).
DOMINANCE = 5
#: Share of a word's uses printed with a capital (opening a sentence, in a heading or a title) where it is no
#: name: the prior of the capital against the small letter where a misread first letter says nothing of its case.
CAPITAL_USE_SHARE = 0.1
#: Lowest posterior for which a correction is proposed at all (below it nothing is recorded).
PROPOSE_FLOOR = 0.3

#: A word token as the corrector sees it: letters, with digits or symbols that OCR puts among them
#: (``w1th``, ``»as``, ``week«``); apostrophes and ``!`` only inside. A word right after an opening single quote
#: or an apostrophe that follows no letter (``'Wliat shall we do?'``, ``'twas``) is a token too; after a letter's
#: apostrophe it is part of that word (``o'clock``), never a token of its own.
TOKEN = regex.compile(r"(?<![\p{L}\d«»£|!])(?<![\p{L}\d«»£|!]['’])[\p{L}\d«»£|]+(?:[!'’][\p{L}\d«»£|]+)*")
#: Tokens the corrector leaves to others: numbers with an ordinal suffix or a unit (``1st``, ``10s``, ``5ft``,
#: ``3lb``, ``2pm``), numbers of two digits or more with a short suffix (``1860s``, ``20mm``), Roman numerals
#: in capitals. One digit before other letters (``1t``, ``0f``) is a letter misread, not a number.
NUMBER_SUFFIXES = ("st|nd|rd|th|d|s|c|p|m|k|x|g|h|l|am|pm|ft|in|yd|yds|lb|lbs|oz|mm|cm|km|kg|mg|ml|hr|hrs|min|sec"
                   "|yr|yrs|mo|mph|kph|mb|kb|gb|v|w|kw|hp|bc|ad")
NUMBER_LIKE = regex.compile(rf"\d[\d.,]+\p{{L}}{{0,3}}|\d(?i:{NUMBER_SUFFIXES})?|[IVXLCDM]+")
#: A digit among letters is read as a letter only along a confusion at least this likely (log10 per block,
#: as the channel prices it: ``1`` for ``I``/``l``, ``0`` for ``o``, ``5`` for ``s``); a token whose digits
#: no such confusion explains was written so (``gr8``, ``MP3``, ``4ever``).
DIGIT_BLOCK_LOGP = -3.5
#: The pronoun ``I`` and its contractions (``I'm``, ``I’ll``), written with a capital wherever they stand.
PRONOUN_I = regex.compile(r"I(?:['’]\p{Ll}+)?$")
LETTERS = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")


class Reading(NamedTuple):
    """A candidate reading of a token: the word in the token's letter case, the word, and the
    channel's log10 P(token | reading) over ``blocks`` confusion blocks (a named tuple: the shared cache
    of :meth:`Corrector.static_readings` holds some dozens per token)."""

    reading: str
    word: str
    channel: float
    blocks: int


@dataclass(frozen=True)
class Correction:
    """The corrector's decision on one token: the reading chosen and its posterior probability.

    ``alternatives``: the best readings with their posteriors (the token itself included), best first.
    """

    scanned: str
    reading: str
    posterior: float
    alternatives: tuple[tuple[str, float], ...]


#: Letters from which a word in capitals but one small letter (``COUNTnY``) is read as a word in capitals.
MOSTLY_CAPITALS = 4


def case_like(word: str, model: str) -> str:
    """``word`` in the letter case of ``model`` (``THE``, ``The``, ``the``); a name's prefix that keeps a capital
    after it in ``model`` keeps it in the word too (``McKlbbln``: ``McKibbin``, ``O'Brlen``: ``O'Brien``)."""
    mode = _case_mode(model)
    if mode == "upper":
        return word.upper()
    if mode == "title":
        return prefix_capital(word[:1].upper() + word[1:], model)
    return word


def prefix_capital(word: str, model: str) -> str:
    """``word`` with the capital after a surname's prefix (:data:`NAME_PREFIX`) where ``model`` prints one and
    ``word`` has the same prefix: ``Mckibbin`` after ``McKlbbln`` is ``McKibbin``."""
    prefix = NAME_PREFIX.match(model)
    if prefix is None:
        return word
    k = len(prefix.group(1))
    if len(word) > k and word[:k].lower() == prefix.group(1).lower():
        return word[:k] + word[k].upper() + word[k + 1:]
    return word


#: The prefixes of Gaelic and Norman surnames that a capital follows (``McKibbin``, ``MacDonald``, ``O'Brien``,
#: ``FitzGerald``), where a token prints one.
NAME_PREFIX = regex.compile(r"(Mc|Mac|Fitz|O['’])(?=\p{Lu})")


@lru_cache(maxsize=65536)
def _case_mode(model: str) -> str:
    """How :func:`case_like` writes a word after ``model``: ``upper``, ``title`` or ``as is``."""
    letters = [c for c in model if c.isalpha()]
    small = sum(1 for c in letters if c.islower())
    if len(letters) > 1 and (small == 0 or (len(letters) >= MOSTLY_CAPITALS and small == 1 and letters[0].isupper())):
        return "upper"  # a word in capitals, also with one letter misread as a small one (``COUNTnY``)
    if letters and letters[0].isupper() and model[0] in (letters[0], "»", "«", "|", "!", "1", "'"):
        return "title"
    return "as is"


def impossible(token: str) -> bool:
    """A token no spelling produces: digits or symbols among letters, or a capital after a small letter."""
    return not LETTERS.fullmatch(token) or mixed_case(token)


#: Share of the tokens of running text that are uses of personal names: a word's uses as a name are about this
#: share times the word's census share (:func:`pipeline.correction.census.census_names`), and its uses of every kind
#: its frequency in the broad list, which counts name uses too (so the estimate leans to small letters). Calibrated
#: on the development ground truth (SMH, ICDAR, pamphlet): for the 815 census words printed mid-sentence three
#: times or more, 0.01 tells the case they are mostly printed in for 77% (0.003: 68%; 0.03: 81%, but then common
#: words that are also common surnames, ``brown``, count as names). See :meth:`Corrector.capital_share`.
NAME_TEXT_SHARE = 0.01

#: Zipf frequency from which a census name is common enough that, in a clean text, a capitalised spelling no source
#: knows one likely misreading away is read as that name (:meth:`Corrector._misread_name`: ``Oleveland``).
MISREAD_NAME_ZIPF = 3.0
#: The least share of a word's uses as a personal name (:meth:`Corrector.capital_share`) for it to be read as a
#: misread name's reading: ``cleveland`` 0.09, ``gladstone`` 0.06, not ``loose`` 0.003 or ``overall`` 0.001.
MISREAD_NAME_SHARE = 0.03

#: How much less probable (log10) than a typical word, and than a typical census name, a capitalised token no source
#: knows must spell for a noisy text to lose its allowance as a name (:meth:`Corrector._unlike_a_name`): on the
#: development OCR of the Sydney Morning Herald (noisy articles), 2 of the 264 such unknown capitalised tokens
#: beyond 3.0 are printed so in the ground truth, against 5 of 322 beyond 2.0.
NAME_SHORTFALL = 3.0
#: ...when the channel reads it as a vocabulary word along confusions it knows, at least this likely (log10, the
#: whole word; about -6.04 is the price of a block of confusions never seen in training, ``Rnxbo`` as ``Rambo``):
#: a spelling that is nobody's name but no known misreading either is left as printed.
UNLIKE_READING_LOGP = -6.0
#: A capitalised token no source has ever printed loses its allowance as a name in a noisy text when it reads as a
#: vocabulary word along confusions at least this likely (log10, the whole word: ``Schoolmastor``, ``Saddlory``),
#: however rare the word (:meth:`Corrector._plain_misreading`). Calibrated on the development OCR (-3.5 to -5.0
#: give the same cut within 0.05 point; the names of the ICDAR monographs, ``Esrom``, read as words only at -6).
GARBLE_READING_LOGP = -4.0

#: Zipf frequency from which a common word is never dropped from a token's end (:meth:`Corrector.drops_a_word`).
DROPPED_WORD_ZIPF = 5.0
#: Zipf frequency from which a word is among the commonest (about 300 words: ``the``, ``was``, ``are``,
#: ``him``), weighed as a reading of every short token within two edits (:meth:`Corrector.common_near`).
COMMON_CANDIDATE_ZIPF = 5.5
_COMMON: dict[tuple[int, ...], tuple[tuple[object, ...], dict[int, tuple[str, ...]]]] = {}

#: Weight of each of a document's confident corrections when the channel adapts to it. Measured where it matters,
#: on OverProof articles held out of the channel's training (``benchmarks/heldout.py``, two folds): 20 cuts 23.32% of
#: their errors, 60 23.60%, 120 23.82%, 250 23.80%; with the shipped model 32.15% and 32.40% at 20 and 120, clean
#: text left alone as much. A channel trained on the very articles it corrects knows their confusions already,
#: so the development figure undervalues what a document's own corrections teach.
ADAPT_WEIGHT = 120
#: Smoothing of a text's noise estimate: pseudo-counts of impossible tokens and of tokens.
NOISE_PSEUDO = (2, 200)
#: Share of unknown words (two letters or more, no word list knows them) in clean text: the 90th percentile
#: of the development ground truth in modern spelling (Sydney Morning Herald articles 0.035, the pamphlet
#: 0.029; medians 0.011 and 0.013). See :func:`unknown_share` and :meth:`Corrector.adapt`.
CLEAN_UNKNOWN_SHARE = 0.03
#: Smoothing of a text's unknown-word share: pseudo-counts of unknown words and of words.
UNKNOWN_PSEUDO = (1, 30)
#: A text in modern spelling more of whose small-letter words than this are garbles of common words
#: (:meth:`Corrector.garbled_words`; :data:`NOISE_EVIDENCE` of them at least) is not clean, however few its
#: impossible tokens: the ground truth of the Sydney Morning Herald development articles has at most 2.3%, their
#: OCR up to 20%.
NOISY_GARBLED_SHARE = 0.03
#: ...and its noise (:meth:`Corrector.adapt`) is at least its share of such garbles against this one, which stands for
#: the training OCR's noise (calibrated on the development OCR: 0.02-0.03 give the same cut within 0.1 point).
GARBLED_TRAINED_SHARE = 0.02
#: Small-letter words a text's garbles are counted over (its first ones: see :meth:`Corrector.garbled_words`).
NOISE_SAMPLE = 100_000
#: Noise assumed for a model that does not record its training noise.
NOISE_PRIOR = 0.015
#: Bounds of the factor by which a text's noise scales the channel's error probabilities.
NOISE_RANGE = (0.1, 3.0)


#: A confusion is undone when looking for candidates if the channel gives it at least this log10 probability.
REWRITE_LOGP = -2.0
REWRITE_MIN_COUNT = 3
#: A second confusion in the same word is undone only among this many likeliest.
SECOND_REWRITES = 40
#: At most this many confusions are undone (the likeliest).
MAX_REWRITES = 200


#: The likely confusions of the last few channel models (a document's adapted model among them).
_LIKELY: BoundedCache[int, tuple[ChannelModel, list[tuple[str, str]]]] = BoundedCache(8)


def likely_confusions(channel: ChannelModel) -> list[tuple[str, str]]:
    """:func:`find_likely_confusions`, once per model (of the last few)."""
    hit = _LIKELY.get(id(channel))
    if hit is None or hit[0] is not channel:
        hit = (channel, find_likely_confusions(channel))
        _LIKELY[id(channel)] = hit
    return hit[1]


#: Tables of :func:`rewrite_table` for the last few lists of confusions.
_TABLES: BoundedCache[int, tuple[list[tuple[str, str]], RewriteTable]] = BoundedCache(8)


class RewriteTable:
    """Confusions to undo, looked up by what was scanned: for each scanned string, the printed strings with
    their rank in the list (the likeliest first), and the lengths of the scanned strings."""

    def __init__(self, rewrites: list[tuple[str, str]]) -> None:
        self.by_scanned: dict[str, list[tuple[int, str]]] = {}
        for rank, (scanned, printed) in enumerate(rewrites):
            self.by_scanned.setdefault(scanned, []).append((rank, printed))
        self.lengths = sorted({len(scanned) for scanned in self.by_scanned})
        #: per rank limit (None: all), the printed strings of each scanned string and the scanned lengths
        self._ranked: dict[int | None, tuple[dict[str, list[str]], list[int]]] = {}

    def _below(self, limit: int | None) -> tuple[dict[str, list[str]], list[int]]:
        """The printed strings of each scanned string among the confusions of rank below ``limit`` (all:
        None), and the lengths of those scanned strings; made once per limit."""
        hit = self._ranked.get(limit)
        if hit is None:
            table = {scanned: printed for scanned, entries in self.by_scanned.items()
                     if (printed := [p for rank, p in entries if limit is None or rank < limit])}
            hit = self._ranked[limit] = (table, sorted({len(scanned) for scanned in table}))
        return hit

    def undo(self, token: str, limit: int | None = None) -> set[str]:
        """The token with one of the confusions of rank below ``limit`` (all: None) undone, every way:
        one dictionary read per position and length instead of a scan of the token per confusion."""
        out: set[str] = set()
        table, lengths = self._below(limit)
        n = len(token)
        for size in lengths:
            for i in range(n - size + 1):
                printed = table.get(token[i:i + size])
                if printed is None:
                    continue
                head, tail = token[:i], token[i + size:]
                for p in printed:
                    out.add(head + p + tail)
        return out


def rewrite_table(rewrites: list[tuple[str, str]]) -> RewriteTable:
    """The :class:`RewriteTable` of a list of confusions, built once per list (of the last few)."""
    hit = _TABLES.get(id(rewrites))
    if hit is None or hit[0] is not rewrites:
        hit = (rewrites, RewriteTable(rewrites))
        _TABLES[id(rewrites)] = hit
    return hit[1]


def find_likely_confusions(channel: ChannelModel) -> list[tuple[str, str]]:
    """The channel's confusions seen at least :data:`REWRITE_MIN_COUNT` times with a log10 probability of
    at least :data:`REWRITE_LOGP`, as (scanned, printed) pairs without word-boundary marks, the most
    often seen first; only confusions whose printed side is letters."""
    seen: dict[tuple[str, str], int] = {}
    for (printed, scanned), n in channel.confusions.items():
        p, s = printed.strip("^$"), scanned.strip("^$")
        if (n < REWRITE_MIN_COUNT or not s or p == s or not p.isalpha()
                or channel.sub_logp(printed, scanned) < REWRITE_LOGP):
            continue
        seen[(s, p)] = max(seen.get((s, p), 0), n)
    learned = sorted(seen, key=lambda k: -seen[k])[:MAX_REWRITES]
    # the prior's letter shapes too, so a collection's rarer confusions are reachable
    shapes = [(s, p) for p, s in SHAPE_CONFUSIONS if p.isalpha() and (s, p) not in seen]
    return learned + shapes


def _commonest(lex: Lexicon, vocabulary: Container[str]) -> dict[int, tuple[str, ...]]:
    """The vocabulary's words of zipf :data:`COMMON_CANDIDATE_ZIPF` or more, by length, in alphabetical order."""
    floor = 10 ** (COMMON_CANDIDATE_ZIPF - 9)
    words = sorted(w for w, f in lex._freqs.items() if f >= floor and w.isalpha() and w in vocabulary)
    out: dict[int, list[str]] = {}
    for w in words:
        out.setdefault(len(w), []).append(w)
    return {n: tuple(ws) for n, ws in out.items()}


def word_token(token: str) -> bool:
    """A token of two characters or more with a letter, not a number (``1st``, ``10s``) or a Roman numeral."""
    return (len(token) > 1 and bool(TOKEN.fullmatch(token)) and any(c.isalpha() for c in token)
            and not NUMBER_LIKE.fullmatch(token))


def read_right(word: str, dictionary: Mapping[str, object]) -> bool:
    """Whether a corpus word counts as read right where a document's own confusion rates are measured
    (:meth:`Corrector.adapted`): a word of the curated dictionary, letters only."""
    return word in dictionary and word.isalpha()


#: A brand's case: one or two small letters, then a capital other than the ``I`` OCR reads for ``l``, then small
#: letters (``iPhone``, ``eBay``, ``isValid``).
CAMEL_CASE = regex.compile(r"\p{Ll}{1,2}[A-HJ-Z]\p{Ll}{2,}")


def impossible_tokens(text: str) -> tuple[int, int]:
    """(word tokens no spelling produces: ``w1th``, ``tIle``; all word tokens) of a text. A token in camel case
    (:data:`CAMEL_CASE`: ``iPhone``, ``eBay``, ``isValid``) is not counted: a brand's or a program's spelling as
    often as a misreading, it would make a modern text that names a few brands look noisy (34 of the 749
    impossible tokens of the development files, OverProof, ICDAR, pamphlet and ``raw/``, are in camel case; the
    rest tell the noise)."""
    flags = bytearray(impossible(t) and not CAMEL_CASE.fullmatch(t)
                      for t in (m.group() for m in TOKEN.finditer(text)) if word_token(t))
    return sum(flags), len(flags)  # one byte a token, not a list of them (a 50 MB input has 8 M tokens)


def noise_rate(text: str, counts: tuple[int, int] | None = None) -> float:
    """Share of a text's word tokens that no spelling produces (``w1th``, ``tIle``), smoothed with
    :data:`NOISE_PSEUDO`: an estimate of how noisy its OCR is. ``counts``: the text's
    :func:`impossible_tokens`, where already counted."""
    bad, n = impossible_tokens(text) if counts is None else counts
    return (bad + NOISE_PSEUDO[0]) / (n + NOISE_PSEUDO[1])


def unknown_share(text: str, lexicon: Lexicon) -> float:
    """Share of a text's alphabetic words (two letters or more) that no word list knows, smoothed with
    :data:`UNKNOWN_PSEUDO`. Clean text has its names and rare words (up to about
    :data:`CLEAN_UNKNOWN_SHARE`); what a text has beyond that are misreadings."""
    words = (t for t in (m.group() for m in TOKEN.finditer(text)) if word_token(t) and t.isalpha())
    unknown = bytearray(lexicon.zipf(t) <= 0 for t in words)  # one byte a word, not a list of the words
    return (sum(unknown) + UNKNOWN_PSEUDO[0]) / (len(unknown) + UNKNOWN_PSEUDO[1])


def posterior(token: str, scores: dict[str, float]) -> Correction:
    """The decision on ``token`` among readings scored by log10 joint probability: the best reading, and the
    posteriors (each reading's share of the summed probability) of the best five."""
    top = max(scores.values())
    total = sum(10 ** (s - top) for s in scores.values())
    ranked = sorted(((w, 10 ** (s - top) / total) for w, s in scores.items()), key=lambda x: -x[1])
    return Correction(token, ranked[0][0], ranked[0][1], tuple(ranked[:5]))


class Corrector:
    """Chooses readings for tokens with a channel model, a word model and a candidate index."""

    #: The tokens of a text the corrector reads (see :data:`TOKEN`).
    TOKENS = TOKEN

    def __init__(self, channel: ChannelModel, words: WordModel, index: DeletionIndex,
                 local: DeletionIndex | LayeredIndex | None = None,
                 shared: BoundedCache[str, list[Reading]] | None = None,
                 far: ConfusionSearch | None = None, letters: LetterModel | None = None,
                 ranked: BoundedCache[str, list[str]] | None = None) -> None:
        self.channel = channel
        #: how plausible an unknown token is as a spelling (see :meth:`own_logp`)
        self.letters = letters
        #: the search for vocabulary words many likely confusions away (see :meth:`far_candidates`)
        self.far = far
        self.words = words
        self.index = index
        #: words of the corpus itself (seen intact), searched besides the shared vocabulary
        self.local = local
        #: the document-independent readings of tokens (see :meth:`static_readings`), shared by the
        #: correctors of one channel model and vocabulary
        self.shared: BoundedCache[str, list[Reading]] = BoundedCache(MAX_SHARED) if shared is None else shared
        #: the first ranking of tokens' neighbours (see :meth:`ranked_near`), shared by the correctors of one
        #: vocabulary and static lexicon whatever their channel
        self.ranked: BoundedCache[str, list[str]] = BoundedCache(MAX_RANKED) if ranked is None else ranked
        self._memo: dict[tuple[str, str, str, bool], Correction] = {}
        self._readings: dict[str, list[tuple[str, str, float]]] = {}
        #: log10 factor on each confusion for this document's noise (see :meth:`adapt`)
        self.error_shift = 0.0
        #: log10 factor (<= 0) on an unknown token's probability as a word of its own (see :meth:`adapt`)
        self.unknown_shift = 0.0
        #: whether the text spells as a past period did (see :meth:`set_period_spelling`)
        self.period_spelling = False
        #: the impossible tokens of the text whose noise the corrector is scaled to (see :meth:`adapt`)
        self.noise_evidence = 0
        #: that text's small-letter words that are garbles of common words, and all of them (:meth:`garbled_words`)
        self.garbled = (0, 0)
        #: the noise (log10, as :attr:`error_shift`) its impossible tokens and its garbles tell (see :meth:`adapt`)
        self.noise_shifts = (0.0, -math.inf)
        #: the channel's likely confusions, as (scanned, printed) substrings to undo
        self.rewrites = likely_confusions(channel)

    def inherit(self, other: Corrector) -> None:
        """Take over another corrector's channel, noise estimate and decisions (the same document, a
        lexicon whose counts changed only by this document's own repairs)."""
        self.channel, self.shared, self.rewrites = other.channel, other.shared, other.rewrites
        self.far, self.letters, self.ranked = other.far, other.letters, other.ranked
        self.error_shift, self.unknown_shift = other.error_shift, other.unknown_shift
        self.period_spelling, self.noise_evidence = other.period_spelling, other.noise_evidence
        self.garbled, self.noise_shifts = other.garbled, other.noise_shifts
        self._readings = other._readings
        self._memo = other._memo

    def adapted(self, pairs: list[tuple[str, str]]) -> Corrector:
        """A corrector whose channel also counts a document's confident corrections (``pairs`` of
        scanned and printed words, each :data:`ADAPT_WEIGHT` times), so a confusion the document makes
        again and again (``f`` for the long ``s``) becomes likely there; decisions are taken afresh."""
        channel = self.channel.adapted(pairs, ADAPT_WEIGHT)
        lex = self.lexicon
        tokens = lex.tokens
        intact = IntactWords(tokens, lex.dictionary, read_right)
        # a document's own rate is measured on it: the noise scaling (:meth:`adapt`) must not lower it again
        lift = 10 ** -min(0.0, self.error_shift)
        channel.with_local_rates({k: v * lift for k, v in document_rates(pairs, tokens, intact).items()})
        out = Corrector(channel, self.words, self.index, self.local, BoundedCache(MAX_SHARED), self.far,
                        self.letters, self.ranked)
        out.error_shift, out.unknown_shift = self.error_shift, self.unknown_shift
        out.period_spelling, out.noise_evidence = self.period_spelling, self.noise_evidence
        out.garbled, out.noise_shifts = self.garbled, self.noise_shifts
        return out

    def set_period_spelling(self, period: bool) -> None:
        """Say whether the text spells as a past period did (Early Modern English: ``hee``, ``bookes``). In
        such a text an odd spelling is likely the period's, so an unknown token is judged by its spelling only
        when the text is noisier than the training OCR (:data:`CLEAN_SHIFT`); in modern spelling, unless the
        text is markedly cleaner than that OCR (:data:`MODERN_CLEAN_SHIFT`) and shows enough misreadings to tell
        (:data:`NOISE_EVIDENCE`)."""
        if period != self.period_spelling:
            self.period_spelling = period
            impossible, garbles = self.noise_shifts
            if garbles > impossible:
                self.error_shift = impossible if period else garbles
            self._readings.clear()
            self._memo.clear()

    @property
    def clean(self) -> bool:
        """Whether the text is clean enough that an odd spelling is likelier a name, a foreign or old word than
        garbled (see :meth:`set_period_spelling`)."""
        garbled, words = self.garbled
        if not self.period_spelling and garbled >= NOISE_EVIDENCE and garbled > NOISY_GARBLED_SHARE * words:
            return False  # garbles that happen to spell (``socrotary``), however few impossible tokens
        if self.period_spelling or self.noise_evidence < NOISE_EVIDENCE:
            return self.error_shift <= CLEAN_SHIFT
        return self.error_shift <= MODERN_CLEAN_SHIFT

    def adapt(self, text: str) -> None:
        """Scale the channel's error probabilities to the noise of ``text``: the share of its tokens
        that no spelling produces, against the same share in the training OCR (smoothed, and
        bounded to a factor :data:`NOISE_RANGE` either way), or, in modern spelling, the share of its small-letter
        words that are garbles of common words (:meth:`garbled_words`) against :data:`GARBLED_TRAINED_SHARE`, if
        that is higher. A clean text makes every confusion less likely, so fewer real words are changed; a very
        noisy one, more likely.

        Also the prior of an unknown token being a word of its own: of the unknown words of a text
        whose share is :func:`unknown_share`, about :data:`CLEAN_UNKNOWN_SHARE` / share are real (names,
        rare words), the rest misreadings; :attr:`unknown_shift` is the log10 of that ratio (0 for a text
        no richer in unknown words than clean text). On the Sydney Morning Herald development OCR, 4% of
        the unknown small-letter words and 6-17% of the capitalised ones are real."""
        trained = self.channel.impossible_rate or NOISE_PRIOR
        counts = impossible_tokens(text)
        ratio = noise_rate(text, counts) / trained
        low, high = NOISE_RANGE
        self.error_shift = math.log10(min(high, max(low, ratio)))
        self.noise_evidence = counts[0]
        self.garbled = self.garbled_words(text)
        garbled, words = self.garbled
        self.noise_shifts = (self.error_shift, -math.inf)
        if garbled >= NOISE_EVIDENCE:
            # garbles that spell (``socrotary``) tell the noise too, where impossible tokens are few (not in a
            # period's spelling, whose old forms read as garbles: see :meth:`set_period_spelling`)
            ratio = garbled / words / GARBLED_TRAINED_SHARE
            self.noise_shifts = (self.error_shift, math.log10(min(high, max(low, ratio))))
            if not self.period_spelling:
                self.error_shift = max(self.noise_shifts)
        self.unknown_shift = min(0.0, math.log10(CLEAN_UNKNOWN_SHARE / unknown_share(text, self.lexicon)))
        self._readings.clear()
        self._memo.clear()

    def garbled_words(self, text: str) -> tuple[int, int]:
        """(words in small letters that no word list knows and that read as a common word along likely confusions
        (:meth:`explained`: ``socrotary``, ``balanco``), all words in small letters) of a text, of two letters or
        more. A clean text in modern spelling has few (its names have capitals, a foreign phrase
        such as ``sessii sozyva`` is near no common word); noisy OCR has many that no spelling rule calls
        impossible. Counted over the first :data:`NOISE_SAMPLE` such words (an estimate needs no more, and a long
        input's words are never all held)."""
        lex = self.lexicon
        verdict: dict[str, bool] = {}
        garbled = words = 0
        for match in TOKEN.finditer(text):
            word = match.group()
            if len(word) < 2 or not word.isalpha() or not word.islower() or not word_token(word):
                continue
            words += 1
            if lex.zipf(word) <= 0:
                if word not in verdict:
                    verdict[word] = self.explained(word, self.static_readings(word))
                garbled += verdict[word]
            if words == NOISE_SAMPLE:
                break
        return garbled, words

    @property
    def lexicon(self) -> Lexicon:
        return self.words.lexicon

    def own_logp(self, token: str) -> float:
        """log10 probability of the token as a word of its own (see module docstring)."""
        if impossible(token):
            return IMPOSSIBLE_LOGP
        lex = self.lexicon
        low = token.lower()
        if low in lex.dictionary or low in lex.extra:
            return self.words.unigram(token) + REAL_WORD_BONUS
        zipf = lex.zipf(token)
        if zipf >= BROAD_ZIPF:
            # a capitalised word only the broad list knows is most often a name (``Kato``)
            return zipf - 9.0 - BROAD_DISCOUNT + (CAPITAL_OOV_BONUS if token[0].isupper() else 0.0)
        base = archaic_base(token, lex)
        if base is not None:
            # an older inflection of a dictionary word (``crost``, ``walketh``): a real word, rarer than its base
            return self.words.static_unigram(base) - ARCHAIC_COST
        # an unknown word: a name or rare spelling, or one the corpus repeats (its own counts); the less it
        # spells like a word (``adiournfd``), the likelier it is a misreading
        unknown = self.unknown_logp(token)
        return max(unknown, self.words.unigram(token))

    def unknown_logp(self, token: str) -> float:
        """log10 probability of a token no word list knows as a word of its own: :data:`OOV_LOGP`, more for a
        capitalised one (a name), and less the further it spells from the way words spell
        (:class:`~pipeline.correction.letters.LetterModel`: ``adiournfd``, ``Wltnoss``): in a noisy text for
        every unit of shortfall, in a clean one only beyond :data:`CLEAN_SHORTFALL` and only in small letters."""
        unknown = OOV_LOGP + (CAPITAL_OOV_BONUS if token[0].isupper() else 0.0) + self.unknown_shift
        if self.letters is None:
            return unknown
        clean = self.clean
        if clean and token[0].isupper():
            return unknown  # in a clean text an odd capitalised spelling is a name (``Volochaevka``)
        shortfall = self.letters.shortfall(token.lower())
        if clean:
            # in a clean text an odd spelling is likelier foreign or old than garbled: only one that
            # spells like almost no word (``bvdnej``) loses
            shortfall = max(0.0, shortfall - CLEAN_SHORTFALL)
        return unknown - LETTER_WEIGHT * shortfall

    def eligible(self, token: str) -> bool:
        """Whether the corrector weighs the token at all: a word of two characters or more that is not
        a number (``1st``, ``10s``), a Roman numeral or a capitalised pair of letters (``Br``, ``Wm``:
        abbreviations) unless the pair in small letters is one of the commonest words (``In``, ``Is``);
        single letters are initials, labels, pronouns; a token longer than :data:`LONGEST_TOKEN` is not read."""
        if len(token) > LONGEST_TOKEN or not word_token(token):
            return False
        if (len(token) > LONG_WORD and token.lower() in self.lexicon.dictionary and not impossible(token)
                and self.lexicon.zipf(token) >= RARE_LONG_ZIPF
                and not (token[:1].isupper() and token[1:].islower()
                         and self._likely_case_misreading(token, token.lower()))):
            # a long common word is seldom a misreading of another (and costs most to weigh); but its capital
            # may be a misread small letter (``Injected``), which :meth:`decide` weighs between small words
            return False
        return not (len(token) == 2 and token[0].isupper()) or self.lexicon.zipf(token) >= COMMON_SMALL_ZIPF

    def candidates(self, token: str, index: DeletionIndex | None = None) -> set[str]:
        """Words of ``index`` (default: the shared vocabulary) near the token, in lower case: see
        :meth:`near` and :meth:`along_confusions`."""
        return self.near(token, index) | self.along_confusions(token, index)

    def near(self, token: str, index: DeletionIndex | LayeredIndex | None = None) -> set[str]:
        """Words within edit distance 2 of the token (1 for short tokens)."""
        index = self.index if index is None else index
        key = token.lower()
        found = index.candidates(key, 1 if len(key) <= SHORT else MAX_EDITS)
        found.discard(token)
        return found

    def along_confusions(self, token: str, index: DeletionIndex | None = None) -> set[str]:
        """Words within one edit of the token with one of the channel's likely confusions undone
        (``weU`` -> ``well``: ``U`` is a common reading of ``ll``): farther than :meth:`near` reaches,
        along the paths OCR errors actually take."""
        index = self.index if index is None else index
        words = index.words
        table = rewrite_table(self.rewrites)
        # the words among many strings in one call where the vocabulary is a plain set
        within = words.intersection if isinstance(words, (set, frozenset)) else None
        found: set[str] = set()
        for form in table.undo(token):
            low = form.lower()
            if low in words:
                found.add(low)
            elif len(low) > SHORT:
                found |= index.found(low, 1)
            # two confusions in one word (``tbo`` for ``the``): both undone, looked up whole
            twice = map(str.lower, table.undo(form, SECOND_REWRITES))
            found.update(within(twice) if within is not None else (w for w in twice if w in words))
        found.discard(token)
        return found

    def common_near(self, token: str) -> set[str]:
        """The commonest words (zipf :data:`COMMON_CANDIDATE_ZIPF` or more) within two edits of a short token
        (:data:`SHORT` characters or fewer), which :meth:`near` searches one edit deep only: the few words a
        short garble most often stands for, however it was misread (``wu`` -> ``was``, ``nro`` -> ``are``); the
        channel then prices each."""
        key = token.lower()
        if len(key) > SHORT:
            return set()
        lex = self.lexicon
        by_length = per_static_sources(_COMMON, lex, lambda: _commonest(lex, self.index.words))
        found = {w for n in range(max(1, len(key) - 2), len(key) + 3) for w in by_length.get(n, ())
                 if Levenshtein.distance(key, w, score_cutoff=2) <= 2}
        found.discard(key)
        return found

    def far_candidates(self, token: str) -> set[str]:
        """Vocabulary words more than two edits from a token of :data:`FAR_MIN` characters or more that no
        word list knows, reached along many likely confusions at once (:mod:`pipeline.correction.search`:
        ``amuseiueuts`` -> ``amusements``); none without a search. For a token no spelling produces
        (:func:`impossible`) both passes of the search run (OverProof development cut 31.53% -> 31.67%)."""
        if self.far is None or len(token) < FAR_MIN or token.lower() in self.index.words:
            return set()
        return self.far.candidates(token, thorough=impossible(token))

    def _undo(self, token: str, limit: int | None = None) -> set[str]:
        """The token with one of the channel's likely confusions (the ``limit`` likeliest) undone, every way."""
        return rewrite_table(self.rewrites).undo(token, limit)

    def _reading(self, token: str, scanned: str, cand: str) -> Reading:
        reading = case_like(cand, token)
        channel, n_blocks = self._channel_logp(token, scanned, reading)
        return Reading(reading, cand, channel, n_blocks)

    def _channel_logp(self, token: str, scanned: str, reading: str) -> tuple[float, int]:
        """The channel's (log10 P(token | reading), blocks); for a token in capitals (``scanned`` is then its small
        form), the likelier of its capitals' own confusions (``K`` for ``R``, ``P`` for ``F``: ``COUKT``, ``OP``) and
        those of the small letters (the capitals' counts are sparse)."""
        if scanned is token:
            return self.channel.logp(token, reading)
        return max(self.channel.logp(scanned, reading.lower()), self.channel.logp(token, reading))

    def static_readings(self, token: str) -> list[Reading]:
        """The readings of a token that do not depend on the document: shared-vocabulary candidates
        with their channel probability, at most :data:`MAX_STATIC` of the likeliest (by channel and
        the word's probability without corpus counts), computed once per process."""
        hit = self.shared.get(token)
        if hit is not None:
            return hit
        if len(token) > LONGEST_TOKEN:
            return []
        scanned = token.lower() if token.isupper() and len(token) > 1 else token
        static = self.words.static_unigram
        # a cheap first ranking (word probability less a cost per edit) picks which candidates the
        # channel model prices: most of a short word's neighbours are rare words no context rescues
        found = self.along_confusions(token) | self.far_candidates(token)
        guided = sorted(found)
        rough: list[str] = []
        for cand in self.ranked_near(token):
            if cand not in found:
                rough.append(cand)
                if len(rough) == MAX_PRICED:
                    break
        scored = []
        logp = self._channel_logp
        for cand in [*guided, *rough]:
            reading = case_like(cand, token)  # as :meth:`_reading`, without a call per candidate
            if reading != token:
                channel, n_blocks = logp(token, scanned, reading)
                scored.append((channel + static(cand), Reading(reading, cand, channel, n_blocks)))
        scored.sort(key=lambda x: -x[0])
        result = [r for _, r in scored[:MAX_STATIC]]
        self.shared[token] = result
        return result

    def ranked_near(self, token: str) -> list[str]:
        """The shared-vocabulary words near the token (:meth:`near`) in the order of a cheap first ranking:
        the word's probability without corpus counts less :data:`ROUGH_EDIT_COST` per edit, ties in
        alphabetical order (so that every process breaks them the same way; set order is not). It depends
        on neither the channel nor the document, so it is kept (:attr:`ranked`) for the token's next
        reading with another channel (a document read again after its channel adapts)."""
        hit = self.ranked.get(token)
        if hit is None:
            key, static = token.lower(), self.words.static_unigram
            hit = sorted(sorted(self.near(token)),
                         key=lambda c: ROUGH_EDIT_COST * Levenshtein.distance(key, c) - static(c))
            self.ranked[token] = hit
        return hit

    def decide(self, token: str, left: str = "", right: str = "", quoted: bool = False) -> Correction:
        """The most probable reading of ``token`` between the words ``left`` and ``right``; ``quoted``:
        an opening quotation mark or bracket stands right before the token (``saying, "It was``), where
        a capital opens the quotation."""
        key = (token, left.lower(), right.lower(), quoted)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        options = self.readings(token)
        # a neighbour that is itself one of the commonest words with a likely misread capital (``but It Is only``)
        # stands for its small form
        left, right = self._small_neighbour(left), self._small_neighbour(right)
        if (not quoted and len(left) > 1 and left.islower() and right[:1].islower() and token[:1].isupper()
                and token[1:].islower() and not PRONOUN_I.match(token)):
            # between small words a capital may be a misread small letter (``In`` for ``in``); the
            # capital reading is that much less likely there than the small one (not before a capitalised word:
            # a title, ``the novel In Cold Blood``, a motto, ``In Deo Fides``, or a lost stop, ``carried In March``)
            low = token.lower()
            cased = self.lexicon.cased
            # where the document prints the small form at least as often, or, without such evidence, for
            # the commonest words only (``In``, ``Is``; not ``Japanese``, ``President``)
            evidence = cased.get(low, 0) >= cased.get(token, 0) > 0 or (
                cased.get(token, 0) <= 1 and (self.lexicon.zipf(low) >= COMMON_SMALL_ZIPF
                                              or self._likely_case_misreading(token, low)))
            if low in self.index.words and evidence and left.lower() not in ARTICLES:
                channel, n_blocks = self.channel.logp(token, low)
                options = [*options, (low, low, channel + n_blocks * self.error_shift + self.words.unigram(low)
                                      - CAPITAL_INSIDE_LOGP - CHANGE_COST)]
                scores = self._in_context(token, options, left, right)
                if token in scores and self._context_weighs(token):
                    # the capital as printed opens a sentence whose stop the scan lost (``his family It was``):
                    # then the word before says nothing of it, only the word after does
                    own = next(base for reading, _, base in options if reading == token)
                    scores[token] = own + self._context(low, "", right)
                result = posterior(token, scores)
                self._memo[key] = result
                return result
        result = posterior(token, self._in_context(token, options, left, right))
        self._memo[key] = result
        return result

    def _small_neighbour(self, word: str) -> str:
        """A neighbour word in small letters where it is one of the commonest words (zipf :data:`COMMON_SMALL_ZIPF`)
        printed with a capital the channel often reads for its small letter (``It``, ``Is``, ``In``); else as is."""
        if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
            return word
        low = word.lower()
        if self.lexicon.zipf(low) >= COMMON_SMALL_ZIPF and self._likely_case_misreading(word, low):
            return low
        return word

    def _likely_case_misreading(self, token: str, low: str) -> bool:
        """Whether the channel reads the word's small first letter as the token's capital often
        (:data:`LIKELY_CASE_LOGP` or more: ``I`` for ``i``, one reading in ten on the development OCR), and the word
        is no census name (``Irving``) and no rarity of the broad list (zipf below :data:`CASE_MISREAD_ZIPF`)."""
        return (self.channel.logp(token, low)[0] >= LIKELY_CASE_LOGP and low not in census_names()
                and self.lexicon.zipf(low) >= CASE_MISREAD_ZIPF)

    def _in_context(self, token: str, options: list[tuple[str, str, float]], left: str,
                    right: str) -> dict[str, float]:
        """Each reading's score (``options``: ``(reading, word, base)``), plus what the neighbours ``left`` and
        ``right`` add to its word where context weighs in (:meth:`_context_weighs`; with one reading it could
        not change the decision), or, for a capitalised token the bigram source does not know, only what they
        add in favour of a word reading."""
        if self._context_weighs(token) and len(options) > 1:
            return {reading: base + self._context(word, left, right) for reading, word, base in options}
        if len(options) > 1 and not self.period_spelling and token[:1].isupper():
            # a capitalised token the source does not know (mostly a name): a word reading gains what its
            # neighbours add, never loses by them, and the token's own reading pays no backoff
            # (``New Zealnnd`` -> ``Zealand``; OverProof development cut +0.05 point)
            return {reading: base + (max(0.0, self._context(word, left, right)) if reading != token else 0.0)
                    for reading, word, base in options}
        return {reading: base for reading, _, base in options}

    def _context_weighs(self, token: str) -> bool:
        """Whether the neighbours weigh in a token's decision: where the bigram source knows the token as
        printed; and, in a text of modern spelling, for a token in small letters or of two letters (``tbe``,
        ``Ho``) too, whose own reading then pays the bigram backoff, unless it has letters outside ASCII (``thèse``:
        the spurious accent, not a sparse bigram list, tells ``these``). Not for a capitalised token the source does
        not know: mostly a name, which no bigram counts (context would push it towards a common word), nor in
        a period's spelling, whose forms the source does not count either."""
        if self.words.covers(token):
            return True
        return not self.period_spelling and token.isascii() and (token[0].islower() or len(token) <= 2)

    def decide_with(self, token: str, left: str, right: str, extra: dict[str, float]) -> Correction:
        """:meth:`decide` with more readings than the channel's: ``extra`` maps lower-case vocabulary words to
        log10 P(token | word) by an error the channel does not model (a letter lost at a cropped line start).
        Each is weighed like the corrector's own readings (its word probability, :data:`CHANGE_COST`, the
        neighbours ``left`` and ``right``); not memoised."""
        static, shared = self.words.static_unigram, self.index.words
        best = {reading: (word, base) for reading, word, base in self.readings(token)}
        for word, logp in extra.items():
            reading = case_like(word, token)
            base = logp + (static(word) if word in shared else self.words.unigram(word)) - CHANGE_COST
            if reading != token and base > best.get(reading, (word, -math.inf))[1]:
                best[reading] = (word, base)
        options = [(reading, word, base) for reading, (word, base) in best.items()]
        return posterior(token, self._in_context(token, options, left, right))

    def decide_name(self, token: str, names: dict[str, float]) -> Correction:
        """The most probable reading of a token that stands in a personal name's place (after an initial,
        a forename or a title: ``F W KUIott``), where ``names`` maps lower-case names near the token (its own
        among them, if it is one) to log10 P(name) there (:func:`pipeline.correction.census.census_names`). The
        names compete with the token's own reading and its word readings (:meth:`readings`); each costs
        its channel probability and :data:`CHANGE_COST` as a word does. Context is not weighed: the bigram
        source knows few names. Not memoised."""
        # a word that is also a name is priced below as the name it is in this place, not at its frequency as a
        # word (``Mr Tound`` is no ``Mr Found``: ``found`` is a rare surname, however common a verb)
        # in a clean text a capitalised token in a name's place is a name: a word that is none (``Mr. Hore`` is no
        # ``Mr. Here``) pays what such a place costs a word
        cost = NAME_PLACE_WORD_COST if self.clean else 0.0
        options = {reading: base - (cost if reading != token and word not in census_names() else 0.0)
                   for reading, word, base in self.readings(token) if reading == token or word not in names}
        shift = 0.0 if impossible(token) else min(0.0, self.error_shift)
        for name, prior in names.items():
            # a name is written with its capital, whatever the misread token's case (``KUIott``)
            reading = name.upper() if token.isupper() else prefix_capital(name[:1].upper() + name[1:], token)
            if reading == token:
                own = self.channel.logp(token, token)[0] + prior
                options[token] = max(options.get(token, own), own)
                continue
            channel, n_blocks = self.channel.logp(token, reading)
            base = channel + n_blocks * shift + prior - CHANGE_COST
            if base > options.get(reading, -math.inf):
                options[reading] = base
        return posterior(token, options)

    def readings(self, token: str) -> list[tuple[str, str, float]]:
        """``(reading, word, log10 P(token | reading) P(word))`` for the token itself and the candidates
        that context could still make win (within :data:`CONTEXT_REACH` of the best), best first."""
        hit = self._readings.get(token)
        if hit is not None:
            return hit
        scanned = token.lower() if token.isupper() and len(token) > 1 else token
        options = list(self.static_readings(token))
        if self.local is not None and self.local.words and len(token) <= LONGEST_TOKEN:
            # in sorted order, so that ties are broken the same way in every process (set order is not)
            options.extend(self._reading(token, scanned, c) for c in sorted(self.near(token, self.local)))
        if not self.period_spelling and len(token) <= SHORT:
            # the commonest words two edits away; not in a period's spelling, whose short words (``yt``, ``wch``)
            # are its own abbreviations
            seen = {r.word for r in options}
            options.extend(self._reading(token, scanned, c) for c in sorted(self.common_near(token) - seen))
        if token[:1].islower():
            options = [self._capital_variant(token, r) for r in options]
        elif _case_mode(token) == "title":
            options = [self._small_variant(token, r) for r in options]
        # a vocabulary word's probability is the static one: counts of this document would make the
        # decision depend on how clean the rest of the text already is (and cleaning twice differ)
        static, shared = self.words.static_unigram, self.index.words

        def unigram(word: str) -> float:
            return static(word) if word in shared else self.words.unigram(word)

        own_word = self.own_logp(token)
        if own_word > OOV_LOGP + CAPITAL_OOV_BONUS and (self.systematic(token, scanned, options)
                                                       or self.explained(token, options)):
            # a token the corpus repeats, but the document misreads a word so again and again: the
            # repetition is that misreading's, no evidence of a word (``ftate`` in a long-s book)
            own_word = self.unknown_logp(token)
        elif self._capital_garble(token, options):
            own_word -= CAPITAL_OOV_BONUS
        own = (token, token, self.channel.logp(scanned, scanned)[0] + own_word)
        # the document's noise says how likely a real word is a misreading; a token no word spells
        # is a misreading whatever the noise, and only which word it was is in question
        # (a plausible unknown word in a clean text is likelier a rare word than a misreading)
        known = own_word > OOV_LOGP + CAPITAL_OOV_BONUS
        shift = self.error_shift if known else 0.0 if impossible(token) else min(0.0, self.error_shift)
        digits = any(c.isdigit() for c in token)
        pronoun = bool(PRONOUN_I.match(token))  # ``I'm`` is never ``i'm``
        out = [(r.reading, r.word, r.channel + r.blocks * shift + unigram(r.word) - CHANGE_COST)
               for r in options if r.reading != token and (not digits or self.digits_explained(scanned, r.reading))
               and not (pronoun and r.reading.lower() == token.lower()) and not self.drops_a_word(scanned, r.word)]
        best = max([own[2], *(x[2] for x in out)])
        kept = sorted((x for x in out if x[2] >= best - CONTEXT_REACH), key=lambda x: -x[2])
        result = [own, *kept[:MAX_READINGS]]
        self._readings[token] = result
        return result

    def _capital_garble(self, token: str, options: list[Reading]) -> bool:
        """Whether a capitalised token no list knows loses the allowance an unknown capitalised word has as a
        name (:data:`CAPITAL_OOV_BONUS`) in a noisy text: no census name is spelled so, and a common word is one of
        its readings along likely confusions (:meth:`explained`: ``Kingdorn``, ``Brotbers``), as a name seldom is;
        or no source has ever printed it and it spells like neither a word nor a name (:meth:`_unlike_a_name`:
        ``Ohaplaiu``) or reads as any vocabulary word along likely confusions (:meth:`_plain_misreading`:
        ``Schoolmastor``). Not in a clean text, where a name the census lacks (``Toose``, ``Monaro``) is far likelier
        than a garble."""
        if not token[:1].isupper() or token.isupper() or self.lexicon.zipf(token) >= BROAD_ZIPF:
            return False
        low = token.lower()
        if low in self.lexicon.dictionary or low in self.lexicon.extra or low in census_names():
            return False
        if self.clean:
            return self._misread_name(token, options)
        return (self.explained(token, options) or self._unlike_a_name(token, options)
                or self._plain_misreading(token, options))

    def _plain_misreading(self, token: str, options: list[Reading]) -> bool:
        """Whether a capitalised token no source has ever printed (zipf 0) reads as a vocabulary word along
        confusions the channel finds likely, :data:`GARBLE_READING_LOGP` (log10) or more for the whole word
        (``Schoolmastor``, ``Saddlory``): a name no list has and no text has printed is seldom that near a word's
        likely misreading. Unlike :meth:`explained`, whatever the word's frequency; but not a census name: a real
        name one confusion from another (``Gorrick``, ``Gurrier``: ``Garrick``, ``Currier``) would be changed into a
        wrong name no reader could tell from the right one (OverProof development cut 30.87% with names as readings,
        30.75% without, 30.61% without this rule)."""
        if self.lexicon.zipf(token) > 0:
            return False
        words, names = self.index.words, census_names()
        return any(r.channel >= GARBLE_READING_LOGP and r.word in words and r.word not in names for r in options)

    def _unlike_a_name(self, token: str, options: list[Reading]) -> bool:
        """Whether a capitalised token no source has ever printed (zipf 0) spells like neither a word nor a name: it
        falls short by more than :data:`NAME_SHORTFALL` (log10) both under the vocabulary's letter model and under
        the census names' (:func:`~pipeline.correction.census.name_shortfall`; ``Ohaplaiu``, not ``Kowalczyk``,
        ``Donohoo`` or ``Esrom``), and some vocabulary word is a reading of it along confusions the channel knows
        (:data:`UNLIKE_READING_LOGP`)."""
        if self.letters is None or self.lexicon.zipf(token) > 0:
            return False
        low = token.lower()
        if self.letters.shortfall(low) <= NAME_SHORTFALL or name_shortfall(low) <= NAME_SHORTFALL:
            return False
        words = self.index.words
        return any(r.channel >= UNLIKE_READING_LOGP and r.word in words for r in options)

    def _misread_name(self, token: str, options: list[Reading]) -> bool:
        """Whether a capitalised token that no list knows at all (zipf 0) is, in a clean text, a common name
        (a census name of zipf :data:`MISREAD_NAME_ZIPF` or more) with one letter misread along a likely
        confusion (``Oleveland``, ``Iondon``): so near a name that common, a spelling no source has ever printed
        is likelier that name misread than another name. A name any source knows (``Monaro``, zipf 2) or a
        common word as the reading (``Toose``/``Loose``) does not count."""
        if self.lexicon.zipf(token) > 0:
            return False
        names, floor = census_names(), MISREAD_NAME_ZIPF - 9.0
        return any(r.blocks == 1 and r.channel >= EXPLAINED_LOGP and r.reading[:1].isupper() and r.word in names
                   and r.word in self.index.words and self.words.static_unigram(r.word) >= floor
                   and self.capital_share(r.word) >= MISREAD_NAME_SHARE for r in options)

    def drops_a_word(self, token: str, word: str) -> bool:
        """Whether reading ``token`` as ``word`` drops a whole common word (zipf :data:`DROPPED_WORD_ZIPF` or more,
        two letters or more) from one end of it (``tobuy`` as ``buy``): that is two words run together, which
        the spacing stage parts; a reading must never lose a word."""
        low = token.lower()
        if len(low) < len(word) + 2:
            return False
        if low.endswith(word):
            part = low[:len(low) - len(word)]
        elif low.startswith(word):
            part = low[len(word):]
        else:
            return False
        return part in self.lexicon.dictionary and self.lexicon.zipf(part) >= DROPPED_WORD_ZIPF

    def capital_share(self, word: str) -> float:
        """The share of a lower-case word's uses that are a personal name, written with a capital (0 to 1): its
        census share times :data:`NAME_TEXT_SHARE` against its frequency in the broad list; 0 for a word no census
        list holds, 1 for a census name the list does not know. ``john`` 1, ``thornton`` 0.97, ``brown`` 0.6,
        ``white`` 0.09, ``will`` 0.0006."""
        census = census_names().get(word)
        if census is None:
            return 0.0
        zipf = self.lexicon.zipf(word)
        return 1.0 if zipf <= 0 else min(1.0, NAME_TEXT_SHARE * 10 ** (census - zipf + 9))

    def _capital_variant(self, token: str, option: Reading) -> Reading:
        """A reading of a token in small letters whose first letter it replaces (``lohn``, ``rhornton``) may have
        been printed with a capital: a misread first letter says nothing of its case, and the channel tells how
        likely each case's letter is read so (``J`` as ``l`` far more often than ``j``). The word's channel
        probability sums both cases, each weighted by its share of the word's uses (:meth:`capital_share`),
        and the reading takes the likelier case (``John``, ``Thornton``)."""
        word = option.word
        if word[:1] == token[:1] or not option.reading[:1].islower():
            return option
        share = self.capital_share(word)
        if share <= 0.0 or (share < 1.0 and math.log10(share) < option.channel - 2.0 + math.log10(1.0 - share)):
            return option  # the capital's term (at most ``share``: a channel probability is at most 1) is < 1%
        title = word[:1].upper() + word[1:]
        channel, n_blocks = self.channel.logp(token, title)
        capital = channel + math.log10(share)
        small = option.channel + (math.log10(1.0 - share) if share < 1.0 else -math.inf)
        total = math.log10(10 ** capital + (10 ** small if small > -math.inf else 0.0))
        if capital > small:
            return Reading(title, word, total, n_blocks)
        return Reading(option.reading, word, total, option.blocks)

    def _small_variant(self, token: str, option: Reading) -> Reading:
        """The mirror of :meth:`_capital_variant`: a reading of a capitalised token whose first letter it replaces
        (``Btate``, ``Bpecial``: ``B`` read for a small ``s``) may have been printed in small letters. A word is
        printed with its capital in :data:`CAPITAL_USE_SHARE` of its uses, or as a name in its census share
        (:meth:`capital_share`), whichever is more; the reading takes the case whose channel probability, so
        weighted, is the greater (``state``, but ``Bench`` for ``Benoh``). A small reading that opens a sentence
        gets its capital back where it is written (:func:`pipeline.stages.characters.channel_corrections`)."""
        word = option.word
        if not word[:1].isalpha() or word[:1] == token[:1].lower() or option.reading[:1] != word[:1].upper():
            return option
        share = max(CAPITAL_USE_SHARE, self.capital_share(word))
        if share >= 1.0:
            return option
        channel, n_blocks = self.channel.logp(token, word)
        small = channel + math.log10(1.0 - share)
        capital = option.channel + math.log10(share)
        if small <= capital:
            return option
        total = math.log10(10 ** capital + 10 ** small)
        return Reading(word, word, total, n_blocks)

    def listed(self, token: str) -> bool:
        """Whether a word list knows the token: the curated dictionary, the user's lists, or the broad list
        from :data:`BROAD_ZIPF` (so only the corpus's own counts could vouch for it otherwise)."""
        lex = self.lexicon
        low = token.lower()
        return low in lex.dictionary or low in lex.extra or lex.zipf(token) >= BROAD_ZIPF

    def explained(self, token: str, options: list[Reading]) -> bool:
        """Whether the corpus's repetitions of a token no word list knows are explained as misreadings: one of
        its readings is a vocabulary word along likely confusions (at least :data:`EXPLAINED_LOGP`, log10) that
        is common (:data:`EXPLAINED_WORD_LOGP`) or that the corpus prints :data:`DOMINANCE` times as often
        (``woro`` six times beside ``were``). A noisy collection repeats its commonest misreadings, which are
        no evidence of a word; a name (``Windellama``) has no such neighbour."""
        lex = self.lexicon
        if self.listed(token) or archaic_base(token, lex) is not None:
            return False
        seen = lex.tokens.get(token.lower(), 0) or 1
        return any(r.word in self.index.words and r.channel >= EXPLAINED_LOGP
                   and (self.words.static_unigram(r.word) >= EXPLAINED_WORD_LOGP
                        or lex.tokens.get(r.word, 0) >= DOMINANCE * seen)
                   for r in options)

    def systematic(self, token: str, scanned: str, options: list[Reading]) -> bool:
        """Whether a token known only from the corpus's own counts (no word list has it) is a misreading of a
        vocabulary word along confusions the document itself makes at least :data:`SYSTEMATIC_LOGP` of the
        time (its own rates, :meth:`~pipeline.correction.channel.ChannelModel.with_local_rates`)."""
        local = self.channel.local
        if not local or self.listed(token):
            return False
        floor = 10 ** SYSTEMATIC_LOGP
        for r in options:
            if not r.blocks or r.word not in self.index.words:
                continue
            s, p = BOUNDARY[0] + scanned.lower() + BOUNDARY[1], BOUNDARY[0] + r.word + BOUNDARY[1]
            if all(max(local.get((p[a:b], s[c:d]), 0.0)
                       for a, b, c, d in ((p0, p1, s0, s1), (p0 - 1, p1, s0 - 1, s1), (p0, p1 + 1, s0, s1 + 1),
                                          (p0 - 1, p1 + 1, s0 - 1, s1 + 1))
                       if a >= 0 and c >= 0 and b <= len(p) and d <= len(s)) >= floor
                   for p0, p1, s0, s1 in blocks(p, s)):
                return True
        return False

    def digits_explained(self, scanned: str, printed: str) -> bool:
        """Whether every block of ``scanned`` holding a digit is a likely misreading of ``printed``
        (at least :data:`DIGIT_BLOCK_LOGP`, with or without a character of context)."""
        s, p = BOUNDARY[0] + scanned + BOUNDARY[1], BOUNDARY[0] + printed.lower() + BOUNDARY[1]
        if scanned is not printed and scanned != scanned.lower():
            p = BOUNDARY[0] + printed + BOUNDARY[1]
        for p0, p1, s0, s1 in blocks(p, s):
            if not any(c.isdigit() for c in s[s0:s1]):
                continue
            best = max(self.channel.sub_logp(p[a:b], s[c:d])
                       for a, b, c, d in ((p0, p1, s0, s1), (p0 - 1, p1, s0 - 1, s1), (p0, p1 + 1, s0, s1 + 1))
                       if a >= 0 and c >= 0 and b <= len(p) and d <= len(s))
            if best < DIGIT_BLOCK_LOGP:
                return False
        return True

    def _context(self, word: str, left: str, right: str) -> float:
        """log10 P(word | left) / P(word) + log10 P(right | word) / P(right): what the neighbours
        add to the word's own probability (0 for a pair never seen beside a common word costs
        ``2 * log10(BACKOFF)``); a word the bigram source does not know is scored as unseen pairs."""
        words = self.words
        if not words.covers(word):
            return 2 * LOG_BACKOFF
        lp = 0.0
        if left:
            lp += words.pair(left, word) - words.unigram(word)
        if right:
            lp += words.pair(word, right) - words.unigram(right)
        return lp if math.isfinite(lp) else 0.0
