"""The channel model: how likely an OCR engine reads ``printed`` as ``scanned``.

Method: Brill & Moore (2000), "An improved error model for noisy channel spelling
correction", adapted to OCR as in Evershed & Fitch (2014, OverProof). From pairs of
(OCR word, ground-truth word) the differing substrings are counted, each also with one
character of context on either side (so ``rn``<-``m`` and ``tl``<-``d`` are learned as
units), and normalised by how often the printed substring occurs in the ground truth:

    P(scanned_sub | printed_sub) = (1 - lambda) * n(printed_sub -> scanned_sub) / n(printed_sub) + lambda * prior

The prior is a small table of letter *shapes* that OCR engines confuse (strokes merged or
split, round letters, accents added), so a confusion the training pairs never showed is
still cheaper than an arbitrary edit. A word's channel probability is the product over the
blocks where it differs from the candidate (each block scored at its most probable
expansion) times the probability of reading every other character right.

All probabilities are returned as log10 values (negative numbers; 0 = certain).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rapidfuzz.distance import Levenshtein

from pipeline.errors import OcrcleanError

if TYPE_CHECKING:
    from pipeline.lexicon import Counts

#: Format version of saved models (bumped when the JSON layout changes).
MODEL_FORMAT = 1
#: Longest printed substring whose counts are kept (with context).
MAX_SUB = 4
#: Longest differing block (characters a side) priced as its likeliest partition into confusions (see
#: :meth:`ChannelModel._segmented_logp`).
MAX_SEGMENTED = 5
#: Marks of a word's start and end in the counted strings.
BOUNDARY = ("^", "$")
#: Weight of the prior in the interpolation with the relative frequency (Jelinek-Mercer smoothing).
LAMBDA = 0.1

#: (printed, scanned) pairs of letter shapes OCR engines are known to confuse, with all
#: engines and typefaces: strokes merged or split, round letters, vertical strokes, the
#: long s. A prior only: the learned counts decide how likely each is in a collection.
SHAPE_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("m", "rn"), ("m", "in"), ("m", "ni"), ("m", "iii"), ("d", "cl"), ("h", "li"), ("h", "b"), ("b", "h"),
    ("u", "ii"), ("n", "ii"), ("ll", "U"), ("n", "ri"), ("w", "vv"), ("W", "VV"), ("M", "IVI"),
    ("l", "I"), ("I", "l"), ("i", "l"), ("l", "i"), ("l", "1"), ("I", "1"), ("i", "1"), ("l", "!"), ("i", "!"),
    ("o", "0"), ("O", "0"), ("e", "c"), ("c", "e"), ("o", "c"), ("e", "o"), ("o", "e"), ("a", "o"), ("o", "a"),
    ("a", "e"), ("e", "a"), ("u", "n"), ("n", "u"), ("m", "n"), ("n", "m"), ("s", "f"), ("f", "s"),
    ("t", "f"), ("f", "t"),
    ("r", "t"), ("t", "r"), ("h", "k"), ("k", "h"), ("y", "v"), ("v", "y"), ("s", "5"), ("S", "5"), ("B", "8"),
    ("g", "q"), ("q", "g"), ("c", "o"), ("fi", "f"), ("fl", "f"), ("rn", "m"), ("d", "tl"), ("th", "tb"),
    ("h", "Il"), ("n", "li"), ("f", "j"), ("fi", "n"), ("fl", "n"), ("I", "1"), ("W", "Vl"),
    ("e", "é"), ("a", "á"), ("a", "â"), ("e", "è"), ("e", "ê"), ("i", "í"), ("o", "ó"), ("u", "ú"),
    # a letter's first or last stroke read as a comma (``war,nth`` for ``warmth``)
    ("m", ",n"), ("m", "n,"), ("m", "r,n"), ("n", ",i"), ("n", "i,"),
)
#: Prior probability of a listed shape confusion, of an accent added or lost, of a change of
#: letter case only, and of an arbitrary edit of one character (each further character of
#: the block divides it by ``GENERIC_PER_CHAR``).
SHAPE_PRIOR = 1e-2
ACCENT_PRIOR = 1e-2
CASE_PRIOR = 1e-3
GENERIC_PRIOR = 3e-4
GENERIC_PER_CHAR = 30.0


def strip_accents(text: str) -> str:
    """``thé`` -> ``the``: the letters without combining marks."""
    if text.isascii():
        return text  # nothing to strip (and most text is ASCII)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def prior(printed: str, scanned: str) -> float:
    """Probability of reading ``printed`` as ``scanned`` before any data is seen."""
    if (printed, scanned) in _SHAPES:
        return SHAPE_PRIOR
    if printed and (scanned if scanned.isascii() else strip_accents(scanned)) == printed:
        return ACCENT_PRIOR
    if printed.lower() == scanned.lower():
        return CASE_PRIOR
    size = max(len(printed), len(scanned), 1)
    return _GENERIC[size] if size < len(_GENERIC) else GENERIC_PRIOR / GENERIC_PER_CHAR ** (size - 1)


def _with_capitals(pairs: tuple[tuple[str, str], ...]) -> frozenset[tuple[str, str]]:
    """The pairs, plus each pair of letters in capitals (``c``/``o`` -> ``C``/``O``)."""
    out = set(pairs)
    out.update((p.upper(), s.upper()) for p, s in pairs if p.isalpha() and s.isalpha() and len(p) == len(s) == 1)
    return frozenset(out)


_SHAPES = _with_capitals(SHAPE_CONFUSIONS)
#: :data:`GENERIC_PRIOR` for an edit of each size (index 0 unused), computed once.
_GENERIC = [0.0, *(GENERIC_PRIOR / GENERIC_PER_CHAR ** (size - 1) for size in range(1, 2 * MAX_SUB + 3))]


@dataclass
class ChannelModel:
    """Counts of substring confusions and of printed substrings; see the module docstring.

    ``confusions[(printed, scanned)]``: how often the printed substring was read as the
    scanned one (blocks with 0 or 1 character of context on each side). ``printed[sub]``:
    how often the substring occurs in the ground-truth words. ``chars``/``errors``: printed
    characters seen and characters inside a confusion block, for the probability of reading
    a character right.
    """

    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    printed: Counter[str] = field(default_factory=Counter)
    chars: int = 0
    errors: int = 0
    pairs: int = 0
    source: str = ""
    #: share of the scanned training words that no spelling produces (see
    #: :func:`pipeline.correction.corrector.impossible`): how noisy the training OCR was
    impossible_rate: float = 0.0
    #: a document's own rates of the confusions its corrections show (see :meth:`with_local_rates`);
    #: not saved with the model
    local: dict[tuple[str, str], float] = field(default_factory=dict)
    #: caches, reset whenever the counts change (see :meth:`_reset_cache`)
    _max_logp: float | None = field(default=None, init=False, repr=False, compare=False)
    _keep: float | None = field(default=None, init=False, repr=False, compare=False)
    #: for a model made by :meth:`adapted`: the model it was first adapted from (not an adapted one, so a chain
    #: of adaptations keeps no model in between alive), the printed substrings whose counts the adaptations
    #: changed, and that model's (pairs, chars, errors) then; a substring probability whose counts did not
    #: change is taken from that model's memo (see :meth:`_sub_logp`)
    _base: tuple[ChannelModel, frozenset[str], tuple[int, int, int]] | None = field(
        default=None, init=False, repr=False, compare=False)

    # -- training ----------------------------------------------------------------------
    def add_pair(self, scanned: str, printed: str, weight: int = 1) -> None:
        """Count one aligned word pair (OCR reading, ground truth).

        Both are counted between word-boundary marks (``^the$``), so confusions that happen at
        the start or end of a word (``In`` for ``in``) are learned as such."""
        self._base = None  # counts change: no probability is taken from another model any more
        self.pairs += weight
        self.chars += len(printed) * weight
        scanned, printed = BOUNDARY[0] + scanned + BOUNDARY[1], BOUNDARY[0] + printed + BOUNDARY[1]
        for size in range(1, MAX_SUB + 1):
            for k in range(len(printed) - size + 1):
                self.printed[printed[k:k + size]] += weight
        if scanned == printed:
            return
        for p0, p1, s0, s1 in blocks(printed, scanned):
            self.errors += max(p1 - p0, 1) * weight
            for left in (0, 1):
                for right in (0, 1):
                    a, b = p0 - left, p1 + right
                    c, d = s0 - left, s1 + right
                    if a < 0 or b > len(printed) or c < 0 or d > len(scanned) or b - a > MAX_SUB:
                        continue
                    self.confusions[(printed[a:b], scanned[c:d])] += weight

    def fit(self, pairs: Iterable[tuple[str, str]]) -> ChannelModel:
        """Count every (scanned, printed) word pair; returns self."""
        for scanned, printed in pairs:
            self.add_pair(scanned, printed)
        self._reset_cache()
        return self

    def adapted(self, pairs: Iterable[tuple[str, str]], weight: int) -> ChannelModel:
        """A copy that also counts ``pairs`` (scanned, printed), each ``weight`` times: the confusions a
        document's own confident corrections show (TICCL-style adaptation to a collection)."""
        model = ChannelModel(Counter(self.confusions), Counter(self.printed), self.chars, self.errors, self.pairs,
                             self.source + " + document", self.impossible_rate)
        changed: set[str] = set()
        for scanned, printed in pairs:
            model.add_pair(scanned, printed, weight)
            # every printed substring add_pair counts (and so every printed side of a confusion it counts)
            marked = BOUNDARY[0] + printed + BOUNDARY[1]
            changed.update(marked[k:k + size] for size in range(1, MAX_SUB + 1) for k in range(len(marked) - size + 1))
        if self._base is None:
            model._base = (self, frozenset(changed), (self.pairs, self.chars, self.errors))
        else:  # adapted again: the counts are still the first model's but for both adaptations' substrings
            root, before, stamp = self._base
            model._base = (root, before | changed, stamp)
        model._reset_cache()
        return model

    def with_local_rates(self, rates: dict[tuple[str, str], float]) -> ChannelModel:
        """This model, where each confusion of ``rates`` is at least as likely as its rate there: a
        document's own rate of a confusion (see :func:`document_rates`), which a collection-wide count
        would dilute (the long ``s`` read as ``f`` in nearly every word of one book, in no other)."""
        self.local = dict(rates)
        self._reset_cache()
        return self

    # -- scoring -----------------------------------------------------------------------
    @property
    def keep_logp(self) -> float:
        """log10 probability of reading one printed character right."""
        rate = (self.errors + 1) / (self.chars + 100)
        return math.log10(max(1e-6, 1.0 - min(rate, 0.5)))

    @property
    def max_logp(self) -> float:
        """The highest log10 probability of any confusion block: a bound on what one block can cost."""
        if self._max_logp is None:
            self._max_logp = max((self.sub_logp(p, s) for p, s in self.confusions), default=math.log10(SHAPE_PRIOR))
        return self._max_logp

    def sub_logp(self, printed: str, scanned: str) -> float:
        """log10 P(scanned | printed) for one substring (memoised)."""
        return self._sub(printed, scanned)

    def _sub_logp(self, printed: str, scanned: str) -> float:
        base = self._base
        if base is not None and printed and printed not in base[1]:
            # counts the adaptation left alone (the empty printed side is not among them: ``chars`` changed):
            # the model adapted from has the same probability, memoised there, unless a document rate of
            # either model raises it
            parent, _, stamp = base
            key = (printed, scanned)
            if key not in self.local and key not in parent.local and (parent.pairs, parent.chars,
                                                                      parent.errors) == stamp:
                return parent._sub(printed, scanned)  # (:meth:`sub_logp` without the call around it)
        n = self.confusions.get((printed, scanned), 0)
        total = self.printed.get(printed, 0) if printed else self.chars
        p = (1 - LAMBDA) * n / total if total else 0.0
        p = max(p + LAMBDA * prior(printed, scanned), self.local.get((printed, scanned), 0.0))
        return math.log10(min(p, 0.9))

    def logp(self, scanned: str, printed: str) -> tuple[float, int]:
        """(log10 P(scanned | printed), number of confusion blocks) for a whole word: the most
        probable reading of each block where the two differ, and every other character read right."""
        return self._logp(scanned, printed)

    def _reset_cache(self) -> None:
        self._logp = lru_cache(maxsize=5_000)(self._word_logp)
        self._sub = lru_cache(maxsize=10_000)(self._sub_logp)
        self._segmented = lru_cache(maxsize=100_000)(self._segmented_logp)
        self._known: dict[str, frozenset[str]] | None = None
        self._max_logp = None
        #: keep_logp, computed on first use after the counts last changed
        self._keep = None

    def __post_init__(self) -> None:
        self._reset_cache()

    def _word_logp(self, scanned: str, printed: str) -> tuple[float, int]:
        keep = self._keep
        if keep is None:
            keep = self._keep = self.keep_logp
        sub = self._sub
        # a model adapted to a document prices a block's partition as the model it was adapted from does (computed
        # once for all the documents; the document's own rates still price each whole block)
        base = self._base
        segmented = self._segmented
        if base is not None and (base[0].pairs, base[0].chars, base[0].errors) == base[2]:
            segmented = base[0]._segmented
        if scanned == printed:
            return keep * len(printed), 0
        scanned, printed = BOUNDARY[0] + scanned + BOUNDARY[1], BOUNDARY[0] + printed + BOUNDARY[1]
        n_printed, n_scanned = len(printed), len(scanned)
        total = 0.0
        covered = 0
        found = blocks(printed, scanned)
        n_blocks = len(found)
        for p0, p1, s0, s1 in found:
            # the block's most probable reading: alone, with one character of context before, after, both
            # (each character of context read right is paid back)
            best = -99.0
            lp = sub(printed[p0:p1], scanned[s0:s1])
            if lp > best:
                best = lp
            after = p1 < n_printed and s1 < n_scanned
            if after:
                lp = sub(printed[p0:p1 + 1], scanned[s0:s1 + 1]) - keep
                if lp > best:
                    best = lp
            if p0 and s0:
                lp = sub(printed[p0 - 1:p1], scanned[s0 - 1:s1]) - keep
                if lp > best:
                    best = lp
                if after:
                    lp = sub(printed[p0 - 1:p1 + 1], scanned[s0 - 1:s1 + 1]) - keep * 2
                    if lp > best:
                        best = lp
            if p1 - p0 + s1 - s0 > 2:
                # confusions side by side (``lio`` for ``he``: ``li`` for ``h``, then ``o`` for ``e``; ``ff`` for
                # ``ss`` where the long s is read as ``f``): no less likely than each confusion on its own, however
                # rarely the whole was seen as one block
                # (with the character of context on either side, as the block alone is priced above, paid back)
                before, behind = (1 if p0 and s0 else 0), (1 if after else 0)
                lp, pieces = segmented(printed[p0 - before:p1 + behind], scanned[s0 - before:s1 + behind])
                lp -= keep * (before + behind)
                if lp > best:
                    best = lp
                    n_blocks += pieces - 1
            total += best
            covered += p1 - p0
        return total + keep * (n_printed - 2 - covered), n_blocks

    def _segmented_logp(self, printed: str, scanned: str) -> tuple[float, int]:
        """(log10 P(scanned | printed), confusions) of one differing block read as its likeliest partition into
        confusions (of one character, or of the substrings the model has counts or a prior shape for, at most
        :data:`MAX_SUB` characters a side) and characters read right: Brill & Moore's partition of a word, within
        the block. ``(-inf, 0)`` for a block longer than :data:`MAX_SEGMENTED` characters a side (a garble, whose
        partitions are many and none of them likely); the block may come with a character of context on either
        side, read right or in a confusion with it."""
        n, m = len(printed), len(scanned)
        if n > MAX_SEGMENTED or m > MAX_SEGMENTED:
            return -math.inf, 0
        keep, sub, known = self._keep if self._keep is not None else self.keep_logp, self._sub, self._known_pieces()
        inf = -math.inf
        # what does not depend on the cell, looked up once per block: each printed character lost, each scanned
        # one inserted, and, from each printed position, the longer confusions the model knows (the printed end
        # and its readings)
        lost = [sub(one, "") for one in printed]
        inserted = [sub("", one) for one in scanned]
        longer: list[list[tuple[int, frozenset[str]]]] = []
        for i in range(n + 1):
            here_known = []
            for a in range(i, min(n, i + MAX_SUB) + 1):
                reads = known.get(printed[i:a])
                if reads is not None:
                    here_known.append((a, reads))
            longer.append(here_known)
        # score[i][j], count[i][j]: log10 probability and confusions of printed[:i] read as scanned[:j]
        score = [[inf] * (m + 1) for _ in range(n + 1)]
        count = [[0] * (m + 1) for _ in range(n + 1)]
        score[0][0] = 0.0
        for i in range(n + 1):
            row = score[i]
            counts = count[i]
            known_here = longer[i]
            one = printed[i] if i < n else ""
            for j in range(m + 1):
                here = row[j]
                if here == inf:
                    continue
                pieces = counts[j]
                if i < n:
                    nxt, nxt_count = score[i + 1], count[i + 1]
                    if j < m:  # one character read right, or as another
                        same = one == scanned[j]
                        lp = here + (keep if same else sub(one, scanned[j]))
                        if lp > nxt[j + 1]:
                            nxt[j + 1], nxt_count[j + 1] = lp, pieces + (not same)
                    lp = here + lost[i]  # one character lost
                    if lp > nxt[j]:
                        nxt[j], nxt_count[j] = lp, pieces + 1
                if j < m:  # one character inserted
                    lp = here + inserted[j]
                    if lp > row[j + 1]:
                        row[j + 1], counts[j + 1] = lp, pieces + 1
                # a confusion of more than one character a side that the model knows
                for a, reads in known_here:
                    for b in range(j + 2 if a - i <= 1 else j, min(m, j + MAX_SUB) + 1):
                        if scanned[j:b] in reads:
                            lp = here + sub(printed[i:a], scanned[j:b])
                            if lp > score[a][b]:
                                score[a][b], count[a][b] = lp, pieces + 1
        return score[n][m], count[n][m]

    def _known_pieces(self) -> dict[str, frozenset[str]]:
        """Printed substring -> its readings that the model has counts, a document rate or a prior shape for."""
        if self._known is None:
            known: dict[str, set[str]] = {}
            for p, s in (*self.confusions, *self.local, *_SHAPES):
                known.setdefault(p, set()).add(s)
            self._known = {p: frozenset(s) for p, s in known.items()}
        return self._known

    # -- persistence -------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        """The model as a JSON-ready dict (the file format of :meth:`save`)."""
        sides = self._printed_sides()
        return {
            "format": MODEL_FORMAT,
            "kind": "ocrclean channel model",
            "method": "Brill & Moore (2000) substring confusions, 0-1 characters of context",
            "source": self.source,
            "pairs": self.pairs,
            "chars": self.chars,
            "errors": self.errors,
            "impossible_rate": self.impossible_rate,
            "confusions": sorted([p, s, n] for (p, s), n in self.confusions.items()),
            # denominators are needed only where a confusion was seen
            "printed": {k: v for k, v in sorted(self.printed.items()) if k in sides},
        }

    def _printed_sides(self) -> set[str]:
        return {p for p, _ in self.confusions}

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (written whole to a temporary file, then renamed)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> ChannelModel:
        """Read a model written by :meth:`save`; :class:`OcrcleanError` if it is not one."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise OcrcleanError(f"{path}: no such model file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OcrcleanError(f"{path}: not a channel model ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT or "confusions" not in data:
            raise OcrcleanError(f"{path}: not an ocrclean channel model (format {MODEL_FORMAT})")
        try:
            model = cls(source=str(data.get("source", "")), pairs=int(data["pairs"]), chars=int(data["chars"]),
                        errors=int(data["errors"]), impossible_rate=float(data.get("impossible_rate", 0.0)))
            model.confusions = Counter({(str(p), str(s)): int(n) for p, s, n in data["confusions"]})
            model.printed = Counter({str(k): int(v) for k, v in data["printed"].items()})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise OcrcleanError(f"{path}: damaged channel model ({type(exc).__name__}: {exc})") from None
        model._reset_cache()
        return model


def blocks(printed: str, scanned: str) -> list[tuple[int, int, int, int]]:
    """Spans ``(p0, p1, s0, s1)`` where ``printed[p0:p1]`` was read as ``scanned[s0:s1]``:
    the Levenshtein edit operations between the two, adjacent ones merged into one block.

    Read from rapidfuzz's edit operations (one per character) rather than its opcodes (the same alignment,
    grouped into ranges, with the equal ones): the same blocks at less than half the cost."""
    out: list[tuple[int, int, int, int]] = []
    ops = cast("list[tuple[str, int, int]]", Levenshtein.editops(printed, scanned).as_list())
    for tag, p0, s0 in ops:
        p1 = p0 if tag == "insert" else p0 + 1
        s1 = s0 if tag == "delete" else s0 + 1
        if out and out[-1][1] == p0 and out[-1][3] == s0:
            out[-1] = (out[-1][0], p1, out[-1][2], s1)
        else:
            out.append((p0, p1, s0, s1))
    return out


#: Pseudo-count of printed occurrences added to a document's own count (smoothing of its rates), and the
#: share of a document's rate a confusion is given at least (the rest is left to the shipped model).
DOC_PSEUDO = 20
DOC_SHARE = 0.5
#: A document's rate is taken for a confusion only when at least this many different words show it: one
#: word corrected often (or wrongly) is no pattern of the scan.
DOC_MIN_WORDS = 3


def document_rates(pairs: Iterable[tuple[str, str]], counts: Mapping[str, int] | Counts,
                   intact: Iterable[tuple[str, int]] | IntactWords) -> dict[tuple[str, str], float]:
    """A document's own rate of each confusion its corrections show: how often the printed substring
    (0 or 1 character of context, as :meth:`ChannelModel.add_pair` counts) was read so, over how often it
    occurs in the words the document prints intact and in its corrected words, smoothed with
    :data:`DOC_PSEUDO`, times :data:`DOC_SHARE`; only confusions at least :data:`DOC_MIN_WORDS` different
    corrections show.

    ``pairs``: (scanned, printed) corrections; ``counts``: occurrences of each scanned form (lower case;
    1 when absent); ``intact``: (word, occurrences) of the words read right, or an :class:`IntactWords` that
    counts substrings in them (the same sums)."""
    seen: Counter[tuple[str, str]] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    printed_n: Counter[str] = Counter()
    corrected: list[tuple[str, int]] = []
    for scanned, printed in pairs:
        n = max(1, counts.get(scanned.lower(), 1))
        s, p = BOUNDARY[0] + scanned + BOUNDARY[1], BOUNDARY[0] + printed + BOUNDARY[1]
        corrected.append((p, n))
        for p0, p1, s0, s1 in blocks(p, s):
            for left in (0, 1):
                for right in (0, 1):
                    a, b, c, d = p0 - left, p1 + right, s0 - left, s1 + right
                    if a < 0 or b > len(p) or c < 0 or d > len(s) or b - a > MAX_SUB or a == b:
                        continue
                    seen[(p[a:b], s[c:d])] += n
                    kinds[(p[a:b], s[c:d])] += 1
    seen = Counter({key: n for key, n in seen.items() if kinds[key] >= DOC_MIN_WORDS})
    needed = {p for p, _ in seen}
    if isinstance(intact, IntactWords):
        printed_n.update(intact.substring_counts(needed))
        words = corrected
    else:
        words = [*corrected, *((BOUNDARY[0] + w + BOUNDARY[1], n) for w, n in intact)]
    if needed and not any("\n" in sub for sub in needed):
        # the words of each count joined by a line break (no substring holds one, so no occurrence spans two
        # words): one ``count`` per substring and count instead of one per substring and word
        by_count: dict[int, list[str]] = {}
        for word, n in words:
            by_count.setdefault(n, []).append(word)
        words = [("\n".join(group), n) for n, group in by_count.items()]
    for word, n in words:
        for sub in needed:
            k = word.count(sub)
            if k:
                printed_n[sub] += k * n
    return {key: DOC_SHARE * n / (printed_n[key[0]] + DOC_PSEUDO) for key, n in seen.items()}


def _joined(words: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The words (each between :data:`BOUNDARY` marks) of each count joined by a line break, with the count:
    one ``count`` per substring and count instead of one per substring and word."""
    by_count: dict[int, list[str]] = {}
    for word, n in words:
        by_count.setdefault(n, []).append(BOUNDARY[0] + word + BOUNDARY[1])
    return [("\n".join(group), n) for n, group in by_count.items()]


def _substring_counts(joined: list[tuple[str, int]], needed: Iterable[str]) -> dict[str, int]:
    """For each substring of ``needed``, its occurrences in the words of :func:`_joined` times the words'
    counts (a substring holding a line break occurs in no word)."""
    return {sub: sum(text.count(sub) * n for text, n in joined) if "\n" not in sub else 0 for sub in needed}


class IntactWords:
    """The words of a lexicon's corpus counts that :meth:`~pipeline.correction.corrector.Corrector.adapted`
    takes as read right (``read_right(word, dictionary)``, a module-level function: it keys what is kept), with
    their counts, as :func:`document_rates` needs them: the occurrences of substrings in them.

    A document's counts are a layer over its collection's (:class:`~pipeline.lexicon.Counts`). The
    collection's part is counted once per collection and substring and kept (:data:`_INTACT_LAYERS`, the last
    few); a document adds only the change of its own words. The sums are integers, so they equal a count over
    every word (``tests/test_corrector_speed.py``), but cost time in the document's size, not the collection's.
    """

    def __init__(self, counts: Mapping[str, int] | Counts, dictionary: Mapping[str, object],
                 read_right: Callable[[str, Mapping[str, object]], bool]) -> None:
        from pipeline.lexicon import Counts

        self.counts, self.dictionary, self.read_right = counts, dictionary, read_right
        #: the frozen layer counted once (with the layers under it), the words whose counts the layers above it
        #: change, and what is kept of it (see :func:`_kept_layer`); None: plain counts, counted whole
        self._root: tuple[Counts, list[str], _KeptLayer] | None = None
        if isinstance(counts, Counts):
            layers = counts.layers()
            root = max(layers, key=lambda layer: len(layer.delta))
            if root.frozen:
                changed: dict[str, None] = {}
                for layer in layers[:layers.index(root)]:
                    changed.update(dict.fromkeys(layer.delta))
                self._root = (root, list(changed), _kept_layer(root, dictionary, read_right))

    def _intact(self, word: str) -> bool:
        return self.read_right(word, self.dictionary)

    def substring_counts(self, needed: Iterable[str]) -> dict[str, int]:
        """For each substring, its occurrences in the intact words (between :data:`BOUNDARY` marks) times
        their counts."""
        needed = list(needed)
        if self._root is None:
            return _substring_counts(_joined((w, n) for w, n in self.counts.items() if self._intact(w)), needed)
        root, changed, kept = self._root
        totals = kept.totals
        missing = [sub for sub in needed if sub not in totals]
        if missing:
            if kept.joined is None:
                kept.joined = _joined((w, n) for w, n in root.items() if self._intact(w))
            totals.update(_substring_counts(kept.joined, missing))
        out = {sub: totals[sub] for sub in needed}
        for word in changed:
            if not self._intact(word):
                continue
            diff = (self.counts.get(word) or 0) - (root.get(word) or 0)
            if diff:
                marked = BOUNDARY[0] + word + BOUNDARY[1]
                for sub in needed:
                    out[sub] += marked.count(sub) * diff
        return out


@dataclass
class _KeptLayer:
    """What is kept of a frozen counts layer's intact words: the layer, dictionary and test of a word read right
    (to tell a reused id), the words joined by count (:func:`_joined`, made on first use) and the substring
    totals asked so far."""

    counts: object
    dictionary: object
    read_right: object
    joined: list[tuple[str, int]] | None = None
    totals: dict[str, int] = field(default_factory=dict)


#: :class:`_KeptLayer` of collections' counts layers, by layer, dictionary and test (the last few).
_INTACT_LAYERS: dict[tuple[int, int, int], _KeptLayer] = {}
MAX_INTACT_LAYERS = 4


def _kept_layer(root: Counts, dictionary: Mapping[str, object], read_right: object) -> _KeptLayer:
    """The :class:`_KeptLayer` of a frozen counts layer (made on first use, the last few kept)."""
    key = (id(root), id(dictionary), id(read_right))
    hit = _INTACT_LAYERS.get(key)
    if hit is None or hit.counts is not root or hit.dictionary is not dictionary or hit.read_right is not read_right:
        if len(_INTACT_LAYERS) >= MAX_INTACT_LAYERS:
            _INTACT_LAYERS.pop(next(iter(_INTACT_LAYERS)))
        hit = _INTACT_LAYERS[key] = _KeptLayer(root, dictionary, read_right)
    return hit
