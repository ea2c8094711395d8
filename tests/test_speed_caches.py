"""The memos that make cleaning faster give the answers of the computation they replace, and are
dropped when what they were derived from changes (issue 9, speed on one core). No timing here."""

from __future__ import annotations

import random
from collections import Counter

from pipeline.context import Config, Context
from pipeline.correction.wordmodel import WordModel
from pipeline.document import Document, Proposal
from pipeline.lexicon import Counts, Lexicon, layered

FREQS = {"the": 0.05, "harbour": 2e-5, "pilot": 1e-5, "boat": 3e-5, "a": 0.02, "of": 0.03, "was": 0.01}
DICTIONARY = {"the": 0.05, "harbour": 2e-5, "pilot": 1e-5, "boat": 3e-5, "a": 0.02, "of": 0.03, "was": 0.01}
#: A word no source lists, printed intact several times between listed words.
CORPUS = "the pilot boat was a Wallaroo boat the harbour of Wallaroo was the harbour " * 3


def small_lexicon() -> Lexicon:
    return Lexicon(dict(FREQS), set(), dict(DICTIONARY))


def test_word_cost_memo_follows_the_corpus_counts() -> None:
    lex = small_lexicon()
    unknown = lex.cost("wallaroo")
    assert unknown == 8.0 + 0.8 * len("wallaroo")  # no source knows it yet
    lex.memo["stage"] = {"x": 1}
    lex.add_corpus_text(CORPUS)
    assert lex.corpus_count("wallaroo") >= 2
    assert lex.cost("wallaroo") < unknown  # counted in place: the memo was emptied
    assert lex.memo == {}  # and so were the stages' tables derived from the old counts
    fresh = small_lexicon()
    fresh.add_corpus_text(CORPUS)
    assert all(lex.cost(w) == fresh._word_cost(w) for w in ("wallaroo", "harbour", "pilot", "boats", "harbour's"))


def test_word_cost_memo_notices_replaced_counts() -> None:
    lex = small_lexicon().with_corpus(CORPUS)
    counted = lex.cost("wallaroo")
    lex.corpus = Counter()  # counts replaced wholesale, as a caller may
    assert lex.cost("wallaroo") == 8.0 + 0.8 * len("wallaroo") != counted


def test_static_cost_ignores_the_corpus() -> None:
    counted = small_lexicon().with_corpus(CORPUS)
    bare = small_lexicon()
    for word in ("wallaroo", "harbour", "the", "pilot-boat", "harbour's", "Wallaroo's"):
        assert counted.static_cost(word) == bare.cost(word), word
    assert counted.static_cost("wallaroo") != counted.cost("wallaroo")
    assert WordModel(counted).static_unigram("wallaroo") == -bare.cost("wallaroo")


def test_static_word_costs_are_kept_per_static_lexicon() -> None:
    one = small_lexicon()
    other = Lexicon({**FREQS, "wallaroo": 1e-6}, set(), dict(DICTIONARY))
    assert WordModel(one).static_unigram("wallaroo") == -one.cost("wallaroo")
    assert WordModel(other).static_unigram("wallaroo") == -other.cost("wallaroo")  # not the first one's value
    assert WordModel(one).static_unigram("wallaroo") != WordModel(other).static_unigram("wallaroo")


def naive_items(counts: Counts) -> list[tuple[str, int]]:
    """What :meth:`Counts.items` must give: keys in the order the layers first name them, top first, with
    their summed count where it is positive."""
    seen: set[str] = set()
    out: list[tuple[str, int]] = []
    for d in counts._dicts:
        for key in d:
            if key not in seen:
                seen.add(key)
                n = sum(layer.get(key, 0) for layer in counts._dicts)
                if n > 0:
                    out.append((key, n))
    return out


def test_layered_counts_items_sum_the_layers_in_order() -> None:
    rng = random.Random(9)
    for _ in range(200):
        counts: Counter[str] | Counts = Counter({f"w{rng.randrange(40)}": rng.randrange(1, 5) for _ in range(25)})
        for _ in range(rng.randrange(1, 5)):
            add = Counter({f"w{rng.randrange(60)}": rng.randrange(1, 4) for _ in range(rng.randrange(8))})
            remove = Counter({f"w{rng.randrange(60)}": rng.randrange(1, 6) for _ in range(rng.randrange(8))})
            counts = layered(counts, add, remove)
        assert isinstance(counts, Counts)
        assert list(counts.items()) == naive_items(counts)


def test_a_refreshed_context_keeps_the_lexicon_of_an_unchanged_text() -> None:
    ctx = Context(Config(), small_lexicon())
    doc = Document("the pilot boat was a Wallaroo boat\n" * 3)
    first = ctx.lexicon_for(doc)
    ctx.refresh()
    assert ctx.lexicon_for(doc) is first  # nothing changed: the same counts
    doc.apply("test", [Proposal(0, 3, "The", "rule", 0.9)])
    ctx.refresh()
    after = ctx.lexicon_for(doc)
    assert after is not first and after.cased.get("The") == 1  # the repaired text is counted afresh
    other = Document(doc.text)
    assert ctx.lexicon_for(other) is not after  # another document is counted for itself
