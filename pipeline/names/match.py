"""Finding authority names in running text, and deciding which entry each occurrence means.

Why keys: printed names differ from the authority's spellings in ways that carry
no information about *which* entity is meant: case (``VOLOCHAYEVKA`` in a
heading), diacritics (``Voločaevka``, ``Semënov``), apostrophes and primes for
the soft sign (``Primor’e``, ``Primor'e``, ``Primorʹe``, ``Primore``), hyphen or
space (``Sikhote-Alin``, ``Sikhote Alin``). Every form and every text token is
reduced to a *key* that drops exactly those, so one dictionary lookup per token
finds every candidate, and the longest form wins (``Port Arthur`` over ``Port``,
``Nikolayevsk-on-Amur`` over ``Nikolayevsk``).

Why the safety rules: a name is only worth normalizing when the match is
certain. So a match must be capitalized (``perm`` is never ``Perm``); a name
that is also an English word (``Nice``, ``Reading``; flagged in the authority or
recognised by the company it keeps in the English bigram list) must stand
mid-sentence after a lowercase word, or be vouched for by such a use elsewhere
in the document; and a form that several entries share (two Merkulov
brothers, Petropavlovsk in Kamchatka and in Kazakhstan), or one flagged
``cued`` because the surname is common (``Kato``, ``Popov``), needs a cue next to
it (forename, initials, title) or one identified mention of exactly one of the
candidates in the same document, with no contradicting title (``Marquis Kato``
is not ``Rear-Admiral Kato``). Initials or a known forename that contradict a
person's cues rule that person out (``V. Semenoff`` is not Grigory Semyonov,
``Grigory | G. M.``). Anything else is left as printed and reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from pipeline.english import DETERMINERS
from pipeline.names.authority import Authority, Entry
from pipeline.names.romanize import save_cache, standard_system

#: A word token: letters (and marks) with inner apostrophes/primes (``Primor’e``, ``Ch'angch'un``).
TOKEN = regex.compile(r"[\p{L}\p{M}]+(?:['’ʹʼ`][\p{L}\p{M}]+)*")
_APOSTROPHES = "'’ʹʼ`´‘ʺ”"
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "œ": "oe",
                       "ı": "i", **{ch: None for ch in _APOSTROPHES}})
#: Titles that name a person's rank or standing: one before a bare surname must fit the entry.
TITLES = frozenset("""mr mrs miss dr professor general admiral rear-admiral vice-admiral colonel major captain
lieutenant baron count marquis prince princess duke emperor king queen ataman comrade consul ambassador
secretary president premier minister chairman commissar tsar marshal generalissimo hetman governor
governor-general envoy viceroy""".split())
#: Titles of military rank or nobility (which go together: General Baron Wrangel), and academic
#: titles. A title of one of these kinds before a surname fits a person whose cues give a title of
#: the same kind, or none of either kind (``Dr. Semenov`` is not Ataman Semyonov, ``General Semenov``
#: may be). Courtesy titles and offices (``Mr``, ``Comrade``, ``Minister``, ``Governor``) go with any.
STANDING_TITLES = frozenset("""general admiral rear-admiral vice-admiral colonel major captain lieutenant marshal
generalissimo ataman hetman baron count marquis prince princess duke emperor king queen tsar""".split())
ACADEMIC_TITLES = frozenset("dr professor".split())
CONFIDENCE = {"known-spelling": 0.95, "romanization": 0.95, "romanization-variant": 0.9, "derived-form": 0.9,
              "cue": 0.9, "document-context": 0.8, "word-in-context": 0.75, "near-match": 0.7,
              "ambiguous": 0.3}
#: A generated non-standard spelling (German/French-style, simplified) that is an English word
#: at least this common (Zipf) is not indexed: ``Han``, ``Holm`` would be found in ordinary prose.
COMMON_WORD_ZIPF = 3.0


_SEPARATORS = regex.compile(r"[\s\-‐‑–]+")


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The matching key of a spelling: no case, diacritics, apostrophes; hyphens and spaces alike.

    >>> key("Primor’e") == key("Primorʹe") == key("PRIMORE") == key("Primor'e")
    True
    >>> key("Voločaevka"), key("Sikhote-Alin")
    ('volocaevka', 'sikhote alin')
    """
    if text.isascii() and text.isalpha():
        return text.lower()  # most tokens: nothing to fold but case
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped.casefold().translate(_FOLD)).strip()


@dataclass(frozen=True)
class Form:
    """One matchable spelling of one entry."""

    entry: str
    text: str
    how: str  # canonical, variant, derived, or a romanization system
    suffix: str = ""  # for a derived form: what follows the base (``ites`` in ``Gamovites``)
    caps: tuple[bool, ...] = ()  # which tokens of the form start with a capital
    dots: tuple[bool, ...] = ()  # which token gaps of the form contain a full stop (``St. Petersburg``)
    orig: str = ""  # the original-script form it was generated from ("" for a listed form)

    @property
    def rank(self) -> int:
        """How deliberate the spelling is: 0 listed in the authority, 1 a standard romanization,
        2 a non-standard one (German/French-style, simplified, a surname alone)."""
        base = self.how
        if base in ("canonical", "variant", "derived"):
            return 0
        return 1 if standard_system(base) else 2

    @property
    def surname(self) -> bool:
        """A generated surname alone (``Hsü`` of Hsü Shu-cheng): as common as a ``cued`` name."""
        return self.how.startswith("surname")


@dataclass
class FormIndex:
    """Forms by key tuple, and the token lengths to try for each first key (longest first)."""

    authority: Authority
    scheme: str
    forms: dict[tuple[str, ...], list[Form]] = field(default_factory=dict)
    lengths: dict[str, list[int]] = field(default_factory=dict)
    cues: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    #: per entry: original-script form -> keys of every spelling generated from it
    orig_keys: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    #: the one-word spellings for near matches (:func:`pipeline.names.approximate.near_index`), built on first use
    near: object = None


def _tokens_of(text: str) -> tuple[list[str], list[bool]]:
    """The word tokens of a form and, per gap between them, whether it holds a full stop."""
    toks = [m for m in TOKEN.finditer(text)]
    dots = [("." in text[a.end():b.start()]) for a, b in zip(toks, toks[1:])]
    return [m.group() for m in toks], dots


def build_index(authority: Authority, scheme: str = "canonical") -> FormIndex:
    """Every form of every entry, keyed for lookup (see :func:`key`)."""
    from pipeline.lexicon import get_lexicon

    lexicon = get_lexicon()
    index = FormIndex(authority, scheme)
    for entry in authority.entries.values():
        entry.target(scheme)  # raises early on an unknown scheme
        bases = {text: (how, orig) for text, (how, orig) in entry.base_forms().items()
                 if standard_system(how) or how.startswith("surname") or not _common_word(text, lexicon)}
        keys_by_orig = index.orig_keys.setdefault(entry.id, {})
        for text, (_how, orig) in bases.items():
            if orig:
                keys_by_orig.setdefault(orig, set()).add(key(text))
        forms = [Form(entry.id, text, how, orig=orig) for text, (how, orig) in bases.items()]
        for derived in entry.derived:
            dkey = key(derived)
            base = max((b for b in bases if dkey.startswith(key(b)) and len(key(b)) < len(dkey)),
                       key=lambda b: len(key(b)), default=None)
            if base is None:
                forms.append(Form(entry.id, derived, "derived"))
                continue
            suffix = derived[len(derived) - (len(dkey) - len(key(base))):]
            for b in bases:
                forms.append(Form(entry.id, b + suffix, "derived", suffix, orig=bases[b][1]))
        for form in forms:
            toks, dots = _tokens_of(form.text)
            if not toks:
                continue
            k = tuple(key(t) for t in toks)
            bucket = index.forms.setdefault(k, [])
            if any(f.entry == form.entry for f in bucket):
                continue  # the same spelling by two routes: keep the first (canonical before generated)
            bucket.append(Form(form.entry, form.text, form.how, form.suffix,
                               tuple(t[:1].isupper() for t in toks), tuple(dots), form.orig))
            lens = index.lengths.setdefault(k[0], [])
            if len(k) not in lens:
                lens.append(len(k))
                lens.sort(reverse=True)
        index.cues[entry.id] = [tuple(key(t) for t in _tokens_of(c)[0]) for c in entry.cues]
    save_cache()
    return index


def _common_word(text: str, lexicon: object) -> bool:
    """Whether a one-word spelling is also a common English word (``Han``, ``Holm``)."""
    return " " not in text and lexicon.zipf(text.lower()) >= COMMON_WORD_ZIPF  # type: ignore[attr-defined]


@lru_cache(maxsize=8)
def cached_index(authority: Authority, scheme: str) -> FormIndex:
    return build_index(authority, scheme)


@dataclass
class Token:
    """A word of the text; a possessive ``'s`` is outside ``end``/``text``/``key`` but inside ``full``."""

    start: int
    end: int
    text: str
    key: str
    possessive: bool = False
    full: str = ""


@dataclass
class Match:
    """One occurrence: its span in the text (a possessive ``'s`` left outside), the form it matched,
    the entries it could mean, and the decision."""

    start: int
    end: int
    printed: str
    forms: list[Form]
    first: int  # token index of the first token
    last: int  # token index of the last token
    entry: str | None = None
    rule: str = ""
    confidence: float = 0.0

    @property
    def candidates(self) -> list[str]:
        return sorted({f.entry for f in self.forms})

    def form_for(self, entry: str) -> Form:
        return next(f for f in self.forms if f.entry == entry)


def tokenize(text: str) -> list[Token]:
    out = []
    for m in TOKEN.finditer(text):
        word, end = m.group(), m.end()
        possessive = len(word) > 3 and word[-2] in "'’" and word[-1] in "sS"
        if possessive:
            word, end = word[:-2], end - 2
        k = key(word)
        out.append(Token(m.start(), end, word, k, possessive, key(m.group()) if possessive else k))
    return out


def _gap_ok(gap: str, dot: bool) -> bool:
    """Text between two tokens of one multi-word name: a space or a hyphen (and a stop where the form has one)."""
    if dot:
        return regex.fullmatch(r"\.\s{1,2}|\.", gap) is not None
    return regex.fullmatch(r"[ \t]{1,3}|\s?[-‐‑]\s?|\n", gap) is not None


def _sentence_initial(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence (a newspaper dateline's ``.—`` ends one too: ``Jan. 3.—The``)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(«[*":
        i -= 1
    if i >= 1 and text[i] in "—–" and text[i - 1] in ".!?:":
        return True
    return i < 0 or text[i] in ".!?\n:;"


def _caps_ok(tok: Token, capital: bool) -> bool:
    return not capital or tok.text[:1].isupper()


def find_candidates(text: str, index: FormIndex, tokens: list[Token] | None = None) -> list[Match]:
    """Every longest capitalized match of a form, left to right, not yet resolved."""
    tokens = tokenize(text) if tokens is None else tokens
    out: list[Match] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        lengths = index.lengths.get(tok.key if tok.key == tok.full else tok.full, [])
        if tok.key != tok.full:
            lengths = sorted(set(lengths) | set(index.lengths.get(tok.key, [])), reverse=True)
        if not lengths or not tok.text[:1].isupper():
            i += 1
            continue
        found = None
        for length in lengths:
            if i + length > n:
                continue
            span = tokens[i:i + length]
            # inside a name a possessive is part of it (People's Republic); at its end it is not
            forms = index.forms.get(tuple(t.full for t in span[:-1]) + (span[-1].key,))
            if not forms:
                continue
            form = forms[0]
            if not all(_caps_ok(t, c) for t, c in zip(span, form.caps)):
                continue
            if not all(_gap_ok(text[a.end + (2 if a.possessive else 0):b.start], d)
                       for a, b, d in zip(span, span[1:], form.dots)):
                continue
            found = Match(span[0].start, span[-1].end, text[span[0].start:span[-1].end], list(forms), i,
                          i + length - 1)
            break
        if found is None:
            i += 1
            continue
        out.append(found)
        i = found.last + 1
    return out


def _has_cue(tokens: list[Token], text: str, m: Match, cue_keys: list[tuple[str, ...]]) -> bool:
    """A cue (forename, initials, title, descriptor) just before the name, or just after a comma
    (``Petrov, F. N.`` in a bibliography)."""
    if not cue_keys:
        return False
    before: list[str] = []
    for j in range(m.first - 1, max(-1, m.first - 5), -1):
        gap = text[tokens[j].end:tokens[j + 1].start]
        if _sentence_break(tokens[j], gap):
            break
        before.insert(0, tokens[j].key)
    after: list[str] = []
    if m.last + 1 < len(tokens) and text[m.end:tokens[m.last + 1].start].lstrip().startswith(","):
        after = [t.key for t in tokens[m.last + 1:m.last + 5]]
    for cue in cue_keys:
        size = len(cue)
        for window in (before, after):
            if any(tuple(window[j:j + size]) == cue for j in range(len(window) - size + 1)):
                return True
    return False


def forename_letters(cues: list[tuple[str, ...]]) -> frozenset[str]:
    """First letters of the forenames a person's cues give (``G. M.``, ``Grigory`` -> ``g``); empty when
    the cues give none (then no forename can contradict them)."""
    out = set()
    for cue in cues:
        if cue and (len(cue[0]) == 1 or (len(cue) == 1 and cue[0] not in TITLES)):
            out.add(cue[0][:1])
    return frozenset(out)


def known_forenames(index: FormIndex) -> frozenset[str]:
    """Keys of the one-word forenames among the authority's person cues (``vladimir``, ``grigory``):
    what a capitalised word before a surname must be to count as a forename."""
    entries = index.authority.entries
    return frozenset(cue[0] for entry_id, cues in index.cues.items() if entries[entry_id].person
                     for cue in cues if len(cue) == 1 and len(cue[0]) > 1 and cue[0] not in TITLES)


def _forename_near(tokens: list[Token], text: str, m: Match, forenames: frozenset[str]) -> list[int]:
    """Indexes of the initials (``V.``, ``V. I.``) or forename printed just before a person's name, or
    of the initials after it following a comma (``Semenoff, V.``): a run of single capitals with stops,
    or one word the authority knows as a forename (so ``Americans Semyonov`` or ``Bolshevik Lazo`` name
    no one)."""
    out: list[int] = []
    j = m.first - 1
    while j >= 0 and len(tokens[j].text) == 1 and tokens[j].text.isupper() and regex.fullmatch(
            r"\.\s?", text[tokens[j].end:tokens[j + 1].start]):
        out.insert(0, j)
        j -= 1
    if out:
        return out
    if m.first >= 1:
        prev = tokens[m.first - 1]
        if (regex.fullmatch(r"[ \t]{1,2}", text[prev.end:m.start]) and prev.text[:1].isupper()
                and not prev.possessive and prev.key in forenames):
            return [m.first - 1]
    after = m.last + 1
    if after < len(tokens) and regex.fullmatch(r",\s?", text[m.end:tokens[after].start]):
        while after < len(tokens) and len(tokens[after].text) == 1 and tokens[after].text.isupper() and (
                regex.match(r"\.", text[tokens[after].end:])):
            out.append(after)
            after += 1
    return out


def contradicted(tokens: list[Token], text: str, m: Match, letters: frozenset[str],
                 forenames: frozenset[str], names: frozenset[int] = frozenset()) -> bool:
    """Whether a forename or initials printed with a person's name begin with a letter none of the
    entity's forenames does (``V. Semenoff``, ``Semenoff, V.``, ``Vladimir Semenoff`` are not Grigory
    Semyonov, cued ``Grigory | G. M.``). ``forenames``: :func:`known_forenames`; ``names``: indexes of
    the tokens inside found names (``U.S.A. Lenin`` has no initials)."""
    if not letters:
        return False
    given = _forename_near(tokens, text, m, forenames)
    if not given or any(j in names for j in given):
        return False
    return tokens[given[0]].key[:1] not in letters


def english_forenames(index: FormIndex, is_word: Callable[[str], bool] | None) -> frozenset[str]:
    """The common forenames of English text (:func:`pipeline.names.forenames.census_forenames`) that
    are neither everyday English words (``will``, ``grace``: ``is_word``) nor one-word spellings of
    an authority entry (``Kirk``)."""
    from pipeline.names.forenames import census_forenames

    spelled = {k[0] for k in index.forms if len(k) == 1}
    return frozenset(n for n in census_forenames() if n not in spelled and (is_word is None or not is_word(n)))


def _title_kind(title: str) -> str | None:
    t = title.replace(" ", "-")
    return "standing" if t in STANDING_TITLES else "academic" if t in ACADEMIC_TITLES else None


def title_fits(title: str | None, cues: list[tuple[str, ...]]) -> bool:
    """Whether a title printed before a person's surname (``Dr``, ``General``) can be this person's:
    True without a title or with one of no kind (see :data:`STANDING_TITLES`), and when the cues give
    no title of a kind or one of the same kind."""
    kind = _title_kind(title) if title is not None else None
    if kind is None:
        return True
    own = {_title_kind(cue[0]) for cue in cues if len(cue) == 1} - {None}
    return not own or kind in own


def _after_forename(tokens: list[Token], text: str, m: Match, forenames: frozenset[str]) -> bool:
    """Whether the name follows a forename directly (``George Washington``): a surname, then."""
    if m.first == 0:
        return False
    prev = tokens[m.first - 1]
    return (prev.text[:1].isupper() and not prev.possessive and prev.key in forenames
            and regex.fullmatch(r"[ \t]{1,2}|\n", text[prev.end:m.start]) is not None)


def _sentence_break(tok: Token, gap: str) -> bool:
    """Whether a sentence ends between ``tok`` and the next word (a stop after an initial or a short
    abbreviation such as ``F.`` or ``Mr.`` does not end one)."""
    return any(ch in gap for ch in "!?\n") or ("." in gap and len(tok.text) > 2)


def _title_before(tokens: list[Token], text: str, m: Match) -> str | None:
    if m.first == 0:
        return None
    prev = tokens[m.first - 1]
    gap = text[prev.end:m.start]
    if gap.strip() not in ("", "."):
        return None
    return prev.key if prev.key.replace(" ", "-") in TITLES or prev.key in TITLES else None


def resolve(text: str, index: FormIndex, is_word: Callable[[str], bool] | None = None,
            tokens: list[Token] | None = None) -> list[Match]:
    """Candidates with a decision each: ``entry`` set (and rule, confidence), or None (left alone)."""
    tokens = tokenize(text) if tokens is None else tokens
    matches = find_candidates(text, index, tokens)
    entries = index.authority.entries
    lower_keys = {t.key for t in tokens if t.text[:1].islower()}

    def needs_cue(m: Match, entry: Entry) -> bool:
        return m.first == m.last and ("cued" in entry.flags or m.form_for(entry.id).surname)

    # 1. words that are also names: only mid-sentence after a lowercase word, or vouched for by such a use
    wordlike: dict[int, bool] = {}
    vouched: set[str] = set()
    for n, m in enumerate(matches):
        if m.first != m.last:
            continue
        flagged = any("word" in entries[f.entry].flags for f in m.forms)
        acronym = m.printed.isupper() and len(m.printed) > 1 and all(f.text.isupper() for f in m.forms)
        if flagged or (is_word is not None and not acronym and is_word(tokens[m.first].key)):
            wordlike[n] = True
            tok = tokens[m.first]
            prev = tokens[m.first - 1] if m.first else None
            mid = not _sentence_initial(text, m.start) and prev is not None and prev.text[:1].islower()
            if mid and not tok.text.isupper():
                vouched.add(tok.key)
    for n in wordlike:
        m = matches[n]
        tok = tokens[m.first]
        prev = tokens[m.first - 1] if m.first else None
        mid = not _sentence_initial(text, m.start) and prev is not None and prev.text[:1].islower()
        ok = not tok.text.isupper() and (mid or (tok.key in vouched and tok.key not in lower_keys))
        if not ok:
            m.forms = []  # left alone: an English word as far as anyone can tell
    matches = [m for m in matches if m.forms]

    # 2. unique forms and cues (a forename or title that contradicts a person's rules that person
    # out; a place is no surname after a forename)
    forenames = known_forenames(index) | english_forenames(index, is_word)
    for m in matches:
        if _after_forename(tokens, text, m, forenames):
            m.forms = [f for f in m.forms if entries[f.entry].type != "place"]
    matches = [m for m in matches if m.forms]
    inside = frozenset(j for m in matches for j in range(m.first, m.last + 1))
    identified: set[str] = set()
    pending: list[Match] = []
    for n, m in enumerate(matches):
        cands = m.candidates
        for rank in (0, 1):
            best = [c for c in cands if m.form_for(c).rank <= rank]
            if len(cands) > 1 and len(best) == 1:
                cands = best  # a deliberate spelling beats an accidental romanization (Shanxi, Shaanxi)
                break
        heads = {entries[c].head for c in cands}
        if len(cands) > 1 and len(heads) == 1:
            # two names of one entity spelled alike: the entity is certain, the name the likeliest
            cands = [min(cands, key=lambda c: (m.form_for(c).rank, bool(entries[c].entity), c))]
        cued = [c for c in cands if _has_cue(tokens, text, m, index.cues.get(c, []))]
        title = _title_before(tokens, text, m)
        other = [c for c in cands if entries[c].person and c not in cued
                 and (contradicted(tokens, text, m, forename_letters(index.cues.get(c, [])), forenames, inside)
                      or not title_fits(title, index.cues.get(c, [])))]
        if other:
            cands = [c for c in cands if c not in other]
            if not cands:  # another person of the same name: left as printed, reported
                m.rule, m.confidence = "other-person", CONFIDENCE["ambiguous"]
                continue
        if len(cands) == 1 and not needs_cue(m, entries[cands[0]]):
            form = m.form_for(cands[0])
            rule = ("derived-form" if form.how == "derived" else
                    "known-spelling" if form.how in ("canonical", "variant") else
                    "romanization" if form.rank == 1 else "romanization-variant")
            if wordlike.get(n):
                rule = "word-in-context"
            m.entry, m.rule = cands[0], rule
        elif len(cued) == 1:
            m.entry, m.rule = cued[0], "cue"
        else:
            pending.append(m)
            continue
        m.confidence = CONFIDENCE[m.rule]
        identified.add(m.entry)

    # 3. one sense per document: a single identified candidate, no contradicting title
    for m in pending:
        known = [c for c in m.candidates if c in identified]
        title = _title_before(tokens, text, m)
        if len(known) == 1 and (title is None or (title,) in index.cues.get(known[0], [])):
            m.entry, m.rule, m.confidence = known[0], "document-context", CONFIDENCE["document-context"]
        else:
            m.rule, m.confidence = "ambiguous", CONFIDENCE["ambiguous"]
    return matches


def looks_like_word(bigram: Callable[[str, str], bool]) -> Callable[[str], bool]:
    """A test for "this name is also an everyday English word": the English bigram list pairs it with
    a determiner (``a nice``, ``the bath``, ``my reading``), which it never does for a place or a person."""

    @lru_cache(maxsize=4096)
    def test(word_key: str) -> bool:
        return " " not in word_key and any(bigram(d, word_key) for d in DETERMINERS)

    return test
