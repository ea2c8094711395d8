"""Far candidates: vocabulary words reached from a token along many likely confusions at once.

The deletion index (:mod:`pipeline.correction.index`) finds words within two edits of a token,
which is where most misreadings lie. A badly scanned long word is often farther off, though
every one of its errors is a common one: ``licutouaiit`` is ``lieutenant`` with ``c``, ``o``,
``u`` and ``ii`` misread for ``e``, ``e``, ``n`` and ``n``. Such a word is found by walking the
token left to right and, at each position, either reading the next character as printed or
undoing one of the channel's likely confusions, keeping only printed prefixes that begin a
vocabulary word (a best-first search under a budget of log10 channel cost). This is the
candidate generation of Brill & Moore (2000) and OverProof (Evershed & Fitch 2014) over a
set of word beginnings instead of a trie: a prefix test is one set lookup.

Candidates come back unranked; the corrector prices them with the full channel model.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from pipeline.correction.cache import BoundedCache
from pipeline.correction.channel import BOUNDARY, SHAPE_CONFUSIONS, ChannelModel
from pipeline.correction.index import NOTHING

#: Confusions less likely than this (log10 per block) are not undone in the search, except the letter shapes
#: of the channel's prior.
SEARCH_LOGP = -2.5
#: Most log10 channel cost a far candidate may have in all.
BUDGET = 7.0
#: At most this many search states are expanded per token (bounds the time of any token).
MAX_STATES = 800
#: At most this many candidates are returned.
MAX_FOUND = 12
#: Far candidates of this many tokens are kept (a long collection meets the same misreadings again).
MEMO = 20_000
#: log10 cost of reading a character as printed (a right reading is likely but not certain).
KEEP_COST = 0.05
#: log10 cost of dropping a character that is no letter (``«``, ``*``) where no confusion explains it.
JUNK_COST = 1.5


class ConfusionSearch:
    """Far candidates of tokens over one vocabulary and one channel model (see the module docstring).

    ``words``: the vocabulary (lower case); ``channel``: whose confusions are undone."""

    def __init__(self, words: Iterable[str], channel: ChannelModel) -> None:
        self._set: AbstractSet[str] = frozenset(words)
        #: every beginning of a vocabulary word, the whole word included (a test that a printed prefix may
        #: still lead to a word is one set lookup)
        self._prefixes = frozenset(w[:i] for w in self._set for i in range(1, len(w) + 1))
        self._found: BoundedCache[str, frozenset[str]] = BoundedCache(MEMO)
        self.undo: dict[str, list[tuple[str, float]]] = {}
        best: dict[tuple[str, str], float] = {}
        shapes = {(p, s) for p, s in SHAPE_CONFUSIONS}
        for printed, scanned in [*channel.confusions, *SHAPE_CONFUSIONS]:
            p, s = printed.strip("".join(BOUNDARY)), scanned.strip("".join(BOUNDARY))
            if not s or p == s or not (p.isalpha() or p == ""):
                continue
            p = p.lower()  # the vocabulary is in small letters: ``Il`` read for ``B`` leads to ``b``
            cost = -channel.sub_logp(printed, scanned)
            # the letter shapes of the prior always, so a collection's rarer confusions are reachable
            if (-cost >= SEARCH_LOGP or (printed, scanned) in shapes) and cost < best.get((s, p), 99.0):
                best[(s, p)] = cost
        for (s, p), cost in best.items():
            self.undo.setdefault(s, []).append((p, cost))
        self.lengths = sorted({len(s) for s in self.undo})

    def candidates(self, token: str, budget: float = BUDGET) -> set[str]:
        """Vocabulary words whose reading as ``token`` costs at most ``budget`` (log10) along the
        likely confusions, the token's own lower-case form excluded; at most :data:`MAX_FOUND`,
        the cheapest first. Time is bounded by :data:`MAX_STATES` whatever the token; the answers for
        the last :data:`MEMO` tokens are kept."""
        key = f"{budget}\x00{token}"
        hit = self._found.get(key)
        if hit is None:
            hit = self._found[key] = frozenset(self._search(token, budget)) or NOTHING
        return set(hit)

    def _search(self, token: str, budget: float) -> set[str]:
        n = len(token)
        words, prefixes = self._set, self._prefixes
        own = token.lower()
        moves_at = self._moves(token)
        found: dict[str, float] = {}
        heap: list[tuple[float, int, str]] = [(0.0, 0, "")]
        seen: set[tuple[int, str]] = set()
        push, pop = heapq.heappush, heapq.heappop
        expanded = 0
        # the order states are expanded in is the heap's (cost, position, prefix) order, whatever order they
        # were pushed in; a state already expanded (at no greater cost) is not pushed again
        while heap and expanded < MAX_STATES and len(found) < MAX_FOUND:
            cost, pos, prefix = pop(heap)
            if (pos, prefix) in seen:
                continue
            seen.add((pos, prefix))
            expanded += 1
            if pos == n:
                if prefix in words and prefix != own:
                    found.setdefault(prefix, cost)
                continue
            for first, moves in moves_at[pos]:
                if first and prefix + first not in prefixes:
                    continue  # no word begins so, whatever follows
                for printed, size, c in moves:
                    total = cost + c
                    if total > budget:
                        break  # the moves of a group are cheapest first
                    nxt = prefix + printed
                    if len(printed) > 1 and nxt not in prefixes or (pos + size, nxt) in seen:
                        continue
                    push(heap, (total, pos + size, nxt))
        return set(found)

    def _moves(self, token: str) -> list[list[tuple[str, list[tuple[str, int, float]]]]]:
        """For each position of ``token``, the search's moves from it, grouped by the first printed character
        ("" for a move that prints nothing), each group cheapest first: (printed string, scanned characters
        consumed, log10 cost): the character read as printed (a character that is no letter dropped) and
        each likely confusion whose scanned side starts there undone."""
        n = len(token)
        undo, lengths = self.undo, self.lengths
        out: list[list[tuple[str, list[tuple[str, int, float]]]]] = []
        for pos, char in enumerate(token):
            groups: dict[str, list[tuple[str, int, float]]] = {}
            first = (char.lower(), 1, KEEP_COST) if char.isalpha() else ("", 1, JUNK_COST)
            groups[first[0][:1]] = [first]
            for size in lengths:
                if pos + size > n:
                    break
                for printed, c in undo.get(token[pos:pos + size], ()):
                    groups.setdefault(printed[:1], []).append((printed, size, c))
            for moves in groups.values():
                moves.sort(key=lambda move: move[2])
            out.append(list(groups.items()))
        return out
