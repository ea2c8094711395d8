"""The per-user cache of prebuilt resources: the memory-mapped deletion index answers exactly as the
in-memory one (hash collisions included), files are rebuilt when missing, stale or damaged, an
unwritable cache falls back to memory, two processes may build at once, and the cached lexicon,
bigram, letter-model and far-candidate tables equal freshly built ones.

Vocabularies here are samples of the shipped lexicon's vocabulary plus words written for these
tests (accented, Greek, Cyrillic, apostrophes, one- and two-letter words)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from pipeline import store
from pipeline.correction import mapped
from pipeline.correction.index import DeletionIndex
from pipeline.correction.mapped import HASHED, MappedIndex, build_arrays, cached_index, read_index
from tests.conftest import ROOT

EXTRA = ["a", "i", "o", "ox", "o'er", "ne'er", "café", "naïve", "señor", "über", "fiancée", "αβγ", "μέγας",
         "свет", "вино", "déjà", "àbcdéfghí", "ééééééé", "straße", "hier", "here", "there", "three", "tree"]


@pytest.fixture(scope="module")
def sample() -> list[str]:
    """Every 40th word of the vocabulary (about 2,100) and :data:`EXTRA`, sorted."""
    from pipeline.correction import vocabulary
    from pipeline.lexicon import get_lexicon

    words = sorted(vocabulary(get_lexicon()))
    return sorted(set(words[::40]) | set(EXTRA))


def queries(words: list[str], n: int = 400, seed: int = 7) -> list[str]:
    """Words of ``words`` with one to three random edits, some words as they are, random strings, ''."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz'éñαс"
    out = ["", "a", "zzzzzzzzzz", "th", "ééé", "caf"]
    for _ in range(n):
        w = list(rng.choice(words))
        for _ in range(rng.randint(0, 3)):
            op, i = rng.randrange(3), rng.randrange(len(w) + 1)
            if op == 0 and i < len(w):
                del w[i]
            elif op == 1 and i < len(w):
                w[i] = rng.choice(letters)
            else:
                w.insert(i, rng.choice(letters))
        out.append("".join(w))
    out += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 12))) for _ in range(50)]
    return out


def same_answers(words: list[str], max_distance: int, prefix: int, limits: range) -> None:
    memory = DeletionIndex(words, max_distance, prefix)
    arrays = MappedIndex(words, *build_arrays(words, max_distance, prefix), max_distance, prefix)
    for q in queries(words):
        for limit in limits:
            assert arrays.candidates(q, limit) == memory.candidates(q, limit), (q, limit)


@pytest.mark.parametrize(("max_distance", "prefix"), [(2, 7), (1, 10), (2, 3), (3, 12)])
def test_arrays_answer_as_the_dictionary(sample: list[str], max_distance: int, prefix: int) -> None:
    # prefixes over 7 letters give keys of 8 bytes and more: hashed codes, verified on a hit
    same_answers(sample, max_distance, prefix, range(0, max_distance + 2))


def test_colliding_codes_are_verified(sample: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With a hash that sends every key to one of two codes, every word is a hit for every query:
    only the check against the real key keeps the answers those of the dictionary."""
    monkeypatch.setattr(mapped, "key_code", lambda key: HASHED | (len(key) & 1))
    words = sample[::3]
    codes, _ = build_arrays(words, 1, 7)
    assert len(set(codes.tolist())) <= 2
    memory = DeletionIndex(words, 1, 7)
    arrays = MappedIndex(words, *build_arrays(words, 1, 7), 1, 7)
    verified = 0
    for q in queries(words, 200):
        for limit in (1, 2, 3):  # beyond the index's own distance some near words are not stored under any key
            expected = memory.candidates(q, limit)
            assert arrays.candidates(q, limit) == expected, (q, limit)
            near = {w for w in words if Levenshtein.distance(q, w) <= limit}
            verified += near != expected
    assert verified  # the check mattered: some near word shared only a colliding code with the query


def test_added_words_are_found(sample: list[str]) -> None:
    words = sample[::5]
    arrays = MappedIndex(words, *build_arrays(words), key="k")
    memory = DeletionIndex(words)
    for extra in ("harbourage", "wallaroo", "mérida"):
        arrays.add(extra)
        memory.add(extra)
    assert arrays.key == ""  # no longer the index of its key's words
    for q in ["harbourag", "walaroo", "merida", *queries(words, 100)]:
        assert arrays.candidates(q) == memory.candidates(q), q


# ------------------------------------------------------------------ the cache file


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OCRCLEAN_CACHE", str(folder))
    return folder


def index_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{mapped.KIND}-*.bin"))


def test_built_once_then_opened(sample: list[str], cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cached_index(reversed(sample))  # any order: the words are sorted
    assert len(index_files(cache)) == 1
    assert not list(cache.glob(".*"))  # no temporary file left
    monkeypatch.setattr(mapped, "build_arrays", lambda *a: pytest.fail("rebuilt although cached"))
    second = cached_index(sample)
    assert isinstance(second._codes.base, memoryview) or second._codes.base is not None
    memory = DeletionIndex(sample)
    for q in queries(sample, 150):
        assert first.candidates(q) == second.candidates(q) == memory.candidates(q), q
    assert first.key == second.key


def test_key_follows_words_and_parameters(sample: list[str], cache: Path) -> None:
    a = cached_index(sample)
    b = cached_index(sample[1:])
    c = cached_index(sample, max_distance=1)
    assert len({a.key, b.key, c.key}) == 3
    assert len(index_files(cache)) == 3
    assert c.candidates("tre", 1) == DeletionIndex(sample, 1).candidates("tre", 1)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "other-key"])
def test_damaged_file_is_rebuilt(sample: list[str], cache: Path, damage: str) -> None:
    cached_index(sample)
    (path,) = index_files(cache)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "flip":
        data[-5] ^= 0x10  # inside the body: only the CRC sees it
    elif damage == "garbage":
        data[:32] = b"x" * 32
    elif damage == "empty":
        data = bytearray()
    else:
        data = data.replace(path.stem.split("-")[-1].encode(), b"0" * 20, 1)
    path.write_bytes(bytes(data))
    rebuilt = cached_index(sample)
    memory = DeletionIndex(sample)
    for q in queries(sample, 100):
        assert rebuilt.candidates(q) == memory.candidates(q), q
    key = path.stem.removeprefix(f"{mapped.KIND}-")
    codes, _ = read_index(path, key, len(sample), 2, 7)  # the file is whole again
    assert len(codes) > len(sample)


def test_unwritable_cache_falls_back_to_memory(sample: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OCRCLEAN_CACHE", str(blocker / "cache"))
    index = cached_index(sample)
    memory = DeletionIndex(sample)
    for q in queries(sample, 100):
        assert index.candidates(q) == memory.candidates(q), q
    assert "cannot use the cache folder" in caplog.text


def test_old_files_are_pruned(sample: list[str], cache: Path) -> None:
    for k in range(store.KEEP + 2):
        cached_index(sample[k:])
    assert len(index_files(cache)) == store.KEEP


def test_two_processes_build_at_once(tmp_path: Path) -> None:
    """Both builders succeed and leave one complete file (each writes its own temporary file)."""
    script = textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from pipeline.correction.mapped import cached_index
        go = Path(sys.argv[1])
        while not go.exists():
            time.sleep(0.01)
        words = [f"{a}{b}{c}word" for a in "abcdefghij" for b in "klmnopqrst" for c in "uvwxyzabcd"]
        index = cached_index(words)
        print(sorted(index.candidates("abuword")))
    """)
    env = {**os.environ, "OCRCLEAN_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(go)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    go.write_text("")
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert results[0][0] == results[1][0] and "akuword" in results[0][0]
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1 and files[0].name.startswith(mapped.KIND)


# ------------------------------------------------------------------ cached tables


def test_cached_data_roundtrip_and_damage(cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, object]:
        calls.append(1)
        return {"w": 1.25, "pairs": {"a b": 3}, "set": frozenset({"x"}), "list": [1, (2, 3)]}

    first = store.cached_data("probe", ["v1"], build)
    second = store.cached_data("probe", ["v1"], build)
    assert first == second and len(calls) == 1
    (path,) = cache.glob("probe-*.marshal")
    path.write_bytes(path.read_bytes()[:-3])
    assert store.cached_data("probe", ["v1"], build) == first and len(calls) == 2
    store.cached_data("probe", ["v2"], build)
    assert len(calls) == 3


def test_cached_lexicon_and_bigrams_equal_the_sources(cache: Path) -> None:
    from importlib.resources import files

    from pipeline.correction.wordmodel import bigram_counts, count_bigrams
    from pipeline.lexicon import _read_frequencies, read_bigrams, static_frequencies

    fresh = _read_frequencies()
    assert static_frequencies() == fresh  # built and cached
    assert static_frequencies() == fresh  # read from the cache
    assert list(static_frequencies()[0]) == list(fresh[0])  # same order too
    bigram_counts.cache_clear()
    try:
        assert bigram_counts() == count_bigrams()
        bigram_counts.cache_clear()
        assert bigram_counts() == count_bigrams()
        # the bigram list as the lexicon read it before it shared the word model's table: every line's pair
        text = files("symspellpy").joinpath("frequency_bigramdictionary_en_243_342.txt").read_text(encoding="utf-8")
        assert set(read_bigrams()) == {line.rpartition(" ")[0] for line in text.splitlines()}
    finally:
        bigram_counts.cache_clear()


def test_cached_letter_model_and_search_behave_as_fresh(sample: list[str], cache: Path) -> None:
    from pipeline.correction import _fitted_letter_model, _fitted_search, load_channel
    from pipeline.correction.letters import LetterModel
    from pipeline.correction.search import ConfusionSearch

    index = cached_index(sample)
    channel = load_channel()
    built, restored, fresh = _fitted_letter_model(index), _fitted_letter_model(index), LetterModel(index.words)
    assert built is not restored
    tokens = [*queries(sample, 150), "adiournfd", "pnrnlysed", "Windellama", "licutouaiit"]
    for t in tokens:
        assert restored.logp(t) == fresh.logp(t) and restored.shortfall(t) == fresh.shortfall(t), t
    built_s, restored_s, fresh_s = _fitted_search(index, channel), _fitted_search(index, channel), \
        ConfusionSearch(index.words, channel)
    assert built_s is not restored_s
    for t in tokens:
        assert restored_s.candidates(t) == fresh_s.candidates(t), t
    assert len(list(cache.glob("letter-model-*"))) == len(list(cache.glob("confusion-search-*"))) == 1


def test_vocabulary_index_answers_as_before() -> None:
    """The shipped vocabulary's cached index (whatever cache this process uses) against the dictionary."""
    from pipeline.correction import vocabulary, vocabulary_index
    from pipeline.lexicon import get_lexicon

    lex = get_lexicon()
    words = sorted(vocabulary(lex))
    index = vocabulary_index(lex)
    assert isinstance(index, MappedIndex) and index.words == set(words)
    memory = DeletionIndex(words)
    for q in [*queries(words, 300, seed=11), "tbe", "harhour", "Sydncy", "adiournfd"]:
        assert index.candidates(q) == memory.candidates(q), q
        assert index.candidates(q, 1) == memory.candidates(q, 1), q


def test_cached_census_names_and_name_letters_equal_fresh(cache: Path) -> None:
    from pipeline.correction import census
    from pipeline.correction.letters import LetterModel

    files = census._census_files()
    if not files:
        pytest.skip("the names package (census lists) is not installed")
    fresh_names = census._read_census(files)
    fresh_letters = LetterModel(fresh_names)
    try:
        for _ in range(2):  # built and cached, then read from the cache in a "new process" (caches cleared)
            census.census_names.cache_clear()
            census.name_letters.cache_clear()
            assert census.census_names() == fresh_names
            restored = census.name_letters()
            for word in ["ohaplaiu", "kowalczyk", "donohoo", "smith", "xqzt", "o'brien"]:
                assert restored.logp(word) == fresh_letters.logp(word), word
                assert restored.shortfall(word) == fresh_letters.shortfall(word), word
        assert len(list(cache.glob("census-names-*"))) == len(list(cache.glob("name-letter-model-*"))) == 1
    finally:
        census.census_names.cache_clear()
        census.name_letters.cache_clear()
