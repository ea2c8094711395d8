"""Phrases of another language inside English text, found by word frequencies, so that no stage reads
them as misprinted English (``je t'aime`` -> ``time``, ``nicht`` -> ``night``, ``Il y a`` -> ``By a``).

Method: a word *leans* to a language L when wordfreq's Zipf frequency of it in L (Speer et al., wordfreq
3, its ``small`` lists) is at least :data:`MIN_ZIPF` and exceeds its English Zipf frequency by
:data:`LEAN` or more, i.e. the word is a hundred times commoner in L than in English: ``nicht`` (German
7.0, English 2.9), ``dans`` (French 6.9, English 3.3), ``que`` (Spanish 7.5, English 3.8). English words
that other languages also use (``in``, ``was``, ``so``, ``man``, ``per``) do not lean. A *phrase* is a
run of words leaning to the same language, each within :data:`GAP` other words of the next, in one
sentence, with at least two such words of which one has four letters or more: the short words that lean
(``la``, ``se``, ``en``, ``ne``) are also common OCR garbles of English words (``ne`` for ``me``), and a
pair of them is no evidence; ``dans la nuit``, ``ist das Ihr`` are, and so are two long leaning words side by
side (``Sans Souci``). The phrase covers everything from its first leaning word to its last. The words
beside it are left to the other rules: in OCR an unknown word next to a name such as ``Sans Souci`` is
likelier a garble (``Broughton-Btroot``) than more of the phrase.

The languages are those of the Latin script that wordfreq lists and that English books quote most
(French, German, Spanish, Italian, Dutch, Portuguese); Latin has no wordfreq list and is not detected.
The table of leaning words (about 145,000) is built once from wordfreq and kept in the per-user cache
(:func:`pipeline.store.cached_data`, keyed by wordfreq's data files and this module's source).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol, TypeVar

import regex


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


P = TypeVar("P", bound=_Span)

#: The languages searched (wordfreq codes).
LANGUAGES = ("fr", "de", "es", "it", "nl", "pt")
#: Zipf frequency (log10 of occurrences per billion words) a word must reach in the other language.
MIN_ZIPF = 3.0
#: How much commoner (in Zipf units, orders of magnitude) a word must be in the other language than in English.
LEAN = 2.0
#: Other words allowed between two leaning words of one phrase.
GAP = 2
#: Letters of the longest leaning word a phrase needs (see the module docstring).
LONG_WORD = 4

#: A word: letters, with an elision or a compound's hyphen inside (``t'aime``, ``qu'il``, ``peut-être``).
WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")
#: What ends a sentence: a phrase does not run across it.
SENTENCE_END = regex.compile(r"[.!?;:]\s")


def leaning_words() -> dict[str, str]:
    """``{word: languages}``: each lower-case word of :data:`LANGUAGES` that leans away from English, with
    the codes of the languages it leans to, space-separated (``"il": "fr it"``). From the per-user cache,
    built from wordfreq on first use (about 6 s)."""
    return _leaning_words()


@lru_cache(maxsize=1)
def _leaning_words() -> dict[str, str]:
    from importlib.util import find_spec

    from pipeline.store import cached_data, file_stamp

    spec = find_spec("wordfreq")
    origin = Path(spec.origin) if spec and spec.origin else None
    files = [origin.parent / "data" / f"small_{lang}.msgpack.gz" for lang in (*LANGUAGES, "en")] if origin else []
    if origin is None or not all(f.is_file() for f in files):
        return _build()
    return cached_data("foreign-words", [file_stamp(*files, origin, __file__)], _build)


def _build() -> dict[str, str]:
    import wordfreq

    found: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for word in wordfreq.iter_wordlist(lang, "small"):
            zipf = wordfreq.zipf_frequency(word, lang)
            if zipf < MIN_ZIPF:
                break  # the list runs from the commonest word down
            if WORD.fullmatch(word) and zipf - wordfreq.zipf_frequency(word, "en") >= LEAN:
                found.setdefault(word, []).append(lang)
    return {word: " ".join(langs) for word, langs in found.items()}


def leans(word: str, table: dict[str, str]) -> tuple[str, ...]:
    """The languages ``word`` leans to (none for an English word or an unknown one). An elided word is
    looked up whole, then by what follows the apostrophe (``t'aime`` as ``aime``)."""
    low = word.lower().replace("’", "'")
    langs = table.get(low)
    if langs is None and "'" in low:
        langs = table.get(low.rsplit("'", 1)[1])
    return tuple(langs.split()) if langs else ()


def foreign_phrases(text: str) -> list[tuple[int, int, str]]:
    """The phrases of another language in ``text``: ``(start, end, language)`` character offsets, sorted and
    not overlapping (an overlap of two languages' phrases is merged under the first)."""
    table = leaning_words()
    words = list(WORD.finditer(text))
    if not words:
        return []
    breaks = [m.end() for m in SENTENCE_END.finditer(text)]
    sentence = _sentence_numbers(words, breaks)
    spans: list[tuple[int, int, str]] = []
    for lang in LANGUAGES:
        members = [k for k, m in enumerate(words) if lang in leans(m.group(), table)]
        run: list[int] = []
        for k in [*members, -1]:
            if run and k != -1 and k - run[-1] <= GAP + 1 and sentence[k] == sentence[run[-1]]:
                run.append(k)
                continue
            if _phrase(run, words):
                spans.append((words[run[0]].start(), words[run[-1]].end(), lang))
            run = [k]
    return _merged(spans)


def _phrase(run: list[int], words: list[regex.Match[str]]) -> bool:
    """Whether leaning words at ``run`` (indices into ``words``) make a phrase: three or more, one of
    :data:`LONG_WORD` letters at least, or two long ones side by side (``Sans Souci``)."""
    long = [len(words[k].group()) >= LONG_WORD for k in run]
    if len(run) >= 3:
        return any(long)
    return len(run) == 2 and all(long) and run[1] == run[0] + 1


def _sentence_numbers(words: list[regex.Match[str]], breaks: list[int]) -> list[int]:
    out, b = [], 0
    for m in words:
        while b < len(breaks) and breaks[b] <= m.start():
            b += 1
        out.append(b)
    return out


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, lang in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]), out[-1][2])
        else:
            out.append((start, end, lang))
    return out


def without_foreign(text: str) -> str:
    """``text`` with its phrases of another language (:func:`foreign_phrases`) blanked out (each character
    of a phrase but a line break becomes a space: lengths and lines are kept)."""
    spans = foreign_phrases(text)
    if not spans:
        return text
    parts, at = [], 0
    for start, end, _ in spans:
        parts.append(text[at:start])
        parts.append(regex.sub(r"[^\n]", " ", text[start:end]))
        at = end
    parts.append(text[at:])
    return "".join(parts)


def outside(spans: list[tuple[int, int, str]], proposals: list[P]) -> list[P]:
    """The ``proposals`` (anything with ``start`` and ``end`` offsets) that overlap none of ``spans``."""
    return [p for p in proposals if not inside(spans, p.start, p.end)] if spans else proposals


def inside(spans: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of ``spans`` (sorted, from :func:`foreign_phrases`)."""
    from bisect import bisect_left

    k = bisect_left(spans, (end,)) - 1  # the last span that starts before ``end``
    return k >= 0 and spans[k][1] > start
