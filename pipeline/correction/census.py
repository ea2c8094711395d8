"""How common each personal name of English-language text is: the census name lists with their shares.

Why: a misread surname (``KUIott``, ``Walorhouse``) is no word of a dictionary, so the word corrector
cannot read it back; where a token stands in a name's place (after an initial, a forename or a title)
the names people bear are its likely readings, weighed by how many bear them (``Elliott`` is borne by
about 0.05% of people, ``Waterhouse`` by about 0.001%). The same shares keep a real surname
(``F W Bunning``) from being read as a word (``Running``).

Source: the 1990 United States census lists of surnames (``dist.all.last``, 88,799 names) and of
male and female forenames (``dist.male.first``, ``dist.female.first``), as shipped by the ``names``
package (MIT licence), each line ``NAME percent cumulative-percent rank``. Shares are printed to three
decimals of a per cent; the names printed as ``0.000`` (the rare tail, below 0.0005%) are given a share
falling with their rank from the last printed one (Zipf's law). When the package is not installed the
table is empty and no name readings are weighed.
"""

from __future__ import annotations

import inspect
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline.correction.letters import LetterModel
from pipeline.store import cached_data, file_stamp, fitted_state, with_state

_LISTS = ("dist.all.last", "dist.male.first", "dist.female.first")
#: Shortest name weighed (shorter ones in the lists are mostly words or initials: ``Al``, ``Ed``).
MIN_LENGTH = 3


def _shares(text: str) -> dict[str, float]:
    """Lower-case name -> share of people (a fraction, not a per cent) from one census list."""
    out: dict[str, float] = {}
    last_share, last_rank = 0.0, 1
    for line in text.splitlines():
        cells = line.split()
        if len(cells) < 4 or not cells[0].isalpha() or len(cells[0]) < MIN_LENGTH:
            continue
        share, rank = float(cells[1]) / 100, int(cells[3])
        if share > 0:
            last_share, last_rank = share, rank
        else:  # below the printed precision: Zipf's law from the last printed share
            share = last_share * last_rank / rank
        out[cells[0].lower()] = share
    return out


@lru_cache(maxsize=1)
def _census_files() -> tuple[Path, ...]:
    """The census lists the ``names`` package ships (none when it is not installed)."""
    try:
        folder = resources.files("names")
    except ModuleNotFoundError:
        return ()
    return tuple(Path(str(folder.joinpath(name))) for name in _LISTS if folder.joinpath(name).is_file())


@lru_cache(maxsize=1)
def _census_stamp() -> str:
    """What the census tables depend on: the lists' contents and this module's source (:func:`file_stamp`)."""
    return file_stamp(*_census_files(), __file__)


@lru_cache(maxsize=1)
def census_names() -> dict[str, float]:
    """Lower-case personal name -> log10 share of the people who bear it (as surname or forename,
    whichever is commoner); about 90,000 names, empty when the ``names`` package is not installed. Read from the
    per-user cache (:func:`~pipeline.store.cached_data`, kind ``census-names``, keyed by :func:`_census_stamp`) once
    built (about 0.3 s)."""
    files = _census_files()
    if not files:
        return {}
    return cached_data("census-names", [_census_stamp()], lambda: _read_census(files))


def _read_census(files: tuple[Path, ...]) -> dict[str, float]:
    """The table of :func:`census_names` read from the census ``files``."""
    best: dict[str, float] = {}
    for path in files:
        try:
            text = path.read_text(encoding="ascii")
        except OSError:
            continue
        for word, share in _shares(text).items():
            if share > best.get(word, 0.0):
                best[word] = share
    return {w: math.log10(s) for w, s in best.items() if s > 0}


@lru_cache(maxsize=1)
def name_letters() -> LetterModel:
    """A :class:`~pipeline.correction.letters.LetterModel` of the census names' spellings (each name once): how
    plausible a string is as a personal name's spelling (``Spivakovsky``, ``Donohoo`` spell as names do, though not
    as English words). Its fitted tables come from the per-user cache (kind ``name-letter-model``, keyed by
    :func:`_census_stamp` and the letter model's source) once built (about 0.4 s); trained on nothing when the
    ``names`` package is not installed (then every string falls short of nothing: :attr:`LetterModel.typical` is
    -1)."""
    names = census_names()
    if not names:
        return LetterModel(())
    built: list[LetterModel] = []

    def fit() -> dict[str, object]:
        built.append(LetterModel(names))
        return fitted_state(built[0])

    state = cached_data("name-letter-model", [_census_stamp(), file_stamp(inspect.getfile(LetterModel))], fit)
    return built[0] if built else with_state(LetterModel(()), state)


def name_shortfall(word: str) -> float:
    """How much (log10, >= 0) less probable ``word`` (lower case) is as a name's spelling than a typical census name
    of its length (:meth:`~pipeline.correction.letters.LetterModel.shortfall` under :func:`name_letters`); a word
    with apostrophes (``m'kenzie``, ``o'brien``) by its worst part of two letters or more, since the lists spell
    such names without them. 0 when no census list is installed."""
    if not census_names():
        return 0.0
    parts = [p for p in word.replace("’", "'").split("'") if len(p) > 1] or [word]
    model = name_letters()
    return max(model.shortfall(p) for p in parts)


__all__ = ["MIN_LENGTH", "census_names", "name_letters", "name_shortfall"]
