"""A dictionary that forgets its least recently used entries beyond a fixed size.

Why not ``functools.lru_cache``: the corrector's caches are shared between objects (the correctors of
one channel model and vocabulary) and filled by methods, so they are plain mappings here; bounding them
keeps a long run's memory flat however many distinct tokens it meets.
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most ``maxsize`` entries, in two generations: new entries and entries read again go to the
    young one; when it is full, the old generation is dropped and the young one becomes old. Entries
    used within the last ``maxsize / 2`` insertions are therefore always kept (an LRU approximation at
    the cost of a plain dict read)."""

    def __init__(self, maxsize: int) -> None:
        if maxsize < 2:
            raise ValueError("maxsize must be at least 2")
        self.maxsize = maxsize
        self._young: dict[K, V] = {}
        self._old: dict[K, V] = {}

    def get(self, key: K, default: V | None = None) -> V | None:
        value = self._young.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        value = self._old.get(key, _MISSING)
        if value is _MISSING:
            return default
        self[key] = value  # type: ignore[assignment]
        return value  # type: ignore[return-value]

    def __setitem__(self, key: K, value: V) -> None:
        young = self._young
        if key not in young and len(young) >= self.maxsize // 2:
            self._old, self._young = young, {}
            young = self._young
        young[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._young or key in self._old

    def __len__(self) -> int:
        return len(self._young) + sum(1 for k in self._old if k not in self._young)

    def clear(self) -> None:
        self._young.clear()
        self._old.clear()


_MISSING = object()
