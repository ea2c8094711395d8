"""Word knowledge: a large English frequency lexicon, user word lists, and the corpus itself.

Why three sources: the frequency lexicon (wordfreq's 320k-word English list)
knows the language; the word lists in ``dictionaries/`` know the names and
terms of the collection; the corpus-induced counts know what *this* text
spells intact elsewhere, which is the strongest evidence when a broken form
(`V la d ivosto k`) turns up. Loaded once per process and cached.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar, overload

import regex

DICT_DIR = Path(__file__).resolve().parent.parent / "dictionaries"
#: Ceiling on the corpus-induced probability per occurrence of a word.
CORPUS_MAX_P = 3e-5
#: Extra cost of a possessive (``Kolchak's``) over its base word.
POSSESSIVE_COST = 1.0
#: Zipf frequency from which a word of the broad list counts as attested without the dictionary.
ATTESTED_ZIPF = 3.0
#: Letter sequences that mark a token as a word fragment rather than a word.
_FRAGMENT = regex.compile(r"^(?:tion|ment|ance|ence|ness|ing|ble|ally)$")
#: A word token: letters with inner apostrophes or hyphens.
WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")


class Counts:
    """Word counts as a read-only base plus this layer's own changes: what a document's lexicon adds
    to (or takes from) its collection's counts without copying them, so that deriving it costs time
    in the size of the document, not of the collection.

    Reads as a :class:`~collections.Counter` of positive counts (``get``, ``in``, ``items``); a count
    that falls to zero or below is absent. ``base``: a :class:`Counter` or another layer; it must not
    change afterwards (:meth:`Lexicon.add_corpus_text` adds a new layer over counts that another layer
    is built on). A lookup sums the layers' deltas and the bottom Counter.
    """

    __slots__ = ("base", "delta", "frozen", "_dicts")

    def __init__(self, base: Counter[str] | Counts, delta: Counter[str] | None = None) -> None:
        self.base = base
        self.delta: Counter[str] = Counter() if delta is None else delta
        #: set once a layer has been built over this one: it must not change any more
        self.frozen = False
        if isinstance(base, Counts):
            base.frozen = True
            self._dicts: tuple[dict[str, int], ...] = (self.delta, *base._dicts)
        else:
            self._dicts = (self.delta, base)

    @overload
    def get(self, key: str) -> int | None: ...

    @overload
    def get(self, key: str, default: int) -> int: ...

    def get(self, key: str, default: int | None = None) -> int | None:
        """The positive count of ``key``, else ``default`` (as :meth:`dict.get`)."""
        n = 0
        for d in self._dicts:
            n += d.get(key, 0)
        return n if n > 0 else default

    def __getitem__(self, key: str) -> int:
        return self.get(key, 0) or 0

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def items(self) -> Iterator[tuple[str, int]]:
        """Every key with a positive count (walks every layer: for whole-collection work only), in the
        order the layers first name them, top layer first."""
        *upper, bottom = self._dicts
        totals = dict(bottom)
        for d in reversed(upper):
            for key, n in d.items():
                totals[key] = totals.get(key, 0) + n
        order: dict[str, None] = {}
        for d in upper:
            order.update(dict.fromkeys(d))
        for key in order:
            n = totals[key]
            if n > 0:
                yield key, n
        for key, n in totals.items():
            if n > 0 and key not in order:
                yield key, n

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.items())

    def __iter__(self) -> Iterator[str]:
        return self.keys()

    def update(self, counts: Counter[str]) -> None:
        """Add ``counts`` to this layer (only while no layer is built over it)."""
        if self.frozen:
            raise ValueError("these counts are the base of another layer and cannot change")
        self.delta.update(counts)

    def layers(self) -> list[Counts]:
        """This layer and those under it, top first."""
        out: list[Counts] = [self]
        while isinstance(out[-1].base, Counts):
            out.append(out[-1].base)
        return out


def count_tables(counts: Counter[str] | Counts) -> tuple[dict[str, int], ...]:
    """The plain dictionaries whose sum makes ``counts``: a word absent from all of them has no count
    (a quick test before :meth:`Counts.get`)."""
    return counts._dicts if isinstance(counts, Counts) else (counts,)


#: A new layer takes over the changes of its base layer instead of stacking on it when the base layer
#: changes at most MERGE_FACTOR times as many words as it does, plus MERGE_SLACK: lookups stay a few
#: dictionary reads deep, and a collection's large layer is never copied for one of its documents.
MERGE_FACTOR = 4
MERGE_SLACK = 1000


def _taken_over(counts: Counter[str] | Counts, add: Counter[str]) -> Counts:
    """``layered(counts, add)``, the same layer; when ``counts`` holds no counts at all (a static lexicon, under a
    batch's collection counts) ``add`` itself becomes the layer's counts instead of a copy of it (a collection's
    counters are the largest a worker holds besides the word lists): it must not change afterwards."""
    if isinstance(counts, Counts) and not any(count_tables(counts)):
        return Counts(counts.base, add)
    return layered(counts, add)


def layered(counts: Counter[str] | Counts, add: Counter[str] | None = None,
            remove: Counter[str] | None = None) -> Counts:
    """A new layer over ``counts`` that adds ``add`` and takes away ``remove``, each count floored at
    zero as Counter subtraction does (``max(0, n - removed)``). Costs time in the size of ``add`` and
    ``remove`` (plus that of a small base layer it takes over, see :data:`MERGE_FACTOR`)."""
    delta: Counter[str] = Counter()
    if remove:
        for key, n in remove.items():
            have = counts.get(key, 0) or 0
            if have > 0:
                delta[key] = -min(have, n)
    if add:
        delta.update(add)
    if isinstance(counts, Counts) and len(counts.delta) <= MERGE_FACTOR * len(delta) + MERGE_SLACK:
        merged = Counter(counts.delta)
        for key, n in delta.items():
            merged[key] = merged.get(key, 0) + n
        return Counts(counts.base, merged)
    return Counts(counts, delta)


#: A lexicon's memo of word costs, and the zipf memo its derived lexicons share, are emptied when they reach
#: this many words (about 100 bytes each), so a long run's memory stays flat.
MEMO_MAX = 50_000

class StaticWords:
    """``word in view``: whether any of the static sources (the broad list, the curated dictionary, the
    user lists) holds ``word``, answered by asking each in turn. The same answers as one set of their
    union (the sources are not changed once a lexicon is made), without a third copy of 400,000 keys:
    that set's hash table took 16 MB per process (RSS measured after building it)."""

    __slots__ = ("_broad", "_curated", "_listed")

    def __init__(self, broad: Container[str], curated: Container[str], listed: Container[str]) -> None:
        self._broad, self._curated, self._listed = broad, curated, listed

    def __contains__(self, word: object) -> bool:
        return word in self._broad or word in self._curated or word in self._listed


#: The word view of :meth:`Lexicon.static_words`, by static lexicon (a few per process at most).
_STATIC_WORDS: dict[tuple[int, ...], tuple[tuple[object, ...], StaticWords]] = {}
T = TypeVar("T")


def per_static_sources(cache: dict[tuple[int, ...], tuple[tuple[object, ...], T]], lexicon: Lexicon,
                       build: Callable[[], T]) -> T:
    """What ``build`` makes from ``lexicon``'s static sources (broad list, curated dictionary, user lists),
    kept in ``cache`` by the sources' ids for the last four static lexicons (the sources themselves are
    kept too, so a reused id is told apart)."""
    sources = (lexicon._freqs, lexicon.dictionary, lexicon.extra)
    key = tuple(id(x) for x in sources)
    hit = cache.get(key)
    if hit is None or any(a is not b for a, b in zip(hit[0], sources, strict=True)):
        if len(cache) >= 4:
            cache.clear()
        hit = cache[key] = (sources, build())
    return hit[1]


class Lexicon:
    """Frequencies of known words plus counts of words seen intact in the corpus.

    ``freqs`` is the broad list (it knows names and old spellings, but also web
    fragments such as ``th``); ``dictionary`` is a curated word list (symspellpy's
    SCOWL-filtered 82k words) that says which tokens are real standalone words.
    """

    def __init__(self, freqs: dict[str, float], extra_words: set[str] | None = None,
                 dictionary: dict[str, float] | None = None) -> None:
        self._freqs = freqs
        self.dictionary = dictionary or {}
        self.extra = {w.lower() for w in (extra_words or set())}
        self.extra_cased = set(extra_words or set())
        self._bigrams: Collection[str] | None = None
        #: Per-lexicon memo tables for derived facts (stages key them by purpose).
        self.memo: dict[str, dict[str, object]] = {}
        self.corpus: Counter[str] | Counts = Counter()
        #: Every token of the corpus, intact-looking or not (how often a spelling recurs).
        self.tokens: Counter[str] | Counts = Counter()
        #: Every token with its letter case as printed.
        self.cased: Counter[str] | Counts = Counter()
        #: Adjacent pairs of intact-looking words (corpus-induced context).
        self.corpus_pairs: Counter[str] | Counts = Counter()
        self._corpus_total = 0
        self._reset_memos()

    def _reset_memos(self, zipf: dict[str, float] | None = None) -> None:
        """Empty the memos of :meth:`cost` (which depends on the corpus counts) and, unless a shared one
        is given, of :meth:`zipf` (static sources only: shared by the lexicons derived from this one)."""
        self._zipf_memo: dict[str, float] = {} if zipf is None else zipf
        self._cost_memo: dict[str, float] = {}
        self._cost_corpus: object = None
        self._cost_total = -1

    # -- queries ---------------------------------------------------------
    def static_words(self) -> StaticWords:
        """Every lower-case word the static sources hold (broad list, curated dictionary, user lists), for
        quick rejection of strings no source knows: a membership view over the three (:class:`StaticWords`),
        one per static lexicon."""
        return per_static_sources(_STATIC_WORDS, self,
                                  lambda: StaticWords(self._freqs, self.dictionary, self.extra))

    def bigram(self, left: str, right: str) -> bool:
        """Whether the word pair is in symspellpy's bigram list (common English pairs)."""
        if self._bigrams is None:
            self._bigrams = read_bigrams()
        return f"{left.lower()} {right.lower()}" in self._bigrams

    def zipf(self, word: str) -> float:
        """Zipf frequency (of its rarest part, for a hyphenated compound)"""
        if "-" in word.strip("-"):
            return min(self.zipf(p) for p in word.split("-") if p) if word.strip("-") else 0.0
        return self._zipf(word)

    def _zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words) of a word; 0 for unknown words.

        User-listed words count as moderately common (3.0), so a listed name is
        never "corrected" into an ordinary word. Memoised (the static sources never change).
        """
        memo = self._zipf_memo
        z = memo.get(word)
        if z is None:
            if len(memo) >= MEMO_MAX:
                memo.clear()
            z = memo[word] = self._static_zipf(word)
        return z

    def _static_zipf(self, word: str) -> float:
        low = word.lower().replace("’", "'")
        f = self._freqs.get(low)
        z = math.log10(f * 1e9) if f else 0.0
        if low in self.extra:
            z = max(z, 3.0)
        return z

    def is_word(self, word: str) -> bool:
        """A real standalone word: curated dictionary, user lists, a longer word of the
        broad list, or a word seen intact in the corpus. Fragments (``th``, ``tion``) are not."""
        if "-" in word.strip("-"):
            return all(self.is_word(p) for p in word.split("-") if p)
        low = _base(word)
        if low in self.dictionary or low in self.extra:
            return True
        # ``low`` holds no inner hyphen here, so :meth:`zipf` is :meth:`_zipf`
        if len(low) >= 4 and self._zipf(low) >= 2.0 and not _FRAGMENT.search(low):
            return True
        return len(low) >= 4 and self.corpus.get(low, 0) >= 2

    def attested(self, word: str) -> bool:
        """Stricter than :meth:`is_word`: in the curated dictionary, a user list, common in the
        broad list (zipf >= ATTESTED_ZIPF), or seen intact in the corpus. What a merge of pieces
        must produce."""
        if "-" in word.strip("-"):
            return all(self.attested(p) for p in word.split("-") if p)
        low = _base(word)
        if low in self.dictionary or low in self.extra:
            return True
        return len(low) >= 3 and (self._zipf(low) >= ATTESTED_ZIPF or self.corpus.get(low, 0) >= 2)

    def cost(self, word: str) -> float:
        """-log10 probability of a word as a standalone token, for segmentation.

        Curated words get their frequency; words only the broad list knows are
        discounted (more for short ones, which are mostly fragments); words seen
        intact in this corpus get corpus evidence; unknown words pay by length. Memoised while the
        corpus counts stay the same object with the same total (:meth:`add_corpus_text` empties the memo).
        """
        if self._cost_corpus is not self.corpus or self._cost_total != self._corpus_total:
            self._cost_memo = {}
            self._cost_corpus, self._cost_total = self.corpus, self._corpus_total
        memo = self._cost_memo
        c = memo.get(word)
        if c is None:
            if len(memo) >= MEMO_MAX:
                memo.clear()
            c = memo[word] = self._word_cost(word)
        return c

    def static_cost(self, word: str) -> float:
        """:meth:`cost` from the static sources only, as if the corpus counted nothing: the same for every
        document (the word model's static unigram)."""
        return self._word_cost(word, static=True)

    def _word_cost(self, word: str, static: bool = False) -> float:
        """:meth:`cost`, computed (``static``: without the corpus counts)."""
        part = self.static_cost if static else self.cost
        if "-" in word.strip("-"):
            return sum(part(p) for p in word.split("-") if p)
        low = word.lower().replace("’", "'")
        if low.endswith("'s") and len(low) > 3 and low not in self._freqs:
            return part(word[:-2]) + POSSESSIVE_COST
        f = self._freqs.get(low, 0.0)
        if low in self.dictionary or low in self.extra:
            p = max(f, self.dictionary.get(low, 0.0), 1e-8)
        elif f:
            p = f * (0.3 if len(low) >= 4 else 0.001)
        else:
            p = 0.0
        c = 0 if static else self.corpus.get(low, 0)
        if c >= 2 and len(low) >= 3 and self._corpus_total:
            # a word's share of its own corpus, but no more than its count would earn in a
            # large one: in a short text one repetition must not look like a common word
            p = max(p, min(0.05 * c / self._corpus_total, CORPUS_MAX_P * c))
        if p > 0:
            return -math.log10(p)
        return 8.0 + 0.8 * len(low)

    def known(self, word: str, min_zipf: float = 1.0) -> bool:
        """Whether a word is attested: in the lexicon, the user lists, or the corpus."""
        return self.zipf(word) >= min_zipf or self.corpus_count(word) >= 2

    def corpus_count(self, word: str) -> int:
        return self.corpus.get(word.lower(), 0)

    # -- corpus ----------------------------------------------------------
    def add_corpus_text(self, text: str) -> None:
        """Count the words of a text that look intact (lower-cased) as corpus evidence.

        A token counts only when it has four letters or more and both neighbours are
        real words, so the pieces of a split word (``V la d ivosto k``, ``Mar it ime``)
        never vouch for themselves.
        """
        total, tokens, cased, corpus, pairs = self._count(text)
        self._corpus_total += total
        # the counts change in place: what was derived from them is stale
        self._cost_memo, self._cost_corpus = {}, None
        self.memo = {}
        # counts that other lexicons are built on stay as they are: the new counts go in a layer of their own
        self.tokens, self.cased = _writable(self.tokens), _writable(self.cased)
        self.corpus, self.corpus_pairs = _writable(self.corpus), _writable(self.corpus_pairs)
        self.tokens.update(tokens)
        self.cased.update(cased)
        self.corpus.update(corpus)
        self.corpus_pairs.update(pairs)

    def _count(self, text: str) -> tuple[int, Counter[str], Counter[str], Counter[str], Counter[str]]:
        """The corpus counts one text contributes (see :meth:`add_corpus_text`). One pass over the
        tokens with one token of look-ahead: no list of the text's tokens is built, so counting a long
        input (a whole document cleaned in windows) costs memory in its vocabulary, not its length."""
        return self._count_parts((text,))

    def _count_parts(self, parts: Iterable[str]) -> tuple[int, Counter[str], Counter[str], Counter[str],
                                                           Counter[str]]:
        """:meth:`_count` of the text ``parts`` make when joined, one part at a time (the look-ahead
        carries over). No word may run across two parts: cut only next to a character that is neither
        a letter nor an apostrophe (:func:`pipeline.reading.word_aligned` cuts at white space)."""
        dictionary = self.dictionary
        tokens: Counter[str] = Counter()
        cased: Counter[str] = Counter()
        corpus: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        total = 0
        # the word before the current one is intact-looking (True before the first word)
        left = True
        current: str | None = None
        current_ok = False
        for text in parts:
            for match in WORD.finditer(text):
                word = match.group()
                total += 1
                low = word.lower()
                tokens[low] += 1
                cased[word] += 1
                word_ok = low in dictionary and (len(word) > 1 or word in "aAI") or len(word) >= 4
                if current is not None:
                    self._count_word(current, left, current_ok, word_ok, word, corpus, pairs)
                    left = current_ok
                current, current_ok = word, word_ok
        if current is not None:
            self._count_word(current, left, current_ok, True, None, corpus, pairs)
        return total, tokens, cased, corpus, pairs

    @staticmethod
    def _count_word(word: str, left: bool, ok: bool, right: bool, following: str | None,
                    corpus: Counter[str], pairs: Counter[str]) -> None:
        """Count one word of :meth:`_count`: as intact when both neighbours look intact (``left``,
        ``right``), and its pair with the ``following`` word when both look intact."""
        if left and right and len(word) >= 4 and not mixed_case(word):
            low = word.lower().replace("’", "'")
            corpus[low[:-2] if low.endswith("'s") and len(low) > 4 else low] += 1
        if following is not None and ok and right and len(word) >= 3 and len(following) >= 3:
            pairs[f"{word.lower()} {following.lower()}"] += 1

    def without_corpus_text(self, text: str) -> Lexicon:
        """A copy whose corpus counts leave out one text (a document's share of its collection),
        so that a run counts the collection once instead of once per document. The copy is a layer
        over this lexicon's counts (:class:`Counts`): it costs time in the size of ``text`` only."""
        total, tokens, cased, corpus, pairs = self._count(text)
        lex = self._derived()
        lex._corpus_total = max(0, self._corpus_total - total)
        # each count floored at zero, as Counter subtraction does
        lex.tokens, lex.cased = layered(self.tokens, remove=tokens), layered(self.cased, remove=cased)
        lex.corpus, lex.corpus_pairs = layered(self.corpus, remove=corpus), layered(self.corpus_pairs, remove=pairs)
        return lex

    def corpus_pair(self, left: str, right: str) -> int:
        """How often the corpus shows this word pair intact (``Maritime Region``)."""
        return self.corpus_pairs.get(f"{left.lower()} {right.lower()}", 0)

    def with_corpus(self, text: str) -> Lexicon:
        """A copy sharing the static lexicon but with its own corpus counts, which also count ``text``
        (a layer over this lexicon's counts: it costs time in the size of ``text`` only)."""
        total, tokens, cased, corpus, pairs = self._count(text)
        lex = self._derived()
        lex._corpus_total = self._corpus_total + total
        lex.tokens, lex.cased = layered(self.tokens, tokens), layered(self.cased, cased)
        lex.corpus, lex.corpus_pairs = layered(self.corpus, corpus), layered(self.corpus_pairs, pairs)
        return lex

    def _derived(self) -> Lexicon:
        """A lexicon sharing this one's static parts, with this one's corpus counts (to be layered over)."""
        # this lexicon's counts become layers, so a later add_corpus_text here cannot reach the copy
        self.corpus, self.tokens = _as_layer(self.corpus), _as_layer(self.tokens)
        self.cased, self.corpus_pairs = _as_layer(self.cased), _as_layer(self.corpus_pairs)
        lex = Lexicon.__new__(Lexicon)
        lex._freqs = self._freqs
        if self._bigrams is None:
            self._bigrams = read_bigrams()
        lex._bigrams = self._bigrams
        lex.dictionary = self.dictionary
        lex._corpus_total = self._corpus_total
        lex.extra = self.extra
        lex.extra_cased = self.extra_cased
        lex.memo = {}
        lex._reset_memos(self._zipf_memo)
        lex.corpus, lex.tokens, lex.cased, lex.corpus_pairs = self.corpus, self.tokens, self.cased, self.corpus_pairs
        return lex


    def counts_of(self, text: str) -> CorpusCounts:
        """The corpus counts one text contributes, as a picklable value (see :class:`CorpusCounts`)."""
        return CorpusCounts(*self._count(text))

    def counts_of_parts(self, parts: Iterable[str]) -> CorpusCounts:
        """:meth:`counts_of` the text that ``parts`` make when joined, read one part at a time, so a long
        input is counted without being held whole (parts cut as :meth:`_count_parts` requires)."""
        return CorpusCounts(*self._count_parts(parts))

    def with_counts(self, counts: CorpusCounts) -> Lexicon:
        """A copy sharing the static lexicon whose corpus counts are this one's plus ``counts``
        (how a batch worker receives a collection's evidence without its texts): one layer over this
        lexicon's counts, built in time of ``counts``; over a lexicon that counts nothing, ``counts``'s counters
        are taken over, not copied (they must not change afterwards)."""
        lex = self._derived()
        lex._corpus_total = self._corpus_total + counts.total
        lex.tokens, lex.cased = _taken_over(self.tokens, counts.tokens), _taken_over(self.cased, counts.cased)
        lex.corpus = _taken_over(self.corpus, counts.corpus)
        lex.corpus_pairs = _taken_over(self.corpus_pairs, counts.pairs)
        return lex


@dataclass
class CorpusCounts:
    """Corpus evidence of a collection: token totals and the four counters
    :meth:`Lexicon.add_corpus_text` keeps. Summed document by document (``+=``), so a batch run
    counts its collection in one streaming pass and ships only these counters to its workers."""

    total: int = 0
    tokens: Counter[str] = field(default_factory=Counter)
    cased: Counter[str] = field(default_factory=Counter)
    corpus: Counter[str] = field(default_factory=Counter)
    pairs: Counter[str] = field(default_factory=Counter)

    def __iadd__(self, other: CorpusCounts) -> CorpusCounts:
        self.total += other.total
        self.tokens.update(other.tokens)
        self.cased.update(other.cased)
        self.corpus.update(other.corpus)
        self.pairs.update(other.pairs)
        return self


#: Names that legitimately carry a capital inside the word (``McDonald``, ``DeWitt``, ``O'Brien``).
_INNER_CAPITAL = regex.compile(r"\p{Ll}\p{Lu}")
_NAME_CAPS = regex.compile(r"^(?:Mc|Mac|O'|O’|D'|De|Di|Du|La|Le|Van|Von)\p{Lu}")


def _as_layer(counts: Counter[str] | Counts) -> Counts:
    """``counts`` as a :class:`Counts` layer, frozen (others are about to be built on it)."""
    layer = counts if isinstance(counts, Counts) else Counts(Counter(), counts)
    layer.frozen = True
    return layer


def _writable(counts: Counter[str] | Counts) -> Counter[str] | Counts:
    """``counts`` if it may be updated in place, else a new empty layer over it."""
    if isinstance(counts, Counts) and counts.frozen:
        return Counts(counts)
    return counts


def _base(word: str) -> str:
    """The form words are looked up by: lower case, one apostrophe, without a possessive ``'s``."""
    low = word.lower().replace("’", "'")
    return low[:-2] if low.endswith("'s") and len(low) > 3 else low


def mixed_case(word: str) -> bool:
    """A capital after a small letter inside a word (``shaU``, ``KoIchak``): an OCR artefact,
    except in the name patterns that print one (``McDonald``)."""
    return bool(_INNER_CAPITAL.search(word)) and not _NAME_CAPS.match(word)


def early_modern_share(text: str, lex: Lexicon, min_length: int = 3) -> float:
    """Share of a text's lower-case words (of ``min_length`` letters or more) that are unknown but become
    a dictionary word once one regular variation of Early Modern English spelling is undone (final
    ``e``: ``booke``, ``wayes``; ``i`` for ``j``: ``ioy``; ``u`` and ``v`` interchanged: ``vnto``,
    ``haue``; ``ie`` for ``y``: ``citie``; after VARD, Baron & Rayson 2008). 0.0 for a text without
    such words. OCR noise seldom makes these variations: newspaper OCR of 1842-1954 scores at most
    1.1%, early modern chapbooks 2-10%."""
    words = regex.findall(rf"(?<![\p{{L}}'])\p{{Ll}}{{{min_length},}}(?![\p{{L}}'])", text)
    if not words:
        return 0.0
    hits = 0
    for w in words:
        if w in lex.dictionary or lex.is_word(w):
            continue
        variants = [w[:-1] if w.endswith("e") else "", "j" + w[1:] if w.startswith("i") else "",
                    w.replace("u", "v"), w.replace("v", "u"), w[:-2] + "y" if w.endswith("ie") else "",
                    w[:-2] + "s" if w.endswith("es") else ""]
        hits += any(v and v != w and v in lex.dictionary for v in variants)
    return hits / len(words)


def read_word_lists(folder: Path = DICT_DIR) -> set[str]:
    """Words from every ``*.txt`` list in ``dictionaries/`` (one per line, ``#`` comments)."""
    words: set[str] = set()
    if folder.is_dir():
        for path in sorted(folder.glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    words.add(line)
    return words


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The shared lexicon (wordfreq large English list + dictionaries/), loaded once."""
    freqs, dictionary = static_frequencies()
    return Lexicon(freqs, read_word_lists(), dictionary)


def shared_keys(table: dict[str, T], other: Collection[str]) -> dict[str, T]:
    """``table`` with every key that ``other`` also holds replaced by ``other``'s own string object: the same
    keys, values and order (so the same answers), each string held once (about 60 bytes a word). The
    curated dictionary's 82,834 words are nearly all in wordfreq's list: :func:`_read_frequencies` shares
    them before the pair is cached, and ``marshal`` keeps the sharing in the cache file (5 MB per process)."""
    own = {key: key for key in other if key in table}
    return {own.get(key, key): value for key, value in table.items()}


def same_keys(table: dict[str, T], keys: Mapping[str, object]) -> dict[str, T]:
    """``table`` keyed by ``keys``'s string objects when both hold the same keys in the same order (then the
    same mapping, each string held once), else ``table`` itself. A check of a few milliseconds: the word
    model's unigram totals and the curated dictionary are read from the same file (5 MB per process)."""
    if len(table) != len(keys) or list(table) != list(keys):
        return table
    return dict(zip(keys, table.values()))


def static_frequencies() -> tuple[dict[str, float], dict[str, float]]:
    """(wordfreq's large English list, :func:`read_dictionary`): from the per-user cache
    (:func:`pipeline.store.cached_data`, keyed by the contents of both data files, of
    wordfreq's ``__init__.py`` and of this module), read and cached on first use; read directly if
    wordfreq's data file cannot be found without importing it."""
    from importlib.resources import as_file, files
    from importlib.util import find_spec

    from pipeline.store import cached_data, file_stamp

    spec = find_spec("wordfreq")
    origin = Path(spec.origin) if spec and spec.origin else None
    data = origin.parent / "data" / "large_en.msgpack.gz" if origin else None
    if origin is None or data is None or not data.is_file():
        return _read_frequencies()
    with as_file(files("symspellpy").joinpath(DICTIONARY_FILE)) as curated:
        stamp = file_stamp(data, origin, curated, __file__)
    return cached_data("lexicon", [stamp], _read_frequencies)


def _read_frequencies() -> tuple[dict[str, float], dict[str, float]]:
    import wordfreq

    freqs = wordfreq.get_frequency_dict("en", "large")
    return freqs, shared_keys(read_dictionary(), freqs)


#: symspellpy's list files that :func:`bigram_counts` reads.
BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"
UNIGRAM_FILE = "frequency_dictionary_en_82_765.txt"


@lru_cache(maxsize=1)
def bigram_counts() -> tuple[dict[str, int], dict[str, float]]:
    """(pair counts ``"w1 w2" -> n``, left-word totals ``w -> n``) of symspellpy's lists (see
    :func:`count_bigrams`), from the per-user cache (:func:`pipeline.store.cached_data`,
    keyed by the two files' and this module's contents) or counted and cached on first use."""
    from importlib.resources import as_file, files

    from pipeline.store import cached_data, file_stamp

    pkg = files("symspellpy")
    with as_file(pkg.joinpath(BIGRAM_FILE)) as bigrams, as_file(pkg.joinpath(UNIGRAM_FILE)) as unigrams:
        stamp = file_stamp(bigrams, unigrams, __file__)
    pairs, totals = cached_data("bigram-counts", [stamp], count_bigrams)
    return pairs, same_keys(totals, get_lexicon().dictionary)


def count_bigrams() -> tuple[dict[str, int], dict[str, float]]:
    """(pair counts ``"w1 w2" -> n``, left-word totals ``w -> n``) of symspellpy's lists, counted.

    The two lists were counted on corpora of different size (a pair of common words is
    counted some 40 times more often than the left word alone), so a left word's total is its
    unigram count times a scale: the largest share of the unigram count that the listed pairs
    starting with a very common word cover (95th percentile over the 200 commonest words)."""
    from importlib.resources import files

    pkg = files("symspellpy")
    pairs: dict[str, int] = {}
    for line in pkg.joinpath(BIGRAM_FILE).read_text(encoding="utf-8").splitlines():
        key, _, n = line.rpartition(" ")
        if key and n.isdigit():
            pairs[key] = int(n)
    unigrams: dict[str, int] = {}
    for line in pkg.joinpath(UNIGRAM_FILE).read_text(encoding="utf-8").splitlines():
        word, _, n = line.partition(" ")
        if n.isdigit():
            unigrams[word] = int(n)
    covered: dict[str, int] = {}
    for key, count in pairs.items():
        left = key.partition(" ")[0]
        covered[left] = covered.get(left, 0) + count
    common = sorted(unigrams, key=unigrams.__getitem__, reverse=True)[:200]
    ratios = sorted(covered.get(w, 0) / unigrams[w] for w in common)
    scale = ratios[int(0.95 * (len(ratios) - 1))]
    return pairs, {w: n * scale for w, n in unigrams.items()}


def read_bigrams() -> Collection[str]:
    """symspellpy's English bigram list (243k pairs ``"w1 w2"``): which word pairs are normal English.
    The keys of the word model's pair counts (:func:`bigram_counts`,
    cached on disk), so that the list is held in memory once."""
    return bigram_counts()[0]  # a dict: `in` tests its keys


#: symspellpy's curated word list (SCOWL-filtered, with Google Books counts).
DICTIONARY_FILE = "frequency_dictionary_en_82_765.txt"


def read_dictionary() -> dict[str, float]:
    """symspellpy's curated English word list, as relative frequencies."""
    from importlib.resources import files

    counts: dict[str, float] = {}
    text = files("symspellpy").joinpath(DICTIONARY_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if count:
            counts[word] = float(count)
    total = sum(counts.values()) or 1.0
    return {w: c / total for w, c in counts.items()}


#: Regular inflections of older English that the word lists lack, as (ending, what replaces it in the
#: modern form): the ``-t`` preterite and participle (``crost`` crossed, ``drest`` dressed, ``stopt``
#: stopped, ``lookt`` looked) and the ``-eth`` third person (``walketh`` walks, ``maketh`` makes).
ARCHAIC_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("st", ("sed", "ssed")), ("pt", ("ped", "pped")), ("xt", ("xed",)), ("kt", ("ked",)),
    ("eth", ("", "e", "s")),
)
#: Shortest token read as an older inflection (``bost`` is likelier ``best`` misread than ``bossed``).
ARCHAIC_MIN = 5


def archaic_base(word: str, lex: Lexicon) -> str | None:
    """The modern form of a regular older inflection no list knows (``crost`` -> ``crossed``,
    ``walketh`` -> ``walk``), when that form is in the curated dictionary; else ``None``.
    Only lower-case words of :data:`ARCHAIC_MIN` letters or more."""
    if len(word) < ARCHAIC_MIN or not word.isalpha() or not word.islower():
        return None
    for ending, modern in ARCHAIC_ENDINGS:
        if not word.endswith(ending):
            continue
        stem = word[:-len(ending)]
        for tail in modern:
            base = stem + tail  # ``cro`` + ``ssed``, ``sto`` + ``pped``, ``mak`` + ``e``
            if len(base) > 2 and base in lex.dictionary:
                return base
    return None


def early_modern_variant(word: str, modern: str) -> bool:
    """Whether ``word`` is ``modern`` in one of the regular spellings of Early Modern English that
    :func:`early_modern_share` counts (final ``e`` added: ``hee``, ``doe``; ``u``/``v`` or ``i``/``j``
    interchanged: ``vp``, ``iust``; ``ie`` or ``i`` for ``y``: ``citie``; ``y`` for ``i``), so that an
    old text writes it so on purpose."""
    w, m = word.lower(), modern.lower()
    if len(w) != len(m):
        return w == m + "e" or (m.endswith("y") and w == m[:-1] + "ie")
    pairs = {(a, b) for a, b in zip(w, m) if a != b}
    return bool(pairs) and pairs <= {("u", "v"), ("v", "u"), ("i", "j"), ("j", "i"), ("y", "i"), ("i", "y")}
