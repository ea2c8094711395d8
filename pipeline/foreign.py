"""Phrases of another language inside English text, found by word frequencies, so that no stage reads them as
misprinted English (``je t'aime`` -> ``time``, ``nicht`` -> ``night``, ``Il y a`` -> ``By a``).

Method: a word *leans* to a language L when wordfreq's Zipf frequency of it in L (Speer et al., wordfreq 3,
its ``small`` lists) is at least :data:`MIN_ZIPF` and exceeds its English Zipf frequency by :data:`LEAN` or
more, i.e. the word is a hundred times commoner in L than in English: ``nicht`` (German 7.0, English 2.9),
``dans`` (French 6.9, English 3.3). English words that other languages also use (``in``, ``was``, ``so``,
``man``) do not lean. Its *evidence* is how much likelier (log10) it is as a word of L than as English: its
probability in L against, when the caller gives one, the best English explanation of it, a word or a
misreading of one under the OCR channel model (``havo``: Dutch 10^-5.0, ``have`` misread 10^-4.5, so no
evidence for Dutch), else its English frequency. A word is a *member* of a phrase with evidence of
:data:`MEMBER_EVIDENCE` or more.

A *phrase* is a run of members of one language, each within :data:`GAP` other words of the next, in one
sentence (a stop, with any closing quote or bracket, then a space; or a blank line), where: there are three
members at least, they are :data:`DENSITY` of the run's words or more (garbled English keeps its plain words
between the garbles: ``told hirn tbat wo bad seen bis horse``), and one of four letters or more carries
:data:`STRONG_EVIDENCE` (short leaning words, ``la``, ``se``, ``en``, are common garbles of English ones).
The phrase covers its first member to its last.

The languages are those of the Latin script that wordfreq lists and that English books quote most (French,
German, Spanish, Italian, Dutch, Portuguese); Latin has no wordfreq list and is not detected; nor are
phrases of short words only (``Was ist das``). The table of leaning words (about 133,000) is built once from
wordfreq and kept in the per-user cache (:func:`pipeline.store.cached_data`, keyed by wordfreq's data files
and this module's source).
"""

from __future__ import annotations

from collections.abc import Callable
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
#: Evidence (log10 likelihood ratio, see the module docstring) a word needs to be a member of a phrase.
MEMBER_EVIDENCE = 1.0
#: Evidence the strongest long member of a phrase needs (``dans`` 3.8 against ``davis``; ``mede`` 2.8 against
#: ``made``).
STRONG_EVIDENCE = 3.0
#: Share of a phrase's words that must be members.
DENSITY = 0.6
#: Other words allowed between two members of one phrase.
GAP = 2
#: Letters of the strong member a phrase needs.
LONG_WORD = 4

#: A word: letters, with an elision inside (``t'aime``, ``qu'il``).
WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")
#: What ends a sentence: a phrase does not run across it (a stop with any closing quote or bracket, then a
#: space; a blank line).
SENTENCE_END = regex.compile(r"[.!?;:][\"'”’)\]»]*\s|\n[ \t]*\n")

#: A table of leaning words: ``{word: ((language, zipf), ...)}``.
Table = dict[str, tuple[tuple[str, float], ...]]


def leaning_words() -> Table:
    """``{word: ((language, zipf), ...)}``: each lower-case word of :data:`LANGUAGES` that leans away from
    English, with the languages it leans to and its Zipf frequency in each (``"il": (("fr", 7.0), ("it",
    7.3))``). From the per-user cache, built from wordfreq on first use (about 6 s)."""
    return _leaning_words()


@lru_cache(maxsize=1)
def _leaning_words() -> Table:
    from importlib.util import find_spec

    from pipeline.store import cached_data, file_stamp

    spec = find_spec("wordfreq")
    origin = Path(spec.origin) if spec and spec.origin else None
    files = [origin.parent / "data" / f"small_{lang}.msgpack.gz" for lang in (*LANGUAGES, "en")] if origin else []
    if origin is None or not all(f.is_file() for f in files):
        return _build()
    return cached_data("foreign-words", [file_stamp(*files, origin, __file__)], _build)


def _build() -> Table:
    import wordfreq

    found: dict[str, list[tuple[str, float]]] = {}
    for lang in LANGUAGES:
        for word in wordfreq.iter_wordlist(lang, "small"):
            zipf = wordfreq.zipf_frequency(word, lang)
            if zipf < MIN_ZIPF:
                break  # the list runs from the commonest word down
            if WORD.fullmatch(word) and zipf - wordfreq.zipf_frequency(word, "en") >= LEAN:
                found.setdefault(word, []).append((lang, zipf))
    return {word: tuple(langs) for word, langs in found.items()}


def leans(word: str, table: Table) -> dict[str, float]:
    """``{language: zipf}`` of the languages ``word`` leans to (empty for an English word or an unknown one).
    An elided word is looked up whole, then by what follows the apostrophe (``t'aime`` as ``aime``)."""
    low = word.lower().replace("’", "'")
    langs = table.get(low)
    if langs is None and "'" in low:
        langs = table.get(low.rsplit("'", 1)[1])
    return dict(langs) if langs else {}


def foreign_phrases(text: str, english_logp: Callable[[str], float] | None = None) -> list[tuple[int, int, str]]:
    """The phrases of another language in ``text``: ``(start, end, language)`` character offsets, sorted and
    not overlapping (an overlap of two languages' phrases is merged under the first). ``english_logp``:
    log10 probability of a word's best English explanation (a word, or a misreading of one: the noisy-channel
    corrector's best reading); without it, a word's English frequency stands for it."""
    table = leaning_words()
    words = list(WORD.finditer(text))
    if not words:
        return []
    sentence = _sentence_numbers(words, [m.end() for m in SENTENCE_END.finditer(text)])
    evidence: dict[tuple[int, str], float] = {}
    for k, m in enumerate(words):
        langs = leans(m.group(), table)
        if langs:
            english = english_logp(m.group()) if english_logp is not None else _english_zipf(m.group()) - 9.0
            for lang, zipf in langs.items():
                if zipf - 9.0 - english >= MEMBER_EVIDENCE:
                    evidence[k, lang] = zipf - 9.0 - english
    spans: list[tuple[int, int, str]] = []
    for lang in LANGUAGES:
        run: list[int] = []
        for k in [*sorted(k for k, la in evidence if la == lang), -1]:
            if run and k != -1 and k - run[-1] <= GAP + 1 and sentence[k] == sentence[run[-1]]:
                run.append(k)
                continue
            if _phrase(run, [evidence[i, lang] for i in run], words):
                spans.append((words[run[0]].start(), words[run[-1]].end(), lang))
            run = [k]
    return _merged(spans)


def _english_zipf(word: str) -> float:
    import wordfreq

    return float(wordfreq.zipf_frequency(word.lower(), "en"))


def _phrase(run: list[int], evidence: list[float], words: list[regex.Match[str]]) -> bool:
    """Whether members at ``run`` (indices into ``words``, with their ``evidence``) make a phrase (see the
    module docstring)."""
    if len(run) < 3 or len(run) < DENSITY * (run[-1] - run[0] + 1):
        return False
    return any(len(words[k].group()) >= LONG_WORD and e >= STRONG_EVIDENCE for k, e in zip(run, evidence))


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


def outside(spans: list[tuple[int, int, str]], proposals: list[P]) -> list[P]:
    """The ``proposals`` (anything with ``start`` and ``end`` offsets) that overlap none of ``spans``."""
    return [p for p in proposals if not inside(spans, p.start, p.end)] if spans else proposals


def held(spans: list[tuple[int, int, str]], proposals: list[P]) -> list[P]:
    """The ``proposals`` that overlap one of ``spans`` (what :func:`outside` leaves out)."""
    return [p for p in proposals if inside(spans, p.start, p.end)] if spans else []


def inside(spans: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of ``spans`` (sorted, from :func:`foreign_phrases`)."""
    from bisect import bisect_left

    k = bisect_left(spans, (end,)) - 1  # the last span that starts before ``end``
    return k >= 0 and spans[k][1] > start
