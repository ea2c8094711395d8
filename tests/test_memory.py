"""Bounded memory for long inputs: windows are taken over as each is cleaned, the channel models a
document no longer reads give their memo tables back, and peak memory grows with the input no faster
than the input itself (generous bounds, no timing)."""

from __future__ import annotations

import gc
import itertools
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

import pipeline.api as api
from pipeline.api import clean_bytes
from pipeline.correction import _LOADED, load_channel, retire
from pipeline.correction.channel import ChannelModel
from pipeline.document import Document, Stitcher, _seam, _window_end
from pipeline.lexicon import WORD, Lexicon, get_lexicon, mixed_case


def _overproof(shared: Path, chars: int) -> str:
    """The OverProof development OCR (noisy newspaper text: the channel adapts to it), concatenated."""
    folder = shared / "benchmarks" / "overproof-smh-dev" / "raw"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    assert len(text) >= chars
    return text[:chars]


# -- the seam between windows is decided on the windows' ends alone ------------------------------------

_BODY = "The steamer arrived at the wharf on Tuesday.\n" * 200
_ORIGINAL_ENDS = ["\n\n", "\n \t\n" + " " * 300, "\f", "\n12\n", "\n- 12 -\n", "\n[Page 7]\n", " word", "word\n",
                  "word" + " " * 200, "line\n" + "\n" * 90, "\n12\n" + " " * 80, "x"]
_TEXT_ENDS = ["", "\n\n", " ", "word", "word\n", "word" + " " * 300]


@pytest.mark.parametrize(("orig_end", "text_end"), list(itertools.product(_ORIGINAL_ENDS, _TEXT_ENDS)))
def test_window_end_decides_the_seam_as_the_whole_window_does(orig_end: str, text_end: str) -> None:
    original = _BODY + orig_end
    for text in (_BODY.replace("\n", " ") + text_end, " \n " * 50):
        for nxt in ("A word", " A word", ""):
            assert _seam(*_window_end(text, original), nxt) == _seam(text, original, nxt)


def test_window_end_is_short() -> None:
    original = "A line of the page.\n" * 5000
    text_end, original_end = _window_end(original.replace("\n", " "), original)
    assert len(text_end) <= 2 and len(original_end) <= 100


# -- the stitcher ------------------------------------------------------------------------------------------

def test_stitcher_takes_each_window_over_and_checks_the_tiling() -> None:
    text = "First paragraph here.\n\nSecond paragraph here.\n"
    stitcher = Stitcher("x.txt", original=text)
    first = Document(text[:23], offset=0)
    stitcher.add(first)
    assert first.pieces == [] and first.edits == []  # consumed: the stitcher holds the only copy
    with pytest.raises(ValueError, match="tile"):
        stitcher.add(Document(text[24:], offset=24))
    with pytest.raises(ValueError, match="not the input's text"):
        stitcher.add(Document("Other" + text[28:], offset=23))
    stitcher.add(Document(text[23:], offset=23))
    doc = stitcher.finish()
    doc.check()
    assert doc.original == text and doc.text == text

    short = Stitcher(original=text)
    short.add(Document(text[:23], offset=0))
    with pytest.raises(ValueError, match="end at 23"):
        short.finish()


# -- channel models a document is done with ------------------------------------------------------------

def _memo_entries(channel: ChannelModel) -> int:
    return sum(table.cache_info().currsize for table in (channel._logp, channel._sub))


def test_retire_empties_an_adapted_model_and_keeps_its_answers() -> None:
    base = load_channel()
    corrector = type("C", (), {})()
    adapted = base.adapted([("tbe", "the"), ("fhip", "ship")], 20)
    corrector.channel = adapted  # type: ignore[attr-defined]
    before = [adapted.logp(s, p) for s, p in [("tbe", "the"), ("fhip", "ship"), ("wbarf", "wharf")]]
    assert _memo_entries(adapted) > 0
    retire(corrector)  # type: ignore[arg-type]
    assert _memo_entries(adapted) == 0
    assert [adapted.logp(s, p) for s, p in [("tbe", "the"), ("fhip", "ship"), ("wbarf", "wharf")]] == before
    base.logp("tbe", "the")
    corrector.channel = base  # type: ignore[attr-defined]
    retire(corrector)  # type: ignore[arg-type]
    assert _memo_entries(base) > 0  # the loaded model serves every document: it keeps its memo


def test_a_long_noisy_input_leaves_no_adapted_model_with_memo_entries(shared: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "WINDOW_CHARS", 4000)
    doc = clean_bytes(_overproof(shared, 14_000).encode("utf-8"), "long.txt")
    assert sum(1 for e in doc.edits if e.stage == "characters" and e.applied) > 10  # the channel had work
    gc.collect()
    channels = [o for o in gc.get_objects() if isinstance(o, ChannelModel)]
    adapted = [c for c in channels if _LOADED.get(id(c)) is not c]
    assert adapted, "the noisy text should have made the channel adapt"
    assert all(_memo_entries(c) == 0 for c in adapted)


# -- peak memory against input size -------------------------------------------------------------------------

def _traced_peak(data: bytes) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        doc = clean_bytes(data, "long.txt")
        del doc
        gc.collect()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_of_four_times_the_input_is_less_than_three_times(shared: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """4 windows against 16 windows of the same noisy text, after a first run over all of it (so the
    loaded resources and the loaded channel model's memo are in place): one window's working set is paid
    once, so the peak may grow by the finished windows' edits only. (Before the channel models a
    window was done with freed their memo tables, the ratio was 4.2.)"""
    text = _overproof(shared, 40_000)
    monkeypatch.setattr(api, "WINDOW_CHARS", 2500)
    clean_bytes(text.encode("utf-8"))  # one-time loads and the loaded model's memo are not counted
    small = _traced_peak(text[:10_000].encode("utf-8"))
    big = _traced_peak(text.encode("utf-8"))
    assert big < 3 * small, f"peak {big / 1e6:.1f} MB for 40 KB against {small / 1e6:.1f} MB for 10 KB"


# -- corpus counts of a long text ---------------------------------------------------------------------------

def _count_by_list(lex: Lexicon, text: str) -> tuple[int, Counter[str], Counter[str], Counter[str], Counter[str]]:
    """The counting rule of :meth:`Lexicon._count` written the plain way, over a list of the text's words."""
    words = [m.group() for m in WORD.finditer(text)]
    ok = [t.lower() in lex.dictionary and (len(t) > 1 or t in "aAI") or len(t) >= 4 for t in words]
    corpus: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for k, t in enumerate(words):
        left = ok[k - 1] if k > 0 else True
        right = ok[k + 1] if k + 1 < len(words) else True
        if left and right and len(t) >= 4 and not mixed_case(t):
            low = t.lower().replace("’", "'")
            corpus[low[:-2] if low.endswith("'s") and len(low) > 4 else low] += 1
        if k + 1 < len(words) and ok[k] and ok[k + 1] and len(t) >= 3 and len(words[k + 1]) >= 3:
            pairs[f"{t.lower()} {words[k + 1].lower()}"] += 1
    return len(words), Counter(t.lower() for t in words), Counter(words), corpus, pairs


_PAMPHLET = (Path(__file__).resolve().parents[1] / "raw" / "japanese-intervention-pamphlet.txt").read_text("utf-8")


@pytest.mark.parametrize("text", [_PAMPHLET, _PAMPHLET[:1], "", "a", "I am", "Tbe wharf's KoIchak shaU a b c",
                                  "x" * 5 + " and’s of the Maritime Region’s"])
def test_corpus_counts_stream_as_the_list_does(text: str) -> None:
    lex = get_lexicon()
    got, want = lex._count(text), _count_by_list(lex, text)
    assert got[0] == want[0]
    for a, b in zip(got[1:], want[1:]):
        assert list(a.items()) == list(b.items())  # the same counts, met in the same order


def test_counting_a_long_text_needs_memory_for_its_vocabulary_only() -> None:
    lex = get_lexicon()
    text = _PAMPHLET * 22  # about 2 MB, the pamphlet's vocabulary
    gc.collect()
    tracemalloc.start()
    try:
        lex._count(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12e6, f"{peak / 1e6:.1f} MB to count {len(text) / 1e6:.1f} MB"  # a list of its words: ~25 MB
