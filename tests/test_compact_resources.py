"""Resources held in compact form: the same answers as the plain structures they replace, in less memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import regex

from pipeline.lexicon import Lexicon, StaticWords, get_lexicon

ROOT = Path(__file__).resolve().parents[1]


def _probe_words(lex: Lexicon) -> set[str]:
    """Words the sources hold, their near misses (a letter off either end) and the raw texts' tokens."""
    known = list(lex._freqs)[::50] + list(lex.dictionary)[::20] + list(lex.extra)
    probes = set(known) | {w[:-1] for w in known} | {w + "q" for w in known}
    for path in sorted((ROOT / "raw").glob("*.txt"))[:3]:
        probes |= {t.lower() for t in regex.findall(r"\w+", path.read_text(encoding="utf-8", errors="replace"))}
    return probes


def test_static_words_answer_as_the_union_of_the_sources() -> None:
    lex = get_lexicon()
    union = frozenset(lex._freqs).union(lex.dictionary, lex.extra)
    view = lex.static_words()
    probes = _probe_words(lex)
    assert {w for w in probes if w in view} == {w for w in probes if w in union}
    assert any(w in view for w in probes) and any(w not in view for w in probes)


def test_static_words_hold_no_copy_of_the_vocabulary() -> None:
    base = get_lexicon()
    lex = Lexicon(base._freqs, {"Zqxwords"}, base.dictionary)  # new sources: a view of its own is made
    tracemalloc.start()
    try:
        view = lex.static_words()
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(view, StaticWords) and "zqxwords" in view
    assert size < 100_000  # a set of the 400,000 keys: over 16 MB
