"""Common English forenames, for telling a person's name from a place or another person's.

Why a list: ``George Washington`` holds the place name ``Washington`` and ``John Lenin`` the
surname of Lenin; only knowing that ``George`` and ``John`` are forenames tells that neither is the
entity of the authority. The authority's own person cues give the forenames of its people
(``Grigory``, ``Vladimir``); this module adds the forenames of English-language text.

Source: the first-name lists of the 1990 United States census (``dist.male.first``,
``dist.female.first``), as shipped by the ``names`` package (MIT licence), each line ``NAME
percent cumulative-percent rank``. Only names held by at least :data:`MIN_SHARE` per cent of the
people of either list are taken: the rare tail of the lists holds words (``In``, ``An``) and
places (``China``, ``America``). When the package is not installed, the set is empty and only the
authority's forenames count.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

#: A census forename is taken when at least this share (per cent) of the people of a list bear it.
MIN_SHARE = 0.01
_LISTS = ("dist.male.first", "dist.female.first")


@lru_cache(maxsize=1)
def census_forenames(min_share: float = MIN_SHARE) -> frozenset[str]:
    """Lower-case forenames borne by at least ``min_share`` per cent of the people of either census
    list (about 1,700 names); empty when the ``names`` package is not installed."""
    try:
        folder = resources.files("names")
    except ModuleNotFoundError:
        return frozenset()
    out: set[str] = set()
    for name in _LISTS:
        try:
            text = folder.joinpath(name).read_text(encoding="ascii")
        except OSError:
            continue
        for line in text.splitlines():
            cells = line.split()
            if len(cells) >= 2 and cells[0].isalpha() and float(cells[1]) >= min_share:
                out.add(cells[0].lower())
    return frozenset(out)


__all__ = ["MIN_SHARE", "census_forenames"]
