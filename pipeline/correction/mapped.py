"""The vocabulary's deletion index as sorted arrays in a cache file, memory-mapped.

Why: building the :class:`~pipeline.correction.index.DeletionIndex` of the ~86,000-word vocabulary
takes about 2 s and 110 MB of Python objects in every process, and unpickling it is no faster.
The same index as two flat arrays opens in milliseconds, and as a memory-mapped file its pages sit
once in the OS page cache however many worker processes read it.

Layout: one entry per (deletion key, word) pair of the index, sorted: ``codes`` (uint64, the key's
code, see :func:`key_code`) and ``ids`` (uint32, the word's position in the sorted word list). A
query computes the codes of its own deletions and finds their entries with ``searchsorted``.

A code is exact for a key of at most 7 bytes of UTF-8 (its bytes read as an integer, below 2**56:
every key of an ASCII word with the default prefix of 7), and a 63-bit BLAKE2b hash with the top bit
set for a longer key. An exact code cannot collide; a hashed one can, so a word reached only through
hashed codes is kept only if it really is stored under one of the query's keys
(:func:`holds_key`): answers equal the in-memory index's exactly.

File format (:data:`FORMAT`): ``MAGIC``, the header's length (uint64 little-endian), the header
(JSON: format, key, word count, entry count, index parameters, CRC-32 of the body), zero padding to
a multiple of 8 bytes, then the body: ``codes`` then ``ids``, little-endian. A file that fails any
check (magic, format, key, sizes, CRC) is treated as absent and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from pipeline.correction.index import MAX_DISTANCE, PREFIX, DeletionIndex, deletions, within
from pipeline.store import cache_path, content_key, prune, write_atomic

#: Version of the file layout and of the key coding; a change makes every cached file stale.
FORMAT = 1
MAGIC = b"OCRDIDX\x00"
KIND = "deletion-index"
#: Codes from here up are hashes (may collide); codes below are the key's own bytes.
HASHED = 1 << 63
_CODE = np.dtype("<u8")
_ID = np.dtype("<u4")

log = logging.getLogger(__name__)


def key_code(key: str) -> int:
    """The 64-bit code of a deletion key: its UTF-8 bytes as a little-endian integer when there are
    at most 7 of them (exact; no letter encodes to a zero byte, so the length is implied), else a
    BLAKE2b hash with bit 63 set."""
    raw = key.encode("utf-8")
    if len(raw) <= 7:
        return int.from_bytes(raw, "little")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little") | HASHED


def holds_key(word: str, key: str, max_distance: int, prefix: int) -> bool:
    """Whether ``key`` is among :func:`~pipeline.correction.index.deletions` of ``word`` (``word[:prefix]``
    with at most ``max_distance`` characters deleted), i.e. the index stores ``word`` under ``key``."""
    head = word[:prefix]
    if not len(head) - max_distance <= len(key) <= len(head):
        return False
    rest = iter(head)
    return all(char in rest for char in key)


def build_arrays(words: Sequence[str], max_distance: int = MAX_DISTANCE,
                 prefix: int = PREFIX) -> tuple[np.ndarray, np.ndarray]:
    """(codes, ids) of every (deletion key, word) pair of ``words``, sorted by code, then id."""
    codes: list[int] = []
    ids: list[int] = []
    for i, word in enumerate(words):
        keys = deletions(word, max_distance, prefix)
        codes.extend(map(key_code, keys))
        ids.extend([i] * len(keys))
    code_arr = np.array(codes, dtype=_CODE)
    id_arr = np.array(ids, dtype=_ID)
    order = np.lexsort((id_arr, code_arr))
    return code_arr[order], id_arr[order]


class MappedIndex(DeletionIndex):
    """A :class:`~pipeline.correction.index.DeletionIndex` whose words are looked up in sorted arrays
    (see the module docstring) instead of a dictionary; :meth:`candidates` gives the same sets.

    ``words``: the vocabulary, sorted and without repeats (ids are positions in it); ``codes``,
    ``ids``: :func:`build_arrays` of it, in memory or memory-mapped. Words added later with
    :meth:`add` go to the in-memory dictionary of the base class and are found as well."""

    def __init__(self, words: Sequence[str], codes: np.ndarray, ids: np.ndarray,
                 max_distance: int = MAX_DISTANCE, prefix: int = PREFIX, key: str | None = None) -> None:
        super().__init__((), max_distance, prefix)
        self._list = list(words)
        #: each word's length (characters), to leave out words too long or short for a query before reading them
        self._lengths = np.array([len(w) for w in self._list], dtype=np.int32)
        self.words = set(self._list)
        self._codes = codes
        self._ids = ids
        #: what the arrays were built from (:func:`index_key`), for caches of data derived from the words
        self.key = index_key(self._list, max_distance, prefix) if key is None else key

    def add(self, word: str) -> None:
        """Index one more word (in memory); the index no longer matches its :attr:`key`, which becomes ""."""
        if word not in self.words:
            self.key = ""
            # a copy: what was built on the words so far (the far-candidate search, which may share the set)
            # keeps them as they were
            self.words = set(self.words)
        super().add(word)

    def _lookup(self, query: str, limit: int) -> set[str]:
        keys = list(deletions(query, limit, self.prefix))
        wanted = [key_code(k) for k in keys]
        if max(wanted, default=0) < HASHED:
            # exact codes only (the common case): the entries of code c are those from the first of c to the
            # first of c + 1, found in one search for both
            bounds = self._codes.searchsorted(np.array(wanted + [c + 1 for c in wanted], dtype=_CODE)).tolist()
            found = self._gather(bounds[:len(wanted)], bounds[len(wanted):], len(query), limit)
        else:
            codes = np.array(wanted, dtype=_CODE)
            lo = self._codes.searchsorted(codes, "left")
            hi = self._codes.searchsorted(codes, "right")
            found = self._verified(query, keys, wanted, lo.tolist(), hi.tolist())
        out = within(query, found, limit)
        if self._index:  # words added after the arrays were made
            out |= super()._lookup(query, limit)
        return out

    def _gather(self, lo: list[int], hi: list[int], size: int, limit: int) -> set[str]:
        """The words of the entries ``lo[i]:hi[i]`` for every i whose length is within ``limit`` of ``size``
        (no word of another length is within ``limit`` edits of the query)."""
        ids = self._ids
        spans = [ids[a:b] for a, b in zip(lo, hi) if a != b]
        if not spans:
            return set()
        found = spans[0] if len(spans) == 1 else np.concatenate(spans)
        found = found[np.abs(self._lengths[found] - size) <= limit]
        words = self._list
        return {words[j] for j in found.tolist()}

    def _verified(self, query: str, keys: list[str], wanted: list[int], lo: list[int], hi: list[int]) -> set[str]:
        """The words stored under ``keys``, a word reached only through hashed codes kept only when it is
        within the query's reach and really stored under one of those keys (:func:`holds_key`)."""
        sure: set[int] = set()
        unsure: dict[int, list[str]] = {}
        for i, code in enumerate(wanted):
            if lo[i] == hi[i]:
                continue
            found = self._ids[lo[i]:hi[i]].tolist()
            if code < HASHED:
                sure.update(found)
            else:
                for j in found:
                    unsure.setdefault(j, []).append(keys[i])
        words = self._list
        out = {words[j] for j in sure}
        for j, via in unsure.items():
            if j not in sure and any(holds_key(words[j], k, self.max_distance, self.prefix) for k in via):
                out.add(words[j])
        return out


def index_key(words: Sequence[str], max_distance: int, prefix: int) -> str:
    """What a cached index of ``words`` (sorted) depends on: the words, the parameters, :data:`FORMAT`."""
    return content_key([f"{KIND} format {FORMAT}", f"max_distance {max_distance} prefix {prefix}",
                        "\n".join(words)])


def write_index(fh: BinaryIO, key: str, n_words: int, codes: np.ndarray, ids: np.ndarray,
                max_distance: int, prefix: int) -> None:
    """Write the arrays of an index to ``fh`` in the file format of the module docstring."""
    body_codes, body_ids = codes.astype(_CODE).tobytes(), ids.astype(_ID).tobytes()
    crc = zlib.crc32(body_ids, zlib.crc32(body_codes))
    header = json.dumps({"format": FORMAT, "key": key, "words": n_words, "entries": len(codes),
                         "max_distance": max_distance, "prefix": prefix, "crc32": crc}).encode("utf-8")
    head = MAGIC + len(header).to_bytes(8, "little") + header
    fh.write(head + b"\0" * (-len(head) % 8))
    fh.write(body_codes)
    fh.write(body_ids)


def read_index(path: Path, key: str, n_words: int, max_distance: int,
               prefix: int) -> tuple[np.ndarray, np.ndarray]:
    """(codes, ids) of the index file at ``path``, memory-mapped read-only.

    Raises :class:`OSError` when it cannot be read and :class:`ValueError` when it is not a complete
    index of this key, word count, parameters and format (the CRC of the body included)."""
    with open(path, "rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[:len(MAGIC)] != MAGIC:
        raise ValueError("not an ocrclean index file")
    start = len(MAGIC) + 8
    size = int.from_bytes(mapped[len(MAGIC):start], "little")
    header = json.loads(mapped[start:start + size].decode("utf-8"))
    expected = {"format": FORMAT, "key": key, "words": n_words, "max_distance": max_distance, "prefix": prefix}
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in expected.items()):
        raise ValueError("index file of another vocabulary, parameters or format")
    entries = header.get("entries")
    body = start + size + (-(start + size) % 8)
    if not isinstance(entries, int) or len(mapped) != body + entries * (_CODE.itemsize + _ID.itemsize):
        raise ValueError("index file of the wrong size")
    if zlib.crc32(memoryview(mapped)[body:]) != header.get("crc32"):
        raise ValueError("index file damaged (CRC mismatch)")
    codes = np.frombuffer(mapped, dtype=_CODE, count=entries, offset=body)
    ids = np.frombuffer(mapped, dtype=_ID, count=entries, offset=body + entries * _CODE.itemsize)
    return codes, ids


def cached_index(words: Iterable[str], max_distance: int = MAX_DISTANCE, prefix: int = PREFIX) -> MappedIndex:
    """A :class:`MappedIndex` of ``words``, opened from the cache (:mod:`pipeline.store`) or
    built and written there first. A missing, stale or damaged file is rebuilt; when the cache cannot
    be written the index is kept in memory (same answers, a slower start and more memory)."""
    ordered = sorted(set(words))
    key = index_key(ordered, max_distance, prefix)
    path = cache_path(KIND, key)
    try:
        return MappedIndex(ordered, *read_index(path, key, len(ordered), max_distance, prefix), max_distance, prefix,
                           key)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as err:
        log.info("rebuilding the cached vocabulary index %s: %s", path, err)
    codes, ids = build_arrays(ordered, max_distance, prefix)
    try:
        write_atomic(path, lambda fh: write_index(fh, key, len(ordered), codes, ids, max_distance, prefix))
        prune(KIND)
        codes, ids = read_index(path, key, len(ordered), max_distance, prefix)
    except (OSError, ValueError) as err:
        log.warning("ocrclean: cannot use the cache folder %s (%s); the vocabulary index stays in memory",
                    path.parent, err)
    return MappedIndex(ordered, codes, ids, max_distance, prefix, key)
