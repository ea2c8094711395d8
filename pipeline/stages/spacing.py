"""Stage 4, spacing: split words rejoined, glued words split, decided over whole runs.

Why a dynamic programme: a single wrong space is easy, but OCR output such as
``V la d ivosto k`` or ``landingtroop s`` needs a decision over several pieces at
once. Within a run of letter tokens the stage chooses the segmentation with the
lowest cost: each word costs -log10 of its probability (curated lexicon, broad
frequency list, corpus-induced counts; see :meth:`Lexicon.cost`), removing a
printed space costs ``REMOVE`` and inserting one costs ``INSERT``. A run of real
words that English pairs (symspellpy's bigram list) opens no window, so correct
text passes unchanged.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

import regex

from pipeline.context import Context
from pipeline.document import Document, Proposal
from pipeline.english import SHORT_WORDS
from pipeline.foreign import foreign_phrases, held, outside
from pipeline.lexicon import Lexicon, mixed_case
from pipeline.stages.characters import HELD_FOREIGN, PRONOUN_PMI, early_modern_spelling, english_logp
from pipeline.stages.punctuation import ABBREVIATIONS

STAGE = "spacing"

#: Cost of removing a printed space (log10 units): merging needs real evidence.
REMOVE = 1.0
#: Cost of inserting a space inside a token; lower at a lower-to-upper case change.
INSERT = 5.0
INSERT_CAMEL = 0.5
#: Removing a space between two real words needs much more evidence.
REMOVE_WORDS = 3.0
#: A lone letter other than a word (``a``, ``I``) is almost never right in running text.
SINGLE_LETTER = 12.0
#: How much rarer (zipf) than the word beside it a word made by joining a lone letter to it may be
#: (:func:`_mergeable`): a thousand times. ``t he`` -> ``the`` (1.0 commoner), ``s on`` -> ``son`` (1.6 rarer),
#: ``k it`` -> ``kit`` (2.5 rarer); not ``y on`` (``yon``, 4.0 rarer), ``m is`` (3.5).
LETTER_MERGE_MARGIN = 3.0
#: Extra cost of a derived form (base word + common suffix) that no lexicon lists.
MORPH = 2.0
INF = float("inf")
#: A pair of words the bigram list never shows, whose concatenation is at least this
#: common (zipf), is worth a segmentation window (``Mari time``, ``foll owing``).
PAIR_MIN_ZIPF = 3.0
#: Two words both at least this common are a pair, bigram list or not (``hand led``, ``war craft``).
COMMON_ZIPF = 4.0
MAX_WORD = 30
#: Shortest token that may be split into two words: shorter unknown tokens are far
#: more often old or rare spellings (``theeves``, ``forbeare``) than two glued words.
MIN_GLUED = 10
#: Each word a split leaves must be at least this common (zipf): rare words glued
#: together are more often one old spelling than two words.
SPLIT_MIN_ZIPF = 3.0
SUFFIXES = ("s", "es", "n", "an", "ian", "ite", "ites", "ist", "ists", "ism", "ed", "er", "ers", "ly", "sk",
            "ours", "our", "eth", "est", "nesse", "ness", "full", "able", "ment", "ing", "ive", "ives",
            "ion", "ions", "ity", "ous", "ical", "ally")
WINDOW = 2
#: The endings of :data:`SUFFIXES` that inflect any word (number, tense, comparison, manner); the others derive
#: new words and are taken without a list's word only after a name (``Gamovites``).
INFLECTIONS = frozenset("s es ed er ers est ing ly".split())

TOKEN = regex.compile(r"\S+")
HYPHENATED = regex.compile(r"\p{L}+-\p{L}+")
CORE = regex.compile(r"^([^\p{L}]*)(\p{L}(?:[\p{L}'’-]*\p{L})?)([^\p{L}]*)$")


@dataclass
class Token:
    start: int
    end: int
    prefix: str
    core: str
    suffix: str

    @property
    def core_start(self) -> int:
        return self.start + len(self.prefix)


def tokenize(text: str) -> list[Token | None]:
    """Whitespace tokens; ``None`` for tokens that are not letters with edge punctuation."""
    out: list[Token | None] = []
    for m in TOKEN.finditer(text):
        c = CORE.match(m.group())
        if c is None:
            out.append(None)
        else:
            out.append(Token(m.start(), m.end(), c.group(1), c.group(2), c.group(3)))
    return out


#: A short word with a full stop before a number, a small letter or a comma is an abbreviation
#: (``see p. 12``, ``fig. 4``, ``vol. iii``, ``cf. the``), never a remnant of the word before it.
ABBREVIATION_STOP = regex.compile(r"\.\s*[\p{Ll}\d,;:(]")
ABBREVIATION_LEN = 4
#: The abbreviations of references (page, figure, volume, chapter, note, line, column, part, book, section),
#: besides those :data:`pipeline.stages.punctuation.ABBREVIATIONS` lists; a fragment (``A ug. 4``) is none.
REFERENCE_ABBREVIATIONS = frozenset("p pp ch chs fig figs vol vols no nos n nn l ll f ff cf ed eds sec art par para "
                                    "col cols ser pt pts bk bks ms mss fol fols op cit loc ibid".split())


def fixed(tok: Token, text: str) -> bool:
    """A token whose letters are no loose piece of a word: letters glued to a digit (``1t``, ``gr8``:
    the characters stage reads those whole) or a known abbreviation or a small letter with its full stop
    before a number, a small letter or a comma (``p.`` in ``see p. 12``)."""
    if tok.prefix[-1:].isdigit() or tok.suffix[:1].isdigit():
        return True
    return (len(tok.core) <= ABBREVIATION_LEN and tok.suffix[:1] == "."
            and (tok.core.lower() in REFERENCE_ABBREVIATIONS or tok.core.lower() in ABBREVIATIONS
                 or (len(tok.core) == 1 and tok.core.islower()))
            and bool(ABBREVIATION_STOP.match(text, tok.end - len(tok.suffix))))


def chains(tokens: list[Token | None], text: str) -> list[list[Token]]:
    """Runs of tokens that may merge: nothing but one space between letter cores (see :func:`fixed`
    for tokens that never merge)."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for tok in tokens:
        if tok is None or fixed(tok, text):
            if cur:
                runs.append(cur)
            cur = []
            continue
        if cur and (cur[-1].suffix or tok.prefix or text[cur[-1].end:tok.start] != " "
                    or (cur[-1].prefix.endswith(("'", "’")) and cur[-1].core == "s")):  # ``Kolchak 's ty``
            runs.append(cur)
            cur = []
        cur.append(tok)
    if cur:
        runs.append(cur)
    return runs


def run(doc: Document, ctx: Context) -> None:
    """Propose merges and splits paragraph by paragraph, none inside a phrase of another language
    (:func:`pipeline.foreign.foreign_phrases`: ``Il y a`` is no split ``Ily``)."""
    lex = ctx.lexicon_for(doc)
    text = doc.text
    phrases = foreign_phrases(text, english_logp(ctx.corrector_for(doc)))
    proposals = propose(text, lex)
    ctx.hold(doc, STAGE, held(phrases, proposals), HELD_FOREIGN)
    ctx.commit(doc, STAGE, outside(phrases, proposals))


def propose(text: str, lex: Lexicon) -> list[Proposal]:
    """All spacing proposals for a text (paragraph structure is left intact)."""
    tokens = tokenize(text)
    proposals: list[Proposal] = []
    cache: dict[str, float] = {}
    hyphenated = Counter(m.group().lower() for m in HYPHENATED.finditer(text))
    for chain in chains(tokens, text):
        suspicious = [k for k, t in enumerate(chain) if _suspicious(chain, k, lex)]
        if not suspicious:
            continue
        for lo, hi in _windows(suspicious, len(chain)):
            proposals.extend(_segment(chain[lo:hi], lex, cache, hyphenated))
    # a text in an old spelling runs some words together on purpose (``withall``, ``tryall``)
    modern = not early_modern_spelling(text, lex)
    touched = bytearray(len(text))  # 1 where a segmentation proposal already covers the text
    for p in proposals:
        touched[p.start:p.end] = b"\x01" * (p.end - p.start)
    for k, tok in enumerate(tokens):
        if tok is None or fixed(tok, text) or touched.find(1, tok.start, tok.end) != -1:
            continue
        prev = tokens[k - 1] if k > 0 and not tok.prefix else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) and not tok.suffix else None
        glued = _glued_small_words(tok.core, lex) if modern else None
        fix = _glued_function_word(tok.core, lex) or glued or _split_in_context(
            tok.core, prev.core if prev is not None and not prev.suffix else "",
            nxt.core if nxt is not None and not nxt.prefix else "", lex)
        if fix is not None:
            proposals.append(Proposal(tok.core_start, tok.core_start + len(tok.core), fix[0], fix[1], fix[2]))
    return proposals




#: English function words (the closed classes: articles, pronouns, prepositions, conjunctions,
#: auxiliaries). A glued token that leaves one of them is two words run together; two content
#: words side by side may as well be a closed compound (``saddlemaker``, ``floorcloth``).
FUNCTION_WORDS = frozenset("""a an the this that these those some any no every each all both either neither
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs who whom
whose which what one myself yourself himself herself itself oneself ourselves yourselves themselves
of in on at by to for from with without into onto upon over under about above below after before toward towards
between through during against among within along across behind beyond near off out up down till until
and or but nor so yet if than as because while when where whether though although unless since
be am is are was were been being have has had having do does did shall should will would may might
must can could not""".split())
#: Function words that follow a name as a clause goes on (conjunctions, prepositions, the past
#: auxiliaries): the ones :func:`_glued_function_word` splits off an unknown name.
NAME_FOLLOWERS = frozenset("and but nor for from with into upon was had".split())
#: A word split by its context (:func:`_split_in_context`) is at most this common (zipf).
CONTEXT_WORD_ZIPF = 4.0
#: A function word is not closed up with a following content word at least this common (zipf).
FUNCTION_PAIR_ZIPF = 3.5
#: Fewest words of the broad list that end in the last letters of a name before a glued function
#: word (``Ostrogorsky|and``: ``-yand``) for that ending to count as ordinary English (``-land``).
COMMON_ENDING = 20
#: How much likelier (log10) a split of a real word must make its context (``to goon with``).
CONTEXT_MARGIN = 1.5
#: Both words of such a split must be at least this common (zipf).
CONTEXT_PIECE_ZIPF = 5.5


def _endings(n: int) -> Counter[str]:
    """How many words of the broad list (zipf >= 1) end in each sequence of ``n`` letters."""
    if n not in _ENDINGS:  # counted once per process (setdefault would count on every call)
        _ENDINGS[n] = _count_endings(n)
    return _ENDINGS[n]


_ENDINGS: dict[int, Counter[str]] = {}


def _count_endings(n: int) -> Counter[str]:
    from pipeline.lexicon import get_lexicon

    freqs = get_lexicon()._freqs
    return Counter(w[-n:] for w, f in freqs.items() if len(w) > n and f >= 1e-8 and w.isalpha())


def _glued_function_word(core: str, lex: Lexicon) -> tuple[str, str, float] | None:
    """A name no source knows with a function word glued to its end (``Ostrogorskyand``): split
    when the letters at the join end few English words (``-yand``, unlike ``-land``)."""
    if (len(core) < 8 or not core[0].isupper() or not core[1:].islower() or lex.zipf(core) > 0
            or lex.is_word(core) or lex.corpus_count(core) >= 2 or _morph_base(core, lex) is not None):
        return None
    low = core.lower()
    for f in sorted(NAME_FOLLOWERS, key=len, reverse=True):
        head = core[:-len(f)]
        if (len(f) < 3 or not low.endswith(f) or len(head) < 5 or lex.zipf(head) > 0
                or lex.is_word(head)):
            continue
        join = low[-len(f) - 2:]
        if _endings(len(join))[join] < COMMON_ENDING:
            return f"{head} {core[-len(f):]}", "split-glued-word", 0.8
    return None


#: The other word of a function word run together with it (:func:`_glued_small_words`) is at least this common
#: (zipf), unless it is a function word too.
GLUED_PART_ZIPF = 3.5


def _glued_small_words(core: str, lex: Lexicon) -> tuple[str, str, float] | None:
    """A token in small letters that no dictionary holds (the broad list may, rarely: web text runs ``inthe``
    together), made of a function word of two letters or more and another
    word run together (``tosee``, ``sonof``, ``sincethe``): two words whose space the scan lost. The other word is a
    function word too or a common dictionary word of three letters or more; where several cuts qualify, the one
    whose rarer word is commonest; the bigram source must know the pair. A garble of one word (``tbe``) or an old
    spelling (``heare``, ``doore``) has no such cut, and a token one letter from a common word is that word
    misread (``prisonor``, ``beon``)."""
    if (not 4 <= len(core) <= MAX_WORD or not core.isalpha() or not core.islower() or core in lex.dictionary
            or core in lex.extra
            or lex.zipf(core) >= GLUED_PART_ZIPF or lex.corpus_count(core) >= 2):
        return None
    if _one_edit_from_word(core, lex):
        return None  # a misread word (``prisonor``, ``beon``), not two words run together
    best: tuple[float, str] | None = None
    for k in range(2, len(core) - 1):
        a, b = core[:k], core[k:]
        if not (a in FUNCTION_WORDS or b in FUNCTION_WORDS):
            continue
        if not all(w in FUNCTION_WORDS or (len(w) >= 3 and w in lex.dictionary and lex.zipf(w) >= GLUED_PART_ZIPF)
                   for w in (a, b)):
            continue
        if not lex.bigram(a, b):
            continue  # English must pair them (``to see``, ``son of``; not ``he are``, ``do ore``)
        score = min(lex.zipf(a), lex.zipf(b))
        if best is None or score > best[0]:
            best = (score, f"{a} {b}")
    return (best[1], "split-glued-word", 0.8) if best else None


LOWER = "abcdefghijklmnopqrstuvwxyz"


def _one_edit_from_word(core: str, lex: Lexicon) -> bool:
    """Whether a dictionary word of zipf :data:`GLUED_PART_ZIPF` or more is one letter deleted, inserted or
    replaced away from ``core`` (small letters)."""
    forms = {core[:i] + core[i + 1:] for i in range(len(core))}
    forms |= {core[:i] + c + core[i + 1:] for i in range(len(core)) for c in LOWER}
    forms |= {core[:i] + c + core[i:] for i in range(len(core) + 1) for c in LOWER}
    forms.discard(core)
    return any(f in lex.dictionary and lex.zipf(f) >= GLUED_PART_ZIPF for f in forms)


def _split_in_context(core: str, left: str, right: str, lex: Lexicon) -> tuple[str, str, float] | None:
    """A rare real word that is two very common words run together (``to goon with``): split
    when English pairs each piece with its neighbour and with each other, never pairs the word
    with either neighbour, and the word model makes the context much likelier split."""
    if (not (left and right) or len(core) > 6 or not core.islower() or not lex.is_word(core)
            or lex.zipf(core) > CONTEXT_WORD_ZIPF):
        return None
    if lex.bigram(left, core) or lex.bigram(core, right):
        return None
    from pipeline.correction.wordmodel import WordModel

    model = lex.memo.setdefault("wordmodel", {})
    wm = model.get("m")
    if not isinstance(wm, WordModel):
        wm = model["m"] = WordModel(lex)
    keep = wm.pair(left, core) + wm.pair(core, right)
    for k in range(1, len(core)):
        a, b = core[:k], core[k:]
        if min(lex.zipf(a), lex.zipf(b)) < CONTEXT_PIECE_ZIPF or lex.zipf(core) >= min(lex.zipf(a), lex.zipf(b)):
            continue
        if not (lex.bigram(left, a) and lex.bigram(a, b) and lex.bigram(b, right)):
            continue
        split = wm.pair(left, a) + wm.pair(a, b) + wm.pair(b, right)
        if split - keep >= CONTEXT_MARGIN:
            return f"{a} {b}", "split-glued-word", min(0.95, 0.5 + (split - keep) / 8)
    return None


APOSTROPHE = regex.compile(r"['’]")


def is_real(core: str, lex: Lexicon) -> bool:
    """A token that stands as a word of its own (not a fragment or a lone letter)."""
    base = APOSTROPHE.split(core)[0]
    if base != core:
        return bool(base) and is_real(base, lex)  # ``it's`` and ``Kolchak's`` are; ``t's`` is not
    if len(core) <= 2:
        return len(core) == 2 and core.lower() in SHORT_WORDS
    return lex.attested(core)


def _suspicious(chain: list[Token], k: int, lex: Lexicon) -> bool:
    """A token worth a segmentation window: a fragment or an unattested word, or one half of a
    pair of words that English never writes side by side but that make one word (``a gents``,
    ``Mari time``)."""
    core = chain[k].core
    for j in (k - 1, k):  # two words that English never pairs but that make one word
        if 0 <= j and j + 1 < len(chain):
            a, b = chain[j].core, chain[j + 1].core
            if (not b[0].isupper() and not lex.bigram(a, b) and lex.zipf(a + b) >= PAIR_MIN_ZIPF
                    and min(lex.zipf(a), lex.zipf(b)) < COMMON_ZIPF):
                return True
    if len(core) <= 2:
        return core.lower() not in SHORT_WORDS and core not in ("I", "A", "O")
    return not lex.attested(core)


def _mergeable(w: str, pieces: list[str], real: list[bool], lex: Lexicon) -> bool:
    """Whether pieces may be merged into ``w``.

    A real word is only absorbed into a common word or one the corpus shows
    (``Dar in`` stays, ``again st`` merges); pieces that are all fragments, a real
    word plus a detached suffix (``bid ing``), or a real word beside junk no source
    knows may form any word the lexicons know (``r oadst ead`` -> ``roadstead``).
    """
    base = _morph_base(w, lex)
    # a derived form no list holds: an inflection of a word (``bid ing``), or a name's derivation (``Gamov ites``);
    # not a word with a derivational ending no list confirms (``foi lites`` is no ``foil-ites``)
    morph = base is not None and (base[0].isupper() or w[len(base):].lower() in INFLECTIONS)
    if any("-" in p.strip("-") and lex.attested(p.replace("-", "")) for p in pieces[1:]):
        return False  # nothing is glued before a compound that is a word (``The e-mail`` is no ``Thee-mail``)
    if any(len(p) == 1 and p.isupper() and q[:1].isupper() and (len(q) == 1 or not q.isupper())
           for p, q in zip(pieces, pieces[1:])):
        return False  # an initial before an initial or a name (``H E Fulton``, ``T Amo``), not a split word
    if any(p in PRONOUN_READINGS and _pronoun_before(q) for p, q in zip(pieces, pieces[1:])):
        return False  # ``l am``: the pronoun ``I`` misread before a word it pairs with, not a split word
    if len(w) == 2:
        return lex.zipf(w) >= 5.0 or w.lower() in SHORT_WORDS  # ``M r.`` -> ``Mr.``
    junk = [not r and (len(p) == 1 or lex.zipf(p) == 0) for r, p in zip(real, pieces)]
    if (any(len(p) == 1 and p.lower() in SHORT_WORDS for p in pieces) and not _listed(w, lex)
            and not (any(j and len(p) > 1 for j, p in zip(junk, pieces))
                     and not any(len(p) == 1 and p.isupper() for p in pieces))):
        # a one-letter word (``a``, ``I``) is absorbed only into a listed word (``a gents``) or
        # into a piece no source knows (``a rmored``), not beside a word (``aa a`` is no ``aaa``)
        return False
    if len(pieces) == 2 and any(len(p) == 1 and p.lower() in SHORT_WORDS for p in pieces) and any(
            not r and len(p) > 1 and lex.zipf(p) > lex.zipf(w) for r, p in zip(real, pieces)):
        # ...and, of two pieces, into a word commoner than an abbreviation or a garble beside it that some source
        # prints (``a lb``, ``bo a``, ``a ne`` are no ``alb``, ``boa``, ``ane``); beside a word (``a long``) the
        # segmentation's costs and context decide
        return False
    if any(r and len(p) > 1 for r, p in zip(real, pieces)) and any(
            not r and len(p) == 1 and not (p.isupper() and k + 1 < len(pieces) and pieces[k + 1][0].islower()
                                           and not real[k + 1])
            for k, (r, p) in enumerate(zip(real, pieces))):
        # a word beside a stray letter: the letter is noise unless word and letter make a word
        # the lexicons know outright (``troop s``), not a derived or rare form (``severe n``), and one nearly as
        # common as the word, when they are all: ``t he``, ``w as``, ``s tore`` are split words, ``y on``, ``m is`` a
        # letter named before a word (``plot x against y on the graph``), not ``yon``, ``mis``
        return lex.attested(w) and (len(pieces) > 2 or lex.zipf(w) >= max(lex.zipf(p) for p in pieces if len(p) > 1)
                                    - LETTER_MERGE_MARGIN)
    if _name_remnant(pieces, real, lex):
        return True
    fragments_only = not any(real) or (not all(real) and all(
        r or p.lower() in SUFFIXES for r, p in zip(real, pieces)))
    if fragments_only or any(junk):
        # fragments, a word plus its detached suffix, or a word beside pieces no source
        # knows (``ant ipath y`` -> ``antipathy``)
        return lex.is_word(w) or lex.attested(w) or morph or (not any(real) and any(junk) and lex.zipf(w) > 0)
    if not lex.attested(w) and not morph:
        return False
    return lex.zipf(w) >= 3.0 or lex.corpus_count(w) >= 2


#: What the scan reads for the pronoun ``I``: a small ``l``, a digit ``1``, a bar.
PRONOUN_READINGS = frozenset("l1|")


def _pronoun_before(word: str) -> bool:
    """Whether English pairs the pronoun ``I`` with ``word`` after it (``am``, ``went``) at least as strongly as
    the characters stage asks before it reads a lone ``l`` as ``I`` (:data:`pipeline.stages.characters.PRONOUN_PMI`)."""
    from pipeline.correction.wordmodel import association

    pmi = association("i", word.lower())
    return pmi is not None and pmi >= PRONOUN_PMI


def _listed(w: str, lex: Lexicon) -> bool:
    """In the curated dictionary or a user list, or seen intact in the corpus (not merely web-frequent)."""
    low = w.lower()
    return low in lex.dictionary or low in lex.extra or lex.corpus_count(w) >= 2


def _name_remnant(pieces: list[str], real: list[bool], lex: Lexicon) -> bool:
    """A capital letter split from the rest of its name (``R ostovtsev``): one upper-case letter
    that is no word, then a lower-case remnant of four letters or more that no source knows."""
    if len(pieces) != 2 or any(real):
        return False
    head, rest = pieces
    return (len(head) == 1 and head.isupper() and len(rest) >= 4 and rest.islower()
            and lex.zipf(rest) == 0 and not lex.is_word(rest)
            and _beginnings()[(head + rest[:2]).lower()] >= COMMON_ENDING)  # ``Ros-``, not ``Jll-``


def _beginnings() -> Counter[str]:
    """How many words of the broad list (zipf >= 1) begin with each sequence of three letters."""
    if -3 not in _ENDINGS:  # counted once per process (setdefault would count on every call)
        _ENDINGS[-3] = _count_beginnings()
    return _ENDINGS[-3]


def _count_beginnings() -> Counter[str]:
    from pipeline.lexicon import get_lexicon

    freqs = get_lexicon()._freqs
    return Counter(w[:3] for w, f in freqs.items() if len(w) > 3 and f >= 1e-8 and w.isalpha())


def _windows(marks: list[int], n: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for k in marks:
        lo, hi = max(0, k - WINDOW), min(n, k + WINDOW + 1)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
        else:
            spans.append((lo, hi))
    return spans


def _segment(toks: list[Token], lex: Lexicon, cache: dict[str, float],
             hyphenated: dict[str, int]) -> list[Proposal]:
    """Best segmentation of a window of tokens; proposals for the groups that change."""
    s = "".join(t.core for t in toks)
    bounds: list[int] = []  # offsets in s where an original space stood
    offs: list[int] = []  # offset in s where each token's core starts
    pos = 0
    for t in toks:
        offs.append(pos)
        pos += len(t.core)
        bounds.append(pos)
    bounds.pop()
    bset = set(bounds)
    cuts = {0, len(s)} | bset
    for t, o in zip(toks, offs):
        if not lex.is_word(t.core) and _morph_base(t.core, lex) is None and not _prefixed(t.core, lex):
            if len(t.core) >= MIN_GLUED:
                cuts.update(range(o + 3, o + len(t.core) - 2))
            cuts.update(o + k for k in range(1, len(t.core)) if t.core[k - 1].islower() and t.core[k].isupper())
    order = sorted(cuts)

    core_of = {}  # s offset -> index of the token whose core starts there
    for k, o in enumerate(offs):
        core_of[o] = k
    real = [is_real(t.core, lex) for t in toks]

    def word_cost(i: int, j: int) -> float:
        """Cost of s[i:j] as one word, or infinity where the rules forbid it."""
        w = s[i:j]
        split = (i not in core_of) or (j not in bset and j != len(s))
        if split and not (len(w) >= 2 and lex.attested(w)
                          and (lex.zipf(w) >= SPLIT_MIN_ZIPF or lex.corpus_count(w) >= 2)):
            return INF  # a space is only inserted where it leaves common dictionary words
        c = cache.get(w)
        if c is None:
            c = lex.cost(w)
            if len(w) == 1 and not lex.is_word(w):
                c = max(c, SINGLE_LETTER)
            elif not lex.is_word(w):
                base = _morph_base(w, lex)
                if base is not None:
                    c = min(c, lex.cost(base) + MORPH)
            if mixed_case(w):
                c += 3.0  # camel case inside one word is an OCR join, not a word
            cache[w] = c
        inner = bounds[bisect_right(bounds, i):bisect_left(bounds, j)]
        if not inner:
            return c
        extra = 0.0
        first = core_of.get(i)
        ks = [core_of[b] for b in inner]
        if first is None:
            first = ks[0] - 1
        members = [first, *ks]
        for left, right in zip(members, members[1:]):
            lt, rt = toks[left].core, toks[right].core
            if rt[0].isupper() and (len(lt) > 1 and not lt.isupper() or lt[-1].islower()):
                return INF  # two capitalised words are two names; ``t It`` is no ``tIt``
            if lt.endswith(("'s", "’s")):
                return INF  # a possessive ends its word
            if lt == "I" and rt.islower() and real[right]:
                return INF  # ``I ran``: the pronoun before a word is a phrase, not ``Iran``
            if (len(members) == 2 and real[left] and real[right] and lt.lower() in FUNCTION_WORDS
                    and _content(rt, lex) and lex.zipf(rt) >= FUNCTION_PAIR_ZIPF):
                # ``in deed``, ``a head``: a function word before a real word is a phrase (but a word
                # broken in more pieces, ``in tell igen ce``, is one word)
                return INF
            if real[left] and real[right] and (lex.bigram(lt, rt)
                                               or min(lex.zipf(lt), lex.zipf(rt)) >= COMMON_ZIPF):
                extra += REMOVE_WORDS  # a normal English word pair, or two common words
            else:
                extra += REMOVE
        if not _mergeable(w, [toks[m].core for m in members], [real[m] for m in members], lex):
            return INF
        return c + extra

    def cut_cost(j: int) -> float:
        if j in bset or j == len(s) or j == 0:
            return 0.0
        return INSERT_CAMEL if s[j - 1].islower() and s[j].isupper() else INSERT

    best: dict[int, tuple[float, int]] = {0: (0.0, -1)}
    for n, j in enumerate(order[1:], 1):
        cands = []
        # only cuts at most MAX_WORD back: the search is linear in the length of the window
        for i in order[bisect_left(order, j - MAX_WORD, 0, n):n]:
            if i not in best:
                continue
            cost = word_cost(i, j)
            if cost < INF:
                cands.append((best[i][0] + cost + cut_cost(j), i))
        if cands:
            best[j] = min(cands)
    if len(s) not in best:
        return []
    chosen: list[int] = []
    j = len(s)
    while j > 0:
        chosen.append(j)
        j = best[j][1]
    chosen_set = set(chosen[1:])  # interior cuts
    if chosen_set == bset:
        return []
    original = sum(word_cost(a, b) for a, b in zip([0, *bounds], [*bounds, len(s)]))
    margin = original - best[len(s)][0]
    confidence = min(0.99, 0.5 + margin / 8)
    return _groups(toks, offs, s, bset, chosen_set, confidence, hyphenated, lex)


SUFFIX_SET = frozenset(SUFFIXES)
#: Prefixes English writes solid with the word they modify: a split never leaves one alone.
WORD_PREFIXES = frozenset("""non anti pre post counter semi pseudo inter trans sub super over under re un
co de dis mis multi neo out pro self ultra""".split())
SUFFIX_LENGTHS = tuple(sorted({len(x) for x in SUFFIXES}))


def _content(w: str, lex: Lexicon) -> bool:
    """A dictionary word of an open class (not a function word)."""
    return w.lower() in lex.dictionary and w.lower() not in FUNCTION_WORDS


def _closed_compound(pieces: list[str], lex: Lexicon) -> bool:
    """A token that splits only into content words English does not pair (``hedgecutter``,
    ``Waterwitch``): as likely a closed compound or a name as two glued words, so left whole."""
    if any(lex.corpus_count(p) >= 2 and lex.zipf(p) < COMMON_ZIPF for p in pieces):
        return False  # a rare word the text prints on its own (``Frunze``) is a word here
    return len(pieces) > 1 and all(
        _content(a, lex) and _content(b, lex) and not lex.bigram(a, b) and not lex.corpus_pair(a, b)
        and not _adverb_in_ly(a) for a, b in zip(pieces, pieces[1:]))


def _adverb_in_ly(word: str) -> bool:
    """An adverb in ``-ly`` (``slowly``, ``easily``): English closes no compound up after one, so one glued to
    the next word (``slowlytowards``, ``easilyfrightened``) is two words run together. In small letters only:
    a capitalised one is more likely a name (``Lillyfield``, ``Kellyville``)."""
    return len(word) >= 5 and word.islower() and word.endswith("ly")


def _prefixed(w: str, lex: Lexicon) -> bool:
    """A word formed with a prefix English writes solid (``noncommunist``): never split."""
    low = w.lower()
    return any(low.startswith(p) and len(low) > len(p) + 2 and lex.is_word(low[len(p):]) for p in WORD_PREFIXES)


def _morph_base(w: str, lex: Lexicon) -> str | None:
    """The known word that ``w`` derives from by a common suffix (``Gamovites``), if any."""
    memo = lex.memo.setdefault("morph", {})
    if w not in memo:
        memo[w] = _find_morph_base(w, lex)
    found = memo[w]
    return found if isinstance(found, str) else None


def _find_morph_base(w: str, lex: Lexicon) -> str | None:
    low = w.lower()
    for k in SUFFIX_LENGTHS:
        if len(low) > k + 3 and low[-k:] in SUFFIX_SET and lex.attested(w[:-k]):
            return w[:-k]
    return None


def _groups(toks: list[Token], offs: list[int], s: str, bset: set[int], chosen: set[int],
            confidence: float, hyphenated: dict[str, int], lex: Lexicon) -> list[Proposal]:
    """One proposal per group of tokens whose spacing changed."""
    n = len(toks)
    cuts = sorted(chosen)

    def inside(a: int, b: int) -> list[int]:
        """The chosen cuts strictly between ``a`` and ``b``."""
        return cuts[bisect_right(cuts, a):bisect_left(cuts, b)]

    changed = [bool(inside(o, o + len(t.core))) for t, o in zip(toks, offs)]
    joined_right = [(offs[k] + len(toks[k].core)) not in chosen for k in range(n - 1)]
    out: list[Proposal] = []
    k = 0
    while k < n:
        if not (changed[k] or (k < n - 1 and joined_right[k])):
            k += 1
            continue
        m = k
        while m < n - 1 and joined_right[m]:
            m += 1
        a, b = offs[k], offs[m] + len(toks[m].core)
        between = inside(a, b)
        pieces = [s[x:y] for x, y in zip([a, *between], [*between, b])]
        rule = "rejoin-split-word" if m > k else "split-glued-word"
        if m == k and _closed_compound(pieces, lex):
            k = m + 1
            continue
        if m > k and len(pieces) > 1:
            rule = "respace-words"
        joined = pieces[0]
        for prev, piece in zip(pieces, pieces[1:]):
            # a compound the text prints hyphenated elsewhere (``WhiteGuard`` beside ``White-Guard``)
            joined += ("-" if hyphenated.get(f"{prev}-{piece}".lower(), 0) else " ") + piece
        out.append(Proposal(toks[k].core_start, toks[m].core_start + len(toks[m].core), joined, rule, confidence))
        k = m + 1
    return out
