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
from functools import lru_cache
from pathlib import Path

import regex

DICT_DIR = Path(__file__).resolve().parent.parent / "dictionaries"
#: A word token: letters with inner apostrophes or hyphens.
WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")


class Lexicon:
    """Frequencies of known words plus counts of words seen intact in the corpus."""

    def __init__(self, freqs: dict[str, float], extra_words: set[str] | None = None) -> None:
        self._freqs = freqs
        self.extra = {w.lower() for w in (extra_words or set())}
        self.extra_cased = set(extra_words or set())
        self.corpus: Counter[str] = Counter()

    # -- queries ---------------------------------------------------------
    def zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words) of a word; 0 for unknown words.

        User-listed words count as moderately common (3.0), so a listed name is
        never "corrected" into an ordinary word.
        """
        low = word.lower().replace("’", "'")
        f = self._freqs.get(low)
        z = math.log10(f * 1e9) if f else 0.0
        if low in self.extra:
            z = max(z, 3.0)
        return z

    def known(self, word: str, min_zipf: float = 1.0) -> bool:
        """Whether a word is attested: in the lexicon, the user lists, or the corpus."""
        return self.zipf(word) >= min_zipf or self.corpus_count(word) >= 2

    def corpus_count(self, word: str) -> int:
        return self.corpus.get(word.lower(), 0)

    # -- corpus ----------------------------------------------------------
    def add_corpus_text(self, text: str) -> None:
        """Count word tokens of a text (lower-cased) as corpus evidence."""
        self.corpus.update(m.group().lower() for m in WORD.finditer(text))

    def with_corpus(self, text: str) -> Lexicon:
        """A copy sharing the static lexicon but with its own corpus counts."""
        lex = Lexicon.__new__(Lexicon)
        lex._freqs = self._freqs
        lex.extra = self.extra
        lex.extra_cased = self.extra_cased
        lex.corpus = Counter(self.corpus)
        lex.add_corpus_text(text)
        return lex


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
    import wordfreq

    freqs = wordfreq.get_frequency_dict("en", "large")
    return Lexicon(freqs, read_word_lists())
