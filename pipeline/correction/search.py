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

The search runs in two passes, as an iterative deepening: first along the likely confusions only
(:data:`SEARCH_LOGP`, :data:`BUDGET`), and, for a token that pass leaves without any candidate, once
more along rarer confusions too, with a larger budget (:data:`WIDE_SEARCH_LOGP`, :data:`WIDE_BUDGET`,
:data:`WIDE_MAX_STATES`): ``votdlcl`` is ``verdict`` misread at four places (``e``, ``r``, ``i``, ``t``
read as ``o``, ``t``, ``l``, ``l``), which no likely-confusions pass reaches. On the OverProof SMH
development articles the second pass raised the CER cut from 27.8% to 28.6% at about a fifth more
CPU time (47.6 -> 56.8 s); it runs for the third of the tokens the first pass finds nothing for.

Candidates come back unranked; the corrector prices them with the full channel model.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from pipeline.correction.cache import BoundedCache
from pipeline.correction.channel import BOUNDARY, SHAPE_CONFUSIONS, ChannelModel
from pipeline.correction.index import NOTHING

#: Confusions less likely than this (log10 per block) are not undone in the first pass, except the letter
#: shapes of the channel's prior.
SEARCH_LOGP = -2.5
#: Most log10 channel cost a far candidate of the first pass may have in all.
BUDGET = 7.0
#: At most this many search states are expanded per token in the first pass (bounds the time of any token).
MAX_STATES = 800
#: The second pass, for a token the first leaves without candidates: confusions down to this likelihood
#: (log10 per block) are undone, ...
WIDE_SEARCH_LOGP = -3.5
#: ... with this budget (log10 channel cost in all) ...
WIDE_BUDGET = 10.0
#: ... and at most this many states expanded.
WIDE_MAX_STATES = 3000
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
        self._found: BoundedCache[tuple[str, bool], frozenset[str]] = BoundedCache(MEMO)
        #: scanned string -> [(printed string, log10 cost)]: the confusions the first pass undoes
        self.undo: dict[str, list[tuple[str, float]]] = {}
        #: the same, for the confusions only the second pass undoes (likelier than :data:`WIDE_SEARCH_LOGP`)
        self.wider: dict[str, list[tuple[str, float]]] = {}
        best: dict[tuple[str, str], float] = {}
        shapes = {(p, s) for p, s in SHAPE_CONFUSIONS}
        shaped: set[tuple[str, str]] = set()  # (scanned, printed) of the letter shapes, as undone
        for printed, scanned in [*channel.confusions, *SHAPE_CONFUSIONS]:
            p, s = printed.strip("".join(BOUNDARY)), scanned.strip("".join(BOUNDARY))
            if not s or p == s or not (p.isalpha() or p == ""):
                continue
            p = p.lower()  # the vocabulary is in small letters: ``Il`` read for ``B`` leads to ``b``
            cost = -channel.sub_logp(printed, scanned)
            # the letter shapes of the prior always, so a collection's rarer confusions are reachable
            if (printed, scanned) in shapes:
                shaped.add((s, p))
            if (-cost >= WIDE_SEARCH_LOGP or (s, p) in shaped) and cost < best.get((s, p), 99.0):
                best[(s, p)] = cost
        for (s, p), cost in best.items():
            first_pass = -cost >= SEARCH_LOGP or (s, p) in shaped
            (self.undo if first_pass else self.wider).setdefault(s, []).append((p, cost))
        self.lengths = sorted({len(s) for s in [*self.undo, *self.wider]})

    def candidates(self, token: str, thorough: bool = False) -> set[str]:
        """Vocabulary words whose reading as ``token`` costs at most :data:`BUDGET` (log10) along the likely
        confusions or, where there are none, at most :data:`WIDE_BUDGET` along rarer ones too (see the module
        docstring); with ``thorough``, the second pass's words are added to the first's in any case (for a token
        that is certainly misread, ``«hieb``: the cheap words the first pass finds, ``chief``, need not be the
        right one, ``which``). The token's own lower-case form is excluded; at most :data:`MAX_FOUND` per
        pass, the cheapest first. Time is bounded by :data:`MAX_STATES` and :data:`WIDE_MAX_STATES` whatever the
        token; the answers for the last :data:`MEMO` tokens are kept."""
        hit = self._found.get((token, thorough))
        if hit is None:
            found = self._search(token, BUDGET)
            if thorough or not found:
                found |= self._search(token, WIDE_BUDGET, wide=True)
            hit = self._found[token, thorough] = frozenset(found) or NOTHING
        return set(hit)

    def _search(self, token: str, budget: float, wide: bool = False) -> set[str]:
        """One pass of the search (see :meth:`candidates`): the first, or with ``wide`` the second."""
        n = len(token)
        words, prefixes = self._set, self._prefixes
        own = token.lower()
        moves_at = self._moves(token, wide)
        most = WIDE_MAX_STATES if wide else MAX_STATES
        found: dict[str, float] = {}
        heap: list[tuple[float, int, str]] = [(0.0, 0, "")]
        seen: set[tuple[int, str]] = set()
        push, pop = heapq.heappush, heapq.heappop
        expanded = 0
        # the order states are expanded in is the heap's (cost, position, prefix) order, whatever order they
        # were pushed in; a state already expanded (at no greater cost) is not pushed again
        while heap and expanded < most and len(found) < MAX_FOUND:
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

    def _moves(self, token: str, wide: bool = False) -> list[list[tuple[str, list[tuple[str, int, float]]]]]:
        """For each position of ``token``, the search's moves from it, grouped by the first printed character
        ("" for a move that prints nothing), each group cheapest first: (printed string, scanned characters
        consumed, log10 cost): the character read as printed (a character that is no letter dropped) and
        each likely confusion whose scanned side starts there undone (with ``wide``, the rarer ones too)."""
        n = len(token)
        undo, lengths = self.undo, self.lengths
        wider = self.wider if wide else {}
        out: list[list[tuple[str, list[tuple[str, int, float]]]]] = []
        for pos, char in enumerate(token):
            groups: dict[str, list[tuple[str, int, float]]] = {}
            first = (char.lower(), 1, KEEP_COST) if char.isalpha() else ("", 1, JUNK_COST)
            groups[first[0][:1]] = [first]
            for size in lengths:
                if pos + size > n:
                    break
                scanned = token[pos:pos + size]
                for printed, c in [*undo.get(scanned, ()), *wider.get(scanned, ())]:
                    groups.setdefault(printed[:1], []).append((printed, size, c))
            for moves in groups.values():
                moves.sort(key=lambda move: move[2])
            out.append(list(groups.items()))
        return out
