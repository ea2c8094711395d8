"""Proper adjectives of nations and languages (``French``, ``American``, ``Japanese``), which English always
writes with a capital, derived from the ISO 3166 country names and ISO 639-1 language names of pycountry.

The words are never listed by hand: a language's English name (its last word: ``Modern Greek`` gives
``Greek``) of five letters or more (shorter ones are also English words: ``Afar``, ``Ewe``), and the
adjectives a country's name forms with the regular suffixes of English demonyms (``-n``, ``-an``, ``-ian``,
``-ese``, ``-i``: ``America`` -> ``American``, ``Japan`` -> ``Japanese``, ``Iraq`` -> ``Iraqi``) where the
curated dictionary knows the derived word. Only a country's whole short name, or the last word of a name
``... of X`` or ``South X`` and the like, is a base (``Holy See`` and ``Republic of ...`` give none)."""

from __future__ import annotations

import re

#: Words that qualify a country's name without being it (``South Africa``, ``New Caledonia``).
QUALIFIERS = frozenset("north south east west northern southern eastern western new saudi sri".split())
#: The suffixes English demonyms are formed with; ``-i`` only after a consonant (``Iraqi``, ``Omani``).
SUFFIXES = ("n", "an", "ian", "ese")
#: Shortest base and shortest language name taken (shorter ones collide with English words: ``Man``, ``Ewe``).
MIN_BASE = 4
MIN_LANGUAGE = 5
_PARENTHESIS = re.compile(r"\s*\(.*?\)")


def _bases() -> set[str]:
    """Country words demonyms are formed from: whole one-word names, and the last word of ``... of X`` and
    of a qualified name (``South Africa``)."""
    import pycountry

    out: set[str] = set()
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")):
            words = _PARENTHESIS.sub("", name).split(",")[0].split()
            if not words:
                continue
            if len(words) == 1 or (len(words) >= 3 and words[-2] == "of") or (
                    len(words) == 2 and words[0].lower() in QUALIFIERS):
                if words[-1].isalpha() and len(words[-1]) >= MIN_BASE:
                    out.add(words[-1])
    return out


def _derived(base: str, known: frozenset[str] | set[str]) -> set[str]:
    """The demonyms of one country word that ``known`` (lower-case words) holds."""
    low = base.lower()
    stems = {low, low[:-1] if low[-1] in "aeoy" else low}
    out = {stem + suffix for stem in stems for suffix in SUFFIXES}
    if low[-1] not in "aeiouy":
        out.add(low + "i")
    return {w for w in out if w in known and w != low}


def _languages() -> set[str]:
    """English names of the ISO 639-1 languages, their last word, five letters or more, in lower case."""
    import pycountry

    out: set[str] = set()
    for language in pycountry.languages:
        if not hasattr(language, "alpha_2"):
            continue
        words = _PARENTHESIS.sub("", language.name).split()
        if words and words[-1].isalpha() and len(words[-1]) >= MIN_LANGUAGE:
            out.add(words[-1].lower())
    return out


def proper_adjectives(known: frozenset[str]) -> frozenset[str]:
    """Lower-case forms of the nation and language adjectives English capitalises, among ``known`` (the
    curated dictionary's words: a derived form no dictionary has is no word). Empty when pycountry is not
    installed. Not memoised here (a memo would keep ``known``, 4 MB for the curated dictionary, as its key):
    the characters stage keeps the answer per static lexicon."""
    try:
        bases = _bases()
        languages = _languages()
    except ImportError:
        return frozenset()
    out = {w for w in languages if w in known}
    for base in bases:
        out |= _derived(base, known)
    return frozenset(out)


__all__ = ["proper_adjectives"]
