"""The word model: how likely a word is, alone and beside its neighbours.

Unigrams come from the lexicon (:meth:`pipeline.lexicon.Lexicon.cost`: the curated
dictionary, wordfreq's large English list, the user's lists and the corpus itself).
Bigrams are symspellpy's English bigram counts (243,342 pairs from the Google Books
n-gram corpus), normalised by the unigram counts of symspellpy's dictionary of the same
source (rescaled, see :func:`bigram_counts`). Unseen pairs back off to the
unigram probability times a constant ("stupid backoff", Brants et al. 2007).

All values are log10 probabilities.
"""

from __future__ import annotations

import math
from functools import lru_cache

from pipeline.lexicon import Lexicon, bigram_counts, count_bigrams, per_static_sources

__all__ = ["WordModel", "association", "bigram_counts", "count_bigrams"]

#: Backoff factor for a pair the bigram list does not hold (Brants et al. 2007 use 0.4).
BACKOFF = 0.4
LOG_BACKOFF = math.log10(BACKOFF)


#: Static word costs (log10 probabilities) by static lexicon (its frequency list, curated dictionary and user
#: words, kept to tell a reused id): each table is emptied when it holds :data:`MAX_STATIC` words, so a long
#: run's memory stays flat.
_STATIC: dict[tuple[int, ...], tuple[tuple[object, ...], dict[str, float]]] = {}
MAX_STATIC = 50_000


def _static_table(lexicon: Lexicon) -> dict[str, float]:
    """The table of static word costs of ``lexicon``'s static sources (the last few lexicons only)."""
    return per_static_sources(_STATIC, lexicon, dict)


class WordModel:
    """Unigram and bigram log probabilities over a lexicon (see the module docstring)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.pairs, self.unigrams = bigram_counts()
        self._static = _static_table(lexicon)

    def unigram(self, word: str) -> float:
        """log10 P(word), from the lexicon; unknown words get the lexicon's unknown-word cost."""
        return -self.lexicon.cost(word)

    def static_unigram(self, word: str) -> float:
        """log10 P(word) from the static lexicon only (no corpus counts): the same for every document."""
        hit = self._static.get(word)
        if hit is None:
            if len(self._static) >= MAX_STATIC:
                self._static.clear()
            hit = self._static[word] = -self.lexicon.static_cost(word)
        return hit

    def pair(self, left: str, right: str) -> float:
        """log10 P(right | left) with stupid backoff; '' on either side means no neighbour."""
        if not left or not right:
            return self.unigram(right) if right else 0.0
        lo, ro = left.lower(), right.lower()
        n = self.pairs.get(f"{lo} {ro}", 0)
        base = self.unigrams.get(lo, 0)
        p = n / base if n and base else 0.0
        if p > 0:
            return math.log10(min(p, 1.0))
        return LOG_BACKOFF + self.unigram(right)

    def covers(self, word: str) -> bool:
        """Whether the bigram source counts the word at all (``Mr`` is not: Google's books print ``Mr.``)."""
        return word.lower() in self.unigrams


@lru_cache(maxsize=1)
def _pair_totals() -> tuple[dict[str, int], dict[str, int], int]:
    """(counts of listed pairs by left word, by right word, all listed pairs) of symspellpy's bigram list."""
    pairs, _ = bigram_counts()
    left: dict[str, int] = {}
    right: dict[str, int] = {}
    total = 0
    for key, n in pairs.items():
        a, _, b = key.partition(" ")
        left[a] = left.get(a, 0) + n
        right[b] = right.get(b, 0) + n
        total += n
    return left, right, total


def association(left: str, right: str) -> float | None:
    """Pointwise mutual information (log10) of a word pair within the bigram list itself:
    log P(right | left) / P(right), both from the listed pairs (``I am``: about 2.9, ``I and``: -0.9).
    ``None`` when the list does not hold the pair. Unlike :meth:`WordModel.pair` it does not divide by a
    unigram count of another source, so a word whose unigram count is inflated there (``i``, also the
    Roman numeral and a list label) is measured fairly."""
    pairs, _ = bigram_counts()
    lo, ro = left.lower(), right.lower()
    n = pairs.get(f"{lo} {ro}", 0)
    if not n:
        return None
    by_left, by_right, total = _pair_totals()
    return math.log10(n / by_left[lo] / (by_right[ro] / total))
