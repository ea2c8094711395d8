"""Reading a long input from its file in chunks: hash, encoding, text and corpus counts without
holding the file's bytes or its text whole.

A batch run's collection pass (:func:`pipeline.batch.count_collection`) needs of each input only its
SHA-256, its size and its corpus counts. :func:`count_file` gets them reading the file
:data:`CHUNK_BYTES` at a time: the encoding is chosen by :func:`pipeline.stages.decode.detect_encoding_chunks`,
whose one-chunk case is :func:`pipeline.stages.decode.detect_encoding` on the whole bytes (each whole-file
test is made as a pass of an incremental decoder instead), the text is decoded chunk by chunk
(:func:`decoded_chunks`, the same characters as :func:`pipeline.stages.decode.decode_bytes`, which
also rejects the same binary files), and the parts are cut at white space (:func:`word_aligned`) so
that :meth:`pipeline.lexicon.Lexicon.counts_of_parts` counts the same words as on the whole text.
Memory: a few chunks (tens of MB) instead of the bytes plus one or two copies of the text (a 50 MB
file with one character beyond Latin-1 decodes to 100 MB of text).
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.lexicon import CorpusCounts, Lexicon
from pipeline.stages.decode import ERRORS, Chunks, _skipped, detect_encoding_chunks

__all__ = ["CHUNK_BYTES", "FileCounts", "count_file", "decoded_chunks", "detect_encoding_chunks", "file_chunks",
           "word_aligned"]

#: Bytes read from a file at a time.
CHUNK_BYTES = 1 << 22


def file_chunks(path: Path, size: int = CHUNK_BYTES) -> Chunks:
    """A function that opens ``path`` and yields its bytes ``size`` at a time (called once per pass)."""
    def read() -> Iterator[bytes]:
        with open(path, "rb") as fh:
            while block := fh.read(size):
                yield block
    return read


def decoded_chunks(chunks: Chunks, encoding: str, bom: bytes) -> Iterator[str]:
    """The text of the input, a chunk at a time: the characters
    :func:`pipeline.stages.decode.decode_bytes` gives for ``encoding`` (``surrogateescape`` for UTF-8).
    At the end, the same test for a binary file as there (:class:`InputError` after the last chunk:
    the caller must not keep what it made of the chunks before)."""
    decoder = codecs.getincrementaldecoder(encoding)(ERRORS if encoding == "utf-8" else "strict")
    controls = length = 0
    offset = len(bom)
    try:
        for block in _skipped(chunks(), len(bom)):
            text = decoder.decode(block)
            offset += len(block)
            controls += _controls(text)
            length += len(text)
            if text:
                yield text
        text = decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot decode as {encoding}: {exc.reason} near byte {offset + exc.start}") from None
    controls += _controls(text)
    length += len(text)
    if text:
        yield text
    if length and controls > max(8, 0.1 * length):
        raise InputError(f"binary file ({controls} control characters in {length}), not text")


def _controls(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")


def word_aligned(parts: Iterable[str]) -> Iterator[str]:
    """The same text in parts cut only at white space (after the last line end of a part, else after its
    last space; a part without either is carried into the next): no word of
    :data:`pipeline.lexicon.WORD` runs across a cut."""
    carry = ""
    for part in parts:
        text = carry + part if carry else part
        cut = text.rfind("\n") + 1 or text.rfind(" ") + 1
        if cut:
            yield text[:cut]
            carry = text[cut:]
        else:
            carry = text
    if carry:
        yield carry


@dataclass
class FileCounts:
    """What the collection pass learns of one input: the SHA-256 of its bytes, its size, and its corpus
    counts (``None`` when it does not decode: the error is reported when the file itself is cleaned)."""

    sha256: str
    size: int
    counts: CorpusCounts | None


def count_file(path: Path, lexicon: Lexicon, chunk: int = CHUNK_BYTES) -> FileCounts:
    """Hash, decode and count one input file ``chunk`` bytes at a time (:class:`OSError` if it cannot be
    read). The counts are ``lexicon.counts_of(decode_bytes(data)[0])`` of the whole bytes ``data``."""
    chunks = file_chunks(path, chunk)
    digest, size = hashlib.sha256(), 0
    for block in chunks():
        digest.update(block)
        size += len(block)
    try:
        encoding, bom = detect_encoding_chunks(chunks, size)
        counts = lexicon.counts_of_parts(word_aligned(decoded_chunks(chunks, encoding, bom)))
    except InputError:
        counts = None
    return FileCounts(digest.hexdigest(), size, counts)
