"""The corrector's faster paths give what the plain computations they replace give (issue 9, speed on one
core): the far search, undoing confusions, index lookups, an adapted channel that takes unchanged
probabilities from the model it was adapted from, document rates counted over joined words, and the first
ranking of a token's neighbours kept across channels, blocks read from edit operations, and a document's
intact words counted from its collection's kept layer. The references below are the plain algorithms,
written out here. No timing."""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter

import pytest
from rapidfuzz.distance import Levenshtein

from pipeline.correction import corrector_for, load_channel, retire
from pipeline.correction.channel import BOUNDARY, MAX_SUB, ChannelModel, blocks, document_rates
from pipeline.correction.corrector import SECOND_REWRITES, SHORT, Corrector, RewriteTable
from pipeline.correction.index import DeletionIndex, within
from pipeline.correction.mapped import MappedIndex, build_arrays
from pipeline.correction.search import JUNK_COST, KEEP_COST, MAX_FOUND, MAX_STATES, WIDE_MAX_STATES, ConfusionSearch
from pipeline.lexicon import get_lexicon

#: OCR tokens of the kinds the corrector meets: misreadings near and far, names, junk, capitals.
TOKENS = ["tbe", "aud", "wcather", "governmeut", "lieutenaut", "amuseiueuts", "licutouaiit", "Llmltod",
          "nooesBory", "harbonr", "stafion", "fhould", "Tlie", "THE", "weU", "w1th", "»as", "iiiiiiiiii",
          "Windellama", "Semyonov", "Pcthcibildtre", "rnorning", "cornmittee", "rn", "Bnt", "tho"]


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return corrector_for(get_lexicon())


def plain_search(search: ConfusionSearch, token: str, budget: float, wide: bool = False) -> set[str]:
    """The far search as first written: every move of a position tried from every state (with ``wide``, the
    second pass's rarer confusions too)."""
    n = len(token)
    most = WIDE_MAX_STATES if wide else MAX_STATES
    found: dict[str, float] = {}
    heap: list[tuple[float, int, str]] = [(0.0, 0, "")]
    seen: set[tuple[int, str]] = set()
    expanded = 0
    while heap and expanded < most and len(found) < MAX_FOUND:
        cost, pos, prefix = heapq.heappop(heap)
        if (pos, prefix) in seen:
            continue
        seen.add((pos, prefix))
        expanded += 1
        if pos == n:
            if prefix in search._set and prefix != token.lower():
                found.setdefault(prefix, cost)
            continue
        char = token[pos]
        steps = [(char.lower(), 1, KEEP_COST) if char.isalpha() else ("", 1, JUNK_COST)]
        for size in search.lengths:
            if pos + size > n:
                break
            for printed, c in search.undo.get(token[pos:pos + size], ()):
                steps.append((printed, size, c))
            for printed, c in search.wider.get(token[pos:pos + size], ()) if wide else ():
                steps.append((printed, size, c))
        for printed, size, c in steps:
            total = cost + c
            if total > budget:
                continue
            nxt = prefix + printed
            if printed and nxt not in search._prefixes:  # (holds every beginning of a word, and the words)
                continue
            heapq.heappush(heap, (total, pos + size, nxt))
    return set(found)


def test_far_search_finds_what_the_plain_search_finds(corrector: Corrector) -> None:
    search = corrector.far
    assert search is not None
    for token in TOKENS:
        for budget in (4.0, 7.0):
            assert search._search(token, budget) == plain_search(search, token, budget), (token, budget)
        assert search._search(token, 10.0, wide=True) == plain_search(search, token, 10.0, wide=True), token


def plain_undo(rewrites: list[tuple[str, str]], token: str, limit: int | None = None) -> set[str]:
    """Each confusion of rank below ``limit`` undone at each place its scanned side stands."""
    out: set[str] = set()
    for rank, (scanned, printed) in enumerate(rewrites):
        if limit is not None and rank >= limit:
            continue
        start = token.find(scanned)
        while start != -1:
            out.add(token[:start] + printed + token[start + len(scanned):])
            start = token.find(scanned, start + 1)
    return out


def test_rewrite_table_undoes_as_the_plain_scan(corrector: Corrector) -> None:
    table = RewriteTable(corrector.rewrites)
    for token in TOKENS:
        for limit in (None, SECOND_REWRITES, 3):
            assert table.undo(token, limit) == plain_undo(corrector.rewrites, token, limit), (token, limit)


def test_along_confusions_as_the_plain_lookups(corrector: Corrector) -> None:
    index, words = corrector.index, corrector.index.words
    for token in TOKENS:
        expected: set[str] = set()
        for form in plain_undo(corrector.rewrites, token):
            low = form.lower()
            if low in words:
                expected.add(low)
            elif len(low) > SHORT:
                expected |= index.candidates(low, 1)
            expected.update(w.lower() for w in plain_undo(corrector.rewrites, form, SECOND_REWRITES)
                            if w.lower() in words)
        expected.discard(token)
        assert corrector.along_confusions(token) == expected, token


def test_arrays_answer_as_the_dictionary_index_over_words_of_many_lengths() -> None:
    # words sharing long beginnings, of every length: the arrays' length filter and gathering are exercised
    stems = ["harbour", "governm", "station", "lieuten", "the", "an"]
    rng = random.Random(7)
    words = sorted({stem + "".join(rng.choice("aeinorst") for _ in range(rng.randrange(0, 7)))
                    for stem in stems for _ in range(40)} | {"tea", "at", "a"})
    arrays = MappedIndex(words, *build_arrays(words))
    memory = DeletionIndex(words)
    queries = ["harbonr", "harbours", "governmeut", "govermnent", "stafion", "lieutenaut", "tbe", "ane", "a",
               "stations"]
    for query in queries + [w[:-1] for w in words[::7]] + [w + "s" for w in words[::11]]:
        for limit in (1, 2):
            assert arrays.candidates(query, limit) == memory.candidates(query, limit), (query, limit)
            assert arrays.found(query, limit) == frozenset(memory.candidates(query, limit))


def test_batch_distances_equal_one_by_one() -> None:
    rng = random.Random(3)
    letters = "etaoinshrdlu"
    words = {"".join(rng.choice(letters) for _ in range(rng.randrange(2, 9))) for _ in range(400)}
    for query in ("tea", "shoal", "nitrates", "e"):
        for limit in (1, 2):
            one_by_one = {w for w in words if Levenshtein.distance(query, w) <= limit}
            assert within(query, words, limit) == one_by_one
            few = set(sorted(words)[:10])
            assert within(query, few, limit) == {w for w in few if Levenshtein.distance(query, w) <= limit}


def fresh_copy(model: ChannelModel) -> ChannelModel:
    """A model of the same counts and document rates that takes nothing from another model, but for the one
    price an adapted model takes from the model it was adapted from by design: a differing block's partition into
    confusions side by side (:meth:`ChannelModel._segmented_logp`)."""
    copy = ChannelModel(Counter(model.confusions), Counter(model.printed), model.chars, model.errors, model.pairs,
                        model.source, model.impossible_rate)
    copy.with_local_rates(model.local)
    if model._base is not None:
        copy._segmented = model._base[0]._segmented
    return copy


PAIRS = [("fhould", "should"), ("fhall", "shall"), ("tbe", "the"), ("aud", "and"), ("fuch", "such"),
         ("Tlie", "The"), ("weU", "well")]
PRICED = [("fhe", "she"), ("fhe", "the"), ("tbe", "the"), ("aud", "and"), ("rnorning", "morning"), ("weU", "well"),
          ("harbonr", "harbour"), ("lieutenaut", "lieutenant"), ("fo", "so"), ("Tlie", "The"), ("iu", "in"),
          ("the", "the"), ("cornmittee", "committee"), ("tlie", "the"), ("a", "an"), ("w1th", "with")]


def test_an_adapted_channel_prices_as_a_model_counted_afresh() -> None:
    base = load_channel()
    once = base.adapted(PAIRS, 20)
    once.with_local_rates({("s", "f"): 0.4, ("h", "b"): 0.2})
    twice = once.adapted([("fome", "some"), ("bis", "his"), ("bim", "him")], 20)
    twice.with_local_rates({("h", "b"): 0.3})
    for model in (once, twice):
        fresh = fresh_copy(model)
        for scanned, printed in PRICED:
            assert model.logp(scanned, printed) == fresh.logp(scanned, printed), (scanned, printed)
            s, p = BOUNDARY[0] + scanned + BOUNDARY[1], BOUNDARY[0] + printed + BOUNDARY[1]
            for p0, p1, s0, s1 in blocks(p, s):
                for a, b, c, d in ((p0, p1, s0, s1), (p0 - 1, p1 + 1, s0 - 1, s1 + 1)):
                    if a >= 0 and c >= 0 and b <= len(p) and d <= len(s):
                        assert model.sub_logp(p[a:b], s[c:d]) == fresh.sub_logp(p[a:b], s[c:d])
        retire(Corrector(model, *(getattr(corrector_for(get_lexicon()), n) for n in ("words", "index", "local"))))


def test_an_adapted_channel_stops_borrowing_once_counts_change() -> None:
    model = load_channel().adapted(PAIRS, 20)
    model.fit([("bouse", "house"), ("bome", "home"), ("bad", "had")])  # its own counts change again
    fresh = fresh_copy(model)
    for scanned, printed in [*PRICED, ("bouse", "house"), ("bad", "had")]:
        assert model.logp(scanned, printed) == fresh.logp(scanned, printed), (scanned, printed)


def test_adapted_channels_borrow_from_the_first_model_only() -> None:
    base = ChannelModel().fit([("tbe", "the"), ("aud", "and"), ("bis", "his"), ("fo", "so"), ("weU", "well")])
    first = base.adapted(PAIRS, 20)
    second = first.adapted([("fome", "some"), ("bis", "his"), ("bim", "him")], 20)
    assert first._base is not None and second._base is not None
    assert first._base[0] is base and second._base[0] is base  # no chain of adapted models kept alive
    for scanned, printed in PRICED:
        assert second.logp(scanned, printed) == fresh_copy(second).logp(scanned, printed)
    assert base._sub.cache_info().currsize > 0  # it answered for the adapted models
    lex = get_lexicon().with_corpus("the harbour was fhut and the fhip fhould fail")
    corrector = Corrector(second, *(getattr(corrector_for(lex), name) for name in ("words", "index", "local")))
    retire(corrector)
    assert second._sub.cache_info().currsize == base._sub.cache_info().currsize == 0  # neither is loaded
    loaded = corrector_for(lex).adapted(PAIRS)
    for scanned, printed in PRICED:
        loaded.channel.logp(scanned, printed)
    retire(loaded)
    assert loaded.channel._sub.cache_info().currsize == 0
    assert load_channel()._sub.cache_info().currsize > 0  # the loaded model serves every document


def plain_rates(pairs: list[tuple[str, str]], counts: dict[str, int],
                intact: list[tuple[str, int]]) -> dict[tuple[str, str], float]:
    """document_rates with each substring counted word by word."""
    from pipeline.correction.channel import DOC_MIN_WORDS, DOC_PSEUDO, DOC_SHARE

    seen: Counter[tuple[str, str]] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    words: list[tuple[str, int]] = []
    for scanned, printed in pairs:
        n = max(1, counts.get(scanned.lower(), 1))
        s, p = BOUNDARY[0] + scanned + BOUNDARY[1], BOUNDARY[0] + printed + BOUNDARY[1]
        words.append((p, n))
        for p0, p1, s0, s1 in blocks(p, s):
            for left in (0, 1):
                for right in (0, 1):
                    a, b, c, d = p0 - left, p1 + right, s0 - left, s1 + right
                    if a < 0 or b > len(p) or c < 0 or d > len(s) or b - a > MAX_SUB or a == b:
                        continue
                    seen[(p[a:b], s[c:d])] += n
                    kinds[(p[a:b], s[c:d])] += 1
    kept = {key: n for key, n in seen.items() if kinds[key] >= DOC_MIN_WORDS}
    words += [(BOUNDARY[0] + w + BOUNDARY[1], n) for w, n in intact]
    printed_n = {sub: sum(w.count(sub) * n for w, n in words) for sub, _ in kept}
    return {key: DOC_SHARE * n / (printed_n[key[0]] + DOC_PSEUDO) for key, n in kept.items()}


def test_document_rates_count_substrings_as_word_by_word() -> None:
    rng = random.Random(5)
    pairs = [*PAIRS, ("fir", "sir"), ("fee", "see"), ("fail", "sail"), ("bim", "him"), ("bis", "his"), ("bad", "had")]
    counts = {s.lower(): rng.randrange(1, 6) for s, _ in pairs}
    intact = [(w, rng.randrange(1, 9)) for w in ("shall", "she", "ship", "this", "his", "harbour", "seas", "sss",
                                                   "should", "hush", "had", "the", "and")]
    assert document_rates(pairs, counts, intact) == plain_rates(pairs, counts, intact)
    assert document_rates(pairs, counts, intact)  # the data does show confusions in three words or more


def test_kept_first_ranking_gives_the_readings_of_a_fresh_corrector() -> None:
    lex = get_lexicon().with_corpus("the harbour was fhut and the fhip fhould fail")
    warm = corrector_for(lex)
    tokens = ["fhould", "harbonr", "tbe", "wcather", "Tlie", "governmeut", "amuseiueuts"]
    for token in tokens:
        warm.ranked_near(token)
    adapted = warm.adapted(PAIRS)  # another channel, the same kept rankings
    assert adapted.ranked is warm.ranked
    cold = Corrector(adapted.channel, adapted.words, adapted.index, adapted.local, None, adapted.far,
                     adapted.letters)
    cold.error_shift = adapted.error_shift
    assert cold.ranked is not warm.ranked and len(cold.ranked) == 0
    for token in tokens:
        assert adapted.static_readings(token) == cold.static_readings(token), token
        assert adapted.readings(token) == cold.readings(token), token
        assert all(math.isfinite(r.channel) for r in adapted.static_readings(token))
    retire(adapted)  # done with, as a run retires a document's corrector (tests/test_memory.py looks)


def plain_blocks(printed: str, scanned: str) -> list[tuple[int, int, int, int]]:
    """The blocks as first written: rapidfuzz's opcodes, the unequal ones, adjacent ones merged."""
    out: list[tuple[int, int, int, int]] = []
    for tag, p0, p1, s0, s1 in Levenshtein.opcodes(printed, scanned):
        if tag == "equal":
            continue
        if out and out[-1][1] == p0 and out[-1][3] == s0:
            out[-1] = (out[-1][0], p1, out[-1][2], s1)
        else:
            out.append((p0, p1, s0, s1))
    return out


def test_blocks_from_edit_operations_are_the_blocks_of_the_opcodes() -> None:
    rng = random.Random(11)
    letters = "aeinorstlhcmu1!^$"
    pairs = [(BOUNDARY[0] + p + BOUNDARY[1], BOUNDARY[0] + s + BOUNDARY[1]) for s, p in [*PAIRS, *PRICED]]
    pairs += [("".join(rng.choice(letters) for _ in range(rng.randrange(0, 10))),
               "".join(rng.choice(letters) for _ in range(rng.randrange(0, 10)))) for _ in range(20_000)]
    for printed, scanned in pairs:
        assert blocks(printed, scanned) == plain_blocks(printed, scanned), (printed, scanned)


def test_intact_words_of_layered_counts_count_as_every_word_counted() -> None:
    from pipeline.correction.channel import IntactWords
    from pipeline.correction.corrector import read_right

    base = get_lexicon()
    text = ("the ship should sail and the harbour shall see such ships; she said so. " * 3
            + "Fhould the fhip fail, his horse has had hay. Thomas hushed the hall.")
    many = " ".join(sorted(w for w in base.dictionary if w.isalpha())[::40][:3000])
    # a small collection (a document's layer takes its counts over) and one with a large layer of its own
    for collection, kept in ((base.with_corpus(text), False), (base.with_corpus(text + " " + many), True)):
        for doc in ["the fhip fhould fail and she shall see the shore", "his hat, her hand, the ship sailed to sea"]:
            # a document's lexicon as a run makes it: the collection less its own text, plus its text read now
            lex = collection.without_corpus_text(doc).with_corpus(doc.replace("fhould", "should"))
            intact = IntactWords(lex.tokens, lex.dictionary, read_right)
            assert (intact._root is not None) == kept  # a large layer is counted once and kept
            words = [(w, n) for w, n in lex.tokens.items() if read_right(w, lex.dictionary)]
            asked = ["^s", "s", "sh", "h$", "e", "^th", "ss", "a\nb", "sea$", "hip", "zz", "^a"]
            expected = {sub: sum((BOUNDARY[0] + w + BOUNDARY[1]).count(sub) * n for w, n in words) for sub in asked}
            assert intact.substring_counts(asked) == expected
            assert intact.substring_counts(asked[::-1]) == expected  # answered again from the kept totals
            pairs = [*PAIRS, ("fhip", "ship"), ("fail", "sail"), ("fee", "see"), ("fo", "so")]
            assert document_rates(pairs, lex.tokens, intact) == document_rates(pairs, lex.tokens, words)
            assert document_rates(pairs, lex.tokens, words)  # the pairs show confusions in three words or more
