"""A letter model: how plausible a string is as the spelling of an English word.

Method: a character trigram model with Witten-Bell smoothing (Witten & Bell 1991; Chen &
Goodman 1998), trained on the vocabulary's word types (each word once, so common words do
not drown the spelling patterns of rare ones), with ``^^`` and ``$`` marking the ends.

What it is for: a token that no word list knows may be a name or a rare word that is right as
printed (``Windellama``, ``Semyonov``) or a misreading (``adiournfd``, ``pnrnlysed``). The
first kind spells the way words spell; the second holds letter sequences words do not have
(``nfd$``, ``pnrn``). :meth:`LetterModel.shortfall` says how much less probable a token is
than a typical vocabulary word of its length, which the corrector uses to lower the
probability of keeping an unknown token (:meth:`pipeline.correction.corrector.Corrector.own_logp`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

#: Order of the model (characters of history plus one).
ORDER = 3
START, END = "^", "$"
#: The typical probability per character is the median over every this-many-th training word (a sample).
TYPICAL_SAMPLE = 25


class LetterModel:
    """Character n-gram probabilities of word spellings (see the module docstring).

    ``words``: lower-case word types to learn from."""

    def __init__(self, words: Iterable[str]) -> None:
        padded = [START * (ORDER - 1) + w + END for w in words]
        self.counts: Counter[str] = Counter()
        for k in range(1, ORDER + 1):
            self.counts.update(s[i - k + 1:i + 1] for s in padded for i in range(ORDER - 1, len(s)))
        #: per history: (occurrences followed by anything, distinct characters following)
        self.history: dict[str, tuple[int, int]] = {}
        for gram, n in self.counts.items():
            total, kinds = self.history.get(gram[:-1], (0, 0))
            self.history[gram[:-1]] = (total + n, kinds + 1)
        self.alphabet = len({g for g in self.counts if len(g) == 1}) + 1
        sample = padded_words(sorted(padded)[::TYPICAL_SAMPLE])
        per_char = sorted(self.logp(w) / (len(w) + 1) for w in sample)
        #: median log10 probability per character of the training words
        self.typical = per_char[len(per_char) // 2] if per_char else -1.0
        self.shortfall = lru_cache(maxsize=20_000)(self._shortfall)

    def _char_logp(self, history: str, char: str) -> float:
        p = 1.0 / self.alphabet
        for k in range(len(history) + 1):
            h = history[len(history) - k:]
            total, kinds = self.history.get(h, (0, 0))
            if total:
                p = (self.counts.get(h + char, 0) + kinds * p) / (total + kinds)
        return math.log10(p)

    def logp(self, word: str) -> float:
        """log10 probability of ``word`` (lower-cased) as a spelling, end mark included."""
        s = START * (ORDER - 1) + word.lower() + END
        return sum(self._char_logp(s[i - ORDER + 1:i], s[i]) for i in range(ORDER - 1, len(s)))

    def _shortfall(self, word: str) -> float:
        """How much (log10, >= 0) less probable ``word`` is than a typical training word of its
        length: ``typical * (len + 1) - logp``, or 0 when it is at least as probable."""
        return max(0.0, self.typical * (len(word) + 1) - self.logp(word))


def padded_words(padded: list[str]) -> list[str]:
    """The words inside padded training strings."""
    return [s[ORDER - 1:-1] for s in padded]
