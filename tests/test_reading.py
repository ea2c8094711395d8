"""Reading an input in chunks (pipeline/reading.py) takes the decisions and gives the text and corpus counts
that reading it whole does, for every way of cutting it; and the first passes over a long input (the
collection count, the corrector's noise estimate) need memory for its vocabulary, not its length."""

from __future__ import annotations

import codecs
import gc
import hashlib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.correction.corrector import (
    CAMEL_CASE,
    TOKEN,
    UNKNOWN_PSEUDO,
    impossible,
    impossible_tokens,
    unknown_share,
    word_token,
)
from pipeline.errors import InputError
from pipeline.lexicon import WORD, get_lexicon
from pipeline.reading import count_file, decoded_chunks, detect_encoding_chunks, word_aligned
from pipeline.stages.decode import decode_bytes, detect_encoding

_RAW = Path(__file__).resolve().parents[1] / "raw"
_PAMPHLET = (_RAW / "japanese-intervention-pamphlet.txt").read_bytes()
_TEXT = "Tbe Maritime Region’s wharf — KoIchak shaU café naïve w1th 1st.\r\nA line\tand «more» …\n"

#: Inputs covering every branch of detect_encoding: plain and damaged UTF-8 (a bad byte at every
#: position a chunk may cut), cp1252 and the bytes it leaves undefined (latin-1), UTF-16 and UTF-32 with
#: and without a BOM, ``FF FE 00 00`` read as UTF-16, binary signatures and control characters, empty input.
_INPUTS: list[bytes] = [
    b"", b"a", b"\n", _TEXT.encode("utf-8"), _PAMPHLET[:20_000],
    _TEXT.encode("utf-8").replace("é".encode(), b"\xe9"),               # one cp1252 byte in UTF-8 text
    _TEXT.encode("utf-8") + b"\xff",                                     # a bad byte at the very end
    b"\xe2\x80" + _TEXT.encode("utf-8"),                                  # a cut sequence at the start
    _TEXT.encode("utf-8").replace("’".encode(), b"\xe2\x80") * 3,       # cut sequences: mostly UTF-8 or not
    ("caf\xe9 na\xefve " * 40).encode("cp1252"),                           # cp1252 text
    b"caf\xe9 \x81 \x8d \x90 text " * 20,                                # bytes cp1252 leaves undefined
    codecs.BOM_UTF8 + _TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + _TEXT.encode("utf-16-le"), codecs.BOM_UTF16_BE + _TEXT.encode("utf-16-be"),
    codecs.BOM_UTF16_LE + _TEXT.encode("utf-16-le") + b"x",               # odd length: does not decode
    codecs.BOM_UTF32_LE + _TEXT.encode("utf-32-le"), codecs.BOM_UTF32_BE + _TEXT.encode("utf-32-be"),
    codecs.BOM_UTF32_LE + b"\x00\xd8\x00\x00",                            # not UTF-32: read as UTF-16 LE
    _TEXT.encode("utf-16-le"), _TEXT.encode("utf-16-be"),                  # UTF-16 without a BOM
    _TEXT.encode("utf-16-le")[:-1] + b"\xd8",                             # its pattern, but a bad pair
    b"%PDF-1.4 binary", b"\x89PNG\r\n", b"\x00\x01\x02\x03" * 50, b"text\x01\x02\x03\x04\x05\x06\x07\x08\x0b",
]
_CHUNKS = [1, 2, 3, 5, 7, 64, 4096, 1 << 22]


def _chunked(data: bytes, size: int):  # noqa: ANN202 - the Chunks callable
    def read() -> Iterator[bytes]:
        for i in range(0, len(data), size):
            yield data[i:i + size]
    return read


def _whole(data: bytes) -> tuple[str, dict[str, object]] | str:
    try:
        return decode_bytes(data)
    except InputError:
        return "InputError"


def _in_chunks(data: bytes, size: int) -> tuple[str, dict[str, object]] | str:
    try:
        encoding, bom = detect_encoding_chunks(_chunked(data, size), len(data))
        return "".join(decoded_chunks(_chunked(data, size), encoding, bom)), {"encoding": encoding, "bom": bom.hex()}
    except InputError:
        return "InputError"


@pytest.mark.parametrize("index", range(len(_INPUTS)))
def test_chunked_decoding_chooses_and_decodes_as_the_whole_bytes_do(index: int) -> None:
    data = _INPUTS[index]
    want = _whole(data)
    for size in _CHUNKS:
        assert _in_chunks(data, size) == want, size


def test_the_inputs_cover_every_decision() -> None:
    decisions = set()
    for data in _INPUTS:
        try:
            decisions.add(detect_encoding(data)[0])
        except InputError:
            decisions.add("binary")
    assert decisions == {"utf-8", "cp1252", "latin-1", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "binary"}


@pytest.mark.parametrize("text", ["", "word", "no-space-at-all", "a b\nc d", _TEXT * 30,
                                  _PAMPHLET[:30_000].decode("utf-8")])
def test_word_aligned_parts_join_to_the_text_and_cut_no_word(text: str) -> None:
    words = [m.group() for m in WORD.finditer(text)]
    for size in (1, 2, 5, 13, 1000):
        parts = list(word_aligned(text[i:i + size] for i in range(0, len(text), size)))
        assert "".join(parts) == text
        assert [m.group() for part in parts for m in WORD.finditer(part)] == words


@pytest.mark.parametrize("index", range(len(_INPUTS)))
def test_count_file_gives_the_whole_file_counts(tmp_path: Path, index: int) -> None:
    data = _INPUTS[index]
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    lex = get_lexicon()
    whole = _whole(data)
    want = None if isinstance(whole, str) else lex.counts_of(whole[0])
    for size in (1, 7, 4096):
        got = count_file(path, lex, chunk=size)
        assert (got.sha256, got.size) == (hashlib.sha256(data).hexdigest(), len(data))
        if want is None:
            assert got.counts is None
            continue
        assert got.counts is not None and got.counts.total == want.total
        for name in ("tokens", "cased", "corpus", "pairs"):
            assert list(getattr(got.counts, name).items()) == list(getattr(want, name).items()), (size, name)


def test_count_file_on_real_ocr_in_small_chunks(tmp_path: Path) -> None:
    data = b"".join(p.read_bytes() for p in sorted(_RAW.glob("*.txt")))
    path = tmp_path / "raw.txt"
    path.write_bytes(data)
    lex = get_lexicon()
    want = lex.counts_of(decode_bytes(data)[0])
    got = count_file(path, lex, chunk=997).counts
    assert got is not None and got.total == want.total
    for name in ("tokens", "cased", "corpus", "pairs"):
        assert list(getattr(got, name).items()) == list(getattr(want, name).items()), name


def _traced_peak(fn) -> int:  # noqa: ANN001
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_counting_a_long_file_does_not_hold_its_text(tmp_path: Path) -> None:
    # the pamphlet with one character beyond Latin-1, so the text takes two bytes a character
    once = ("\u2014" + _PAMPHLET.decode("utf-8")).encode("utf-8")
    lex = get_lexicon()
    peaks = []
    for copies in (5, 40):
        path = tmp_path / f"long{copies}.txt"
        path.write_bytes(once * copies)
        peaks.append(_traced_peak(lambda: count_file(path, lex, chunk=1 << 16)))  # noqa: B023 - called at once
    whole = _traced_peak(lambda: lex.counts_of(decode_bytes(path.read_bytes())[0]))
    # whole: the bytes and the text (a transient copy while decoding); chunked: the counts and a few chunks,
    # the same for 8 times the input (the same vocabulary)
    assert whole > 2.5 * len(once) * 40
    assert peaks[1] < peaks[0] + 1e6, f"{peaks[0] / 1e6:.1f} MB for 5 copies, {peaks[1] / 1e6:.1f} MB for 40"


def _impossible_by_list(text: str) -> tuple[int, int]:
    """The count :func:`impossible_tokens` documents, from a list of the tokens: camel case is not counted."""
    tokens = [t for t in (m.group() for m in TOKEN.finditer(text)) if word_token(t)]
    return sum(1 for t in tokens if impossible(t) and not CAMEL_CASE.fullmatch(t)), len(tokens)


@pytest.mark.parametrize("text", ["", "a", "w1th tIle the 1st KoIchak", _TEXT * 5, _PAMPHLET.decode("utf-8")])
def test_noise_counts_are_those_of_the_token_list(text: str) -> None:
    lex = get_lexicon()
    assert impossible_tokens(text) == _impossible_by_list(text)
    words = [t for t in (m.group() for m in TOKEN.finditer(text)) if word_token(t) and t.isalpha()]
    unknown = sum(1 for t in words if lex.zipf(t) <= 0)
    assert unknown_share(text, lex) == (unknown + UNKNOWN_PSEUDO[0]) / (len(words) + UNKNOWN_PSEUDO[1])


def test_the_noise_estimate_of_a_long_text_holds_no_list_of_its_tokens() -> None:
    once = _PAMPHLET.decode("utf-8")
    text = once * 10
    lex = get_lexicon()
    impossible_tokens(once)
    unknown_share(once, lex)  # memo tables warm with every word of the text (whatever earlier tests left in them)
    streamed = _traced_peak(lambda: (impossible_tokens(text), unknown_share(text, lex)))
    listed = _traced_peak(lambda: _impossible_by_list(text))
    assert streamed < listed / 5, f"{streamed / 1e6:.1f} MB against {listed / 1e6:.1f} MB for a list"
