"""Fast candidates: a deletion index over a vocabulary (the SymSpell method).

Method: Garbe's symmetric delete algorithm (SymSpell, as in symspellpy): every word is
stored under each string obtained by deleting up to ``max_distance`` characters from its
first ``prefix`` characters; a query generates the same deletions of its own prefix, and
the words found under any of them are exactly the words within that many edits of it in
the prefix (plus some farther ones, which the channel model then prices). Unlike
symspellpy's ``lookup``, candidates are returned unranked and unverified, because the
channel model, not the edit distance, ranks them; that keeps a query at tens of
microseconds (symspellpy verifies each candidate with a Python edit distance).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.correction.cache import BoundedCache

#: Deletions up to this many characters (edit distance of the candidates).
MAX_DISTANCE = 2
#: Only the first characters of a word are indexed (SymSpell's prefix length).
PREFIX = 7
#: Queries whose answers an index keeps (a collection asks about the same misreadings again and again).
MEMO = 10_000
#: The one empty answer the memo holds for every query that finds nothing (an empty frozenset takes 216 bytes).
NOTHING: frozenset[str] = frozenset()


def deletions(word: str, max_distance: int = MAX_DISTANCE, prefix: int = PREFIX) -> set[str]:
    """``word[:prefix]`` with every choice of up to ``max_distance`` characters deleted (itself included).

    >>> sorted(deletions("the", 1))
    ['he', 'te', 'th', 'the']
    """
    head = word[:prefix]
    out = {head}
    frontier = {head}
    for _ in range(min(max_distance, len(head))):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class DeletionIndex:
    """Words of a vocabulary by their deletions; :meth:`candidates` finds the words near a string."""

    def __init__(self, words: Iterable[str] = (), max_distance: int = MAX_DISTANCE, prefix: int = PREFIX) -> None:
        self.max_distance = max_distance
        self.prefix = prefix
        self._index: dict[str, list[str] | str] = {}
        self.words: set[str] = set()
        #: answers to the last :data:`MEMO` queries (cleared when a word is added)
        self._memo: BoundedCache[tuple[str, int], frozenset[str]] = BoundedCache(MEMO)
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        """Index one word (idempotent)."""
        if word in self.words:
            return
        self.words.add(word)
        self._memo.clear()
        index = self._index
        for key in deletions(word, self.max_distance, self.prefix):
            found = index.get(key)
            if found is None:
                index[key] = word  # most keys hold one word: a bare string saves a list per key
            elif isinstance(found, str):
                index[key] = [found, word]
            else:
                found.append(word)

    def __len__(self) -> int:
        return len(self.words)

    def candidates(self, query: str, max_distance: int | None = None) -> set[str]:
        """Words within ``max_distance`` edits (Levenshtein, whole word) of ``query``.

        >>> sorted(DeletionIndex(["the", "then", "she", "tree"]).candidates("tne", 1))
        ['the']
        """
        return set(self.found(query, max_distance))

    def found(self, query: str, max_distance: int | None = None) -> frozenset[str]:
        """:meth:`candidates` as the memoised frozenset itself (no copy), for callers that only read it."""
        limit = self.max_distance if max_distance is None else max_distance
        hit = self._memo.get((query, limit))
        if hit is None:
            hit = self._memo[(query, limit)] = frozenset(self._lookup(query, limit)) or NOTHING
        return hit

    def _lookup(self, query: str, limit: int) -> set[str]:
        found: set[str] = set()
        index = self._index
        for key in deletions(query, limit, self.prefix):
            hit = index.get(key)
            if hit is None:
                continue
            if isinstance(hit, str):
                found.add(hit)
            else:
                found.update(hit)
        return within(query, found, limit)


#: From this many words on, :func:`within` measures them in one call of rapidfuzz's batch API.
BATCH = 24


def within(query: str, words: set[str], limit: int) -> set[str]:
    """The ``words`` within ``limit`` edits (Levenshtein) of ``query``: one by one for a few, else in one
    ``rapidfuzz.process.extract`` call (the same distances, measured in C++ without a Python call per word)."""
    if len(words) < BATCH:
        return {w for w in words if Levenshtein.distance(query, w, score_cutoff=limit) <= limit}
    return {w for w, _, _ in process.extract(query, words, scorer=Levenshtein.distance, score_cutoff=limit,
                                            limit=None)}


class LayeredIndex:
    """A :class:`DeletionIndex` of a large word set (a collection's words, indexed once) seen through a
    small change: words added (``extra``, indexed apart) and words taken away (``removed``). Answers
    :meth:`candidates` exactly as an index of the changed set would, at the cost of the change only."""

    def __init__(self, base: DeletionIndex, extra: DeletionIndex, removed: set[str]) -> None:
        self.base = base
        self.extra = extra
        self.removed = removed
        self.words = _Words(self)

    def __len__(self) -> int:
        return len(self.base) - len(self.removed) + len(self.extra)

    def candidates(self, query: str, max_distance: int | None = None) -> set[str]:
        """Words of the changed set within ``max_distance`` edits of ``query`` (as :meth:`DeletionIndex.candidates`)."""
        found = self.base.candidates(query, max_distance)
        if self.removed:
            found -= self.removed
        if self.extra.words:
            found |= self.extra.candidates(query, max_distance)
        return found

    def found(self, query: str, max_distance: int | None = None) -> frozenset[str]:
        """:meth:`candidates` as a frozenset."""
        return frozenset(self.candidates(query, max_distance))


class _Words:
    """The word set of a :class:`LayeredIndex`, for ``in`` and truth tests."""

    def __init__(self, index: LayeredIndex) -> None:
        self.index = index

    def __contains__(self, word: object) -> bool:
        i = self.index
        return word in i.extra.words or (word in i.base.words and word not in i.removed)

    def __len__(self) -> int:
        return len(self.index)

    def __bool__(self) -> bool:
        return len(self.index) > 0
