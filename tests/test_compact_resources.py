"""Resources held in compact form: the same answers as the plain structures they replace, in less memory."""

from __future__ import annotations

import tracemalloc
from collections import Counter
from pathlib import Path

import regex

from pipeline.lexicon import CorpusCounts, Lexicon, StaticWords, get_lexicon

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


def _reference_ids(wanted: list[str]) -> list[str]:
    """The ids a plain set of strings hands out (what :class:`Ids` did before it coded edit ids)."""
    from pipeline.tei.scheme import APP_IDENT, SCHEME_ID

    used = {APP_IDENT, SCHEME_ID}
    out = []
    for w in wanted:
        base = regex.sub(r"[^A-Za-z0-9._-]+", "_", w) or "id"
        if not regex.match(r"[A-Za-z_]", base):
            base = "_" + base
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}_{n}"
        used.add(candidate)
        out.append(candidate)
    return out


def test_ids_coding_edit_ids_as_integers_hand_out_the_same_ids() -> None:
    import random

    from pipeline.tei.scheme import Ids

    rng = random.Random(7)
    digests = [f"{rng.getrandbits(40):010x}" for _ in range(300)]
    wanted = []
    for _ in range(5000):
        d = rng.choice(digests)
        wanted.append(rng.choice([
            f"e{d}", f"e{d}", f"e{d}-{rng.randint(2, 4)}", f"e{d}-0{rng.randint(2, 4)}", f"e{d}_2",
            f"e{d.upper()}", f"e{d}.2", f"e{d[:9]}", f"note.note{rng.randint(1, 20)}", "", "9lives", "e" + d + "x",
        ]))
    ids = Ids()
    assert [ids.make(w) for w in wanted] == _reference_ids(wanted)


def test_ids_hold_edit_ids_in_less_memory_than_strings() -> None:
    from pipeline.tei.scheme import Ids

    wanted = [f"e{k * 7919:010x}" for k in range(50_000)]
    ids = Ids()
    tracemalloc.start()
    try:
        for w in wanted:
            ids.make(w)
        coded, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    tracemalloc.start()
    try:
        plain = {w[:1] + w[1:] for w in wanted}  # new strings, as re.sub makes them
        strings, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(plain) == len(wanted)
    assert coded < 0.85 * strings


# -- strings held once: the curated dictionary and the unigram totals share wordfreq's keys -----------------

def test_shared_keys_keep_the_mapping_and_its_order() -> None:
    from pipeline.lexicon import same_keys, shared_keys

    other = {"".join(["wo", "rd"]): 1.0, "".join(["th", "e"]): 2.0}
    table = {"the": 0.5, "zq": 0.1, "word": 0.2}
    shared = shared_keys(table, other)
    assert list(shared.items()) == list(table.items())
    canon = {id(k) for k in other}
    assert [id(k) in canon for k in shared] == [True, False, True]
    assert same_keys({"a": 1}, {"b": 2}) == {"a": 1}  # different keys: the table as it is
    assert same_keys({"a": 1, "b": 2}, {"b": 0, "a": 0}) == {"a": 1, "b": 2}  # another order: as it is
    keys = {"".join(["a", "b"]): 0}
    assert [id(k) for k in same_keys({"ab": 7}, keys)] == [id(k) for k in keys]


def test_the_loaded_word_lists_hold_each_word_once() -> None:
    from pipeline.lexicon import bigram_counts, count_bigrams, read_dictionary

    lex = get_lexicon()
    freq_ids = {id(k) for k in lex._freqs}
    shared = sum(1 for k in lex.dictionary if id(k) in freq_ids)
    assert shared == sum(1 for k in lex.dictionary if k in lex._freqs) > 80_000
    dictionary_ids = {id(k) for k in lex.dictionary}
    totals = bigram_counts()[1]
    assert all(id(k) in dictionary_ids for k in totals)
    # and the same answers as the lists read afresh
    assert lex.dictionary == read_dictionary() and list(lex.dictionary) == list(read_dictionary())
    fresh = count_bigrams()[1]
    assert totals == fresh and list(totals) == list(fresh)


def test_queries_that_find_nothing_share_one_empty_answer() -> None:
    from pipeline.correction import vocabulary_index
    from pipeline.correction.index import NOTHING, DeletionIndex

    index = DeletionIndex(["the", "then", "tree"])
    assert index.found("qqqqqq") is NOTHING and index.found("zzzzzz") is NOTHING
    assert index.found("tne", 1) == frozenset({"the"}) and index.candidates("qqqqqq") == set()
    vocabulary = vocabulary_index(get_lexicon())
    assert vocabulary.found("qxqxqxqxqx") is NOTHING and vocabulary.found("tbe")


def test_the_far_candidate_search_shares_the_vocabulary_index_words() -> None:
    from pipeline.correction import _fitted_search, load_channel, vocabulary_index
    from pipeline.correction.mapped import MappedIndex
    from pipeline.correction.search import ConfusionSearch

    index = vocabulary_index(get_lexicon())
    assert isinstance(index, MappedIndex) and index.key
    channel = load_channel()
    search = _fitted_search(index, channel)
    assert search._set is index.words  # one hash table of the vocabulary
    fresh = ConfusionSearch(index.words, channel)
    for token in ("licutouaiit", "tbe", "Goverument", "qqqq"):
        assert search.candidates(token) == fresh.candidates(token)
    # a word added to an index afterwards does not reach a search built on its words before
    copy = MappedIndex(index._list, index._codes, index._ids, index.max_distance, index.prefix, index.key)
    built = _fitted_search(copy, channel)
    assert built._set is copy.words
    copy.add("zqxjkword")
    assert "zqxjkword" in copy.words and "zqxjkword" not in built._set and copy.key == ""


def test_a_collection_lexicon_takes_the_collection_counts_over_with_the_same_answers() -> None:
    from pipeline.lexicon import layered

    lex = get_lexicon()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))]
    counts = lex.counts_of(texts[0])
    for text in texts[1:]:
        counts += lex.counts_of(text)
    taken = lex.with_counts(counts)
    assert taken.tokens.delta is counts.tokens and taken.corpus_pairs.delta is counts.pairs  # no copy
    copied = [layered(lex._derived().tokens, counts.tokens), layered(lex._derived().cased, counts.cased),
              layered(lex._derived().corpus, counts.corpus), layered(lex._derived().corpus_pairs, counts.pairs)]
    for mine, want in zip((taken.tokens, taken.cased, taken.corpus, taken.corpus_pairs), copied, strict=True):
        assert list(mine.items()) == list(want.items())
    # a document's lexicon over it: the same counts as over a copy
    doc = texts[0][:5000]
    over_copy = lex.with_counts(CorpusCounts(counts.total, Counter(counts.tokens), Counter(counts.cased),
                                             Counter(counts.corpus), Counter(counts.pairs)))
    a, b = taken.without_corpus_text(doc).with_corpus(doc), over_copy.without_corpus_text(doc).with_corpus(doc)
    for name in ("tokens", "cased", "corpus", "corpus_pairs"):
        assert list(getattr(a, name).items()) == list(getattr(b, name).items())
    assert a._corpus_total == b._corpus_total
