"""Where a found name must stay as printed: glosses, longer names, citations, foreign runs, compounds.

Why: a name is a fact of its source in these places, and rewriting it there
changes what the source says, not how it spells.

* **Glosses** name one place twice on purpose: ``Dairen (Dalny)``, ``Port Arthur
  (Lüshun)``, ``Urga (now Ulan Bator-Khoto)``, ``Toyohara, now Yuzhno-Sakhalinsk``.
  Both names are kept (and tagged with the same ``ref``).
* **Enclosing names**: a name inside the name of an event, treaty, organisation or
  ship keeps the form it was given: ``Dairen Conference``, ``Treaty of
  Portsmouth``, ``Battle of Volochaevka``, ``Kuomintang Party``, the cruiser
  ``Petropavlovsk``, or any run of capitalised words (``Tokio Government``,
  ``Boris Semyonov``: a forename the authority does not list may be another man).
  The authority may list the longer name itself; the longest match wins before this
  check.
* **Citations**: a place of publication before a year (``Moscow-Leningrad, 1955``)
  and a name among words of another language (the transliterated title
  ``Vneshniaia politika SSSR``) are quoted, not written by the author.
* **Names mentioned as names**: after a verb of naming (``renamed the city
  Peiping``, ``the Japanese called it Dairen``, ``known as Tokio``, ``renamed from
  Tsaritsyn to Stalingrad``) the name is quoted: the sentence is about what the
  place was called, so even ``--modern-names`` keeps it.
* **References**: a bibliographic reference (``Dallin, D. J. Soviet Russia and the
  Far East. New Haven, 1948``) quotes its author, title and imprint as printed.
* **Compounds and broken words**: a name glued by a hyphen to another word
  (``Moscow-Leningrad``, ``Vladivostok-Khabarovsk``, or OCR debris ``Nikolsk-U
  ssuriisk``) is kept: its respelling would build a new word.

Each check returns the reason (a short tag recorded in the edit's ``data["kept"]``)
or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from pipeline.english import SENTENCE_OPENERS
from pipeline.names.match import TITLES, Match, Token, _sentence_initial

#: Words right after a name that make it part of the name of an event, treaty, organisation, unit or
#: building (any case: ``the Dairen conference`` names the conference too).
ENCLOSING_AFTER = frozenset("""conference conferences treaty treaties agreement agreements convention protocol pact
accord accords armistice truce peace incident incidents affair expedition campaign offensive operation uprising
rising rebellion revolt revolution mutiny massacre declaration manifesto memorandum railway railways railroad
squadron fleet flotilla army armies corps division brigade regiment detachment front group government soviet
committee council congress assembly party club clique company bank society university institute academy
commission mission station prize order street cathedral gazette herald times pravda izvestia""".split())
#: Words before ``of`` that make what follows part of a longer name (``Treaty of Portsmouth``,
#: ``battle of Tsushima``), in any case.
ENCLOSING_OF = frozenset("""treaty peace battle battles siege conference convention congress protocol
declaration pact armistice truce massacre incident""".split())
#: Capitalised words before ``of`` that make what follows part of the name of an institution, office or
#: state (``Bank of Chosen``, ``Government-General of Chosen``, ``University of Tokio``); lower-case they
#: are ordinary nouns (``the bank of the Amur``).
ENCLOSING_OF_CAPITALISED = frozenset("""bank banks university government company society academy institute
college museum library commission council committee republic kingdom empire principality khanate duchy
ministry department bureau office embassy legation consulate church cathedral order club league union army
navy fleet governor-general government-general governor viceroy bishop archbishop metropolitan""".split())
#: Words before a name that make it a ship's name.
SHIP_WORDS = frozenset("""cruiser battleship steamer steamship ship gunboat destroyer icebreaker ice-breaker
transport vessel liner frigate corvette submarine schooner s.s. h.m.s. u.s.s. ss hms uss""".split())
#: Capitalised words before a name that do not make it part of a longer one (dates).
NOT_ENCLOSING = frozenset("""january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday""".split())
#: Words a gloss may hold besides the second name: ``(now ...)``, ``(formerly ...)``, ``(Russian ...)``.
_GLOSS_WORDS = (r"now|formerly|former|later|then|today|present-day|modern|renamed|called|known|as|also|or|"
                r"i\.\s?e\.|the|in|since|from|until|till|after|before|old|new|official|officially|name|"
                r"Russian|Chinese|Japanese|Mongolian|Manchu|Korean|German|French|English|Russ\.|Chin\.|Jap\.|"
                r"Ch\.|Mong\.|Ger\.|Fr\.|Eng\.|a\.k\.a\.|alias|\d{3,4}")
_GLOSS_OPEN = regex.compile(rf"\s*\(\s*(?:(?:{_GLOSS_WORDS})[\s,:;.]*)*", regex.I)
_GLOSS_INLINE = regex.compile(rf"\s*[,;]?\s*(?:—|–|-)?\s*(?:now|formerly|later|or|alias|renamed|a\.k\.a\.|"
                              rf"i\.\s?e\.)\s+(?:(?:{_GLOSS_WORDS})[\s,:;.]*)*", regex.I)
#: After a place: (``-Place``)* then ``, 1955`` or ``: Publisher, 1955``, an imprint.
_IMPRINT = regex.compile(r"(?:\s?[-–/]\s?\p{Lu}[\p{L}\p{M}'’]*)*\s*[,:]\s*(?:\p{Lu}[^\n.,;()]{0,59},\s*)?"
                         r"(?:1[5-9]|20)\d\d\b")
#: Lower-case words of another language this close around a name make a foreign run.
FOREIGN_WINDOW = 4
FOREIGN_MIN = 2


def glosses(text: str, matches: Sequence[Match], head: Callable[[Match], str | None]) -> set[int]:
    """Indexes of matches that gloss each other: two names of one entity, the second in
    parentheses after the first or introduced by ``now``/``formerly``/``or``."""
    out: set[int] = set()
    for i in range(len(matches) - 1):
        a, b = matches[i], matches[i + 1]
        ha = head(a)
        if ha is None or ha != head(b):
            continue
        gap = text[a.end:b.start]
        if "\n\n" in gap:
            continue
        if _GLOSS_OPEN.fullmatch(gap) and regex.match(r"[^()\n]{0,40}\)", text[b.end:]):
            out.update((i, i + 1))
        elif _GLOSS_INLINE.fullmatch(gap):
            out.update((i, i + 1))
    return out


def _next_gap(text: str, tokens: Sequence[Token], i: int, end: int) -> tuple[Token | None, str]:
    if i + 1 >= len(tokens):
        return None, ""
    return tokens[i + 1], text[end:tokens[i + 1].start]


def enclosing(text: str, tokens: Sequence[Token], m: Match, cue_keys: frozenset[str]) -> bool:
    """Whether the name stands inside a longer proper name (see the module docstring)."""
    nxt, gap = _next_gap(text, tokens, m.last, m.end + (2 if tokens[m.last].possessive else 0))
    heading = m.printed.isupper() and len(m.printed) > 1
    if nxt is not None and regex.fullmatch(r"[ \t]{1,2}|\n", gap) and not tokens[m.last].possessive:
        if nxt.key in ENCLOSING_AFTER:
            return True
        if (nxt.text[:1].isupper() and not heading and not nxt.text.isupper()
                and nxt.key not in cue_keys and nxt.key not in TITLES):
            return True
    if m.first >= 1:
        prev = tokens[m.first - 1]
        gap = text[prev.end:m.start]
        if prev.key in SHIP_WORDS and gap.strip() in ("", "."):
            return True
        if regex.fullmatch(r"[ \t]{1,2}", gap) and prev.text[:1].isupper() and not prev.possessive:
            title = prev.key in TITLES or prev.key.replace(" ", "-") in TITLES
            initial = len(prev.text) == 1 or prev.text.isupper() and heading
            if not (title or initial or prev.key in cue_keys or prev.key in NOT_ENCLOSING
                    or _sentence_initial(text, prev.start)):
                return True
        if prev.key == "of" and m.first >= 2:
            before = tokens[m.first - 2]
            if regex.fullmatch(r"\s+", text[before.end:prev.start]) and _encloses_of(text, before):
                return True
        if prev.key == "the" and m.first >= 3 and tokens[m.first - 2].key == "of":
            if _encloses_of(text, tokens[m.first - 3]):
                return True
    return False


def _encloses_of(text: str, before: Token) -> bool:
    """Whether the word before ``of`` makes what follows part of a longer name: a word of
    :data:`ENCLOSING_OF` in any case, or a capitalised one of :data:`ENCLOSING_OF_CAPITALISED` (a
    hyphenated compound by any of its parts: ``Government-General``)."""
    if before.key in ENCLOSING_OF:
        return True
    word = regex.search(r"[\p{L}\p{M}'’.-]*$", text[:before.end])
    compound = (word.group() if word else before.text).strip("-.")
    if not compound[:1].isupper():
        return False
    low = compound.lower()
    return low in ENCLOSING_OF_CAPITALISED or any(
        part in ENCLOSING_OF_CAPITALISED for part in regex.split(r"[-‐‑]", low))


#: A verb or noun of naming, and what may stand between it and the name it quotes: an object (``it``,
#: ``the city``, another name), ``from``/``to``/``as``, a year (``renamed Stalingrad in 1925 and ...``).
_NAMING = regex.compile(
    r"\b(?i:re-?named|renaming|renames?|re-?christened|christened|named|called|so-called|dubbed|styled|spelt|"
    r"spelled|termed|known\s+as|names?)"
    r"(?:\s*[,\"“‘'(]?\s*(?:(?i:it|them|him|the|this|that|its|their|his|a|an|city|town|port|place|capital|"
    r"village|settlement|station|river|bay|island|islands|province|region|district|fortress|harbour|harbor|"
    r"country|state|as|to|into|from|of|was|were|is|be|been|officially|formally|first|now|later|then|again|"
    r"back|and|or|in\s+\d{3,4})|\p{Lu}[\p{L}\p{M}'’-]*)\b[\"”’']?)*[\s\"“‘']*$")
#: How far back (characters) a naming verb may stand.
NAMING_REACH = 80


def mentioned(text: str, m: Match) -> bool:
    """Whether the name is quoted as a name after a verb of naming in the same sentence (see the module
    docstring): ``renamed the city Peiping``, ``called it Dairen``, ``known as Tokio``."""
    before = text[max(0, m.start - NAMING_REACH):m.start]
    cut = max(before.rfind(c) for c in ".;!?\n")
    if cut >= 0 and not regex.search(r"\b\p{Lu}$|\bSt$", before[:cut]):
        before = before[cut + 1:]
    return bool(_NAMING.search(before))


#: A bibliographic reference: at a line start (after a note number) or after ``See``/``Cf.``, an author
#: (``Dallin, D. J.``), a title starting with a capital, and an imprint (``. New Haven, 1948``,
#: ``. Moscow: Gospolitizdat, 1955``, ``(London, 1909)``).
_REFERENCE = regex.compile(
    r"(?:^[ \t]*(?:\d{1,3}\.?|\*+|†)?[ \t]*|\b(?:[Ss]ee(?:\s+also)?|[Cc]f\.)\s+)"
    r"(?P<author>\p{Lu}[\p{L}\p{M}'’-]+(?:\s\p{Lu}[\p{L}\p{M}'’-]+)?,\s(?:\p{Lu}\p{Ll}?\.\s?){1,3})"
    r"(?=[\"“‘']?\p{Lu})[^\n]{1,250}?"
    r"(?:\.\s+|\s\(|,\s+)(?P<place>\p{Lu}[\p{L}\p{M}'’]+)(?:[\s-]\p{Lu}[\p{L}\p{M}'’]+){0,2}"
    r"(?:\s?[-–/]\s?\p{Lu}[\p{L}\p{M}'’]+)*\s*[,:]\s*(?:[^\n.,;()]{0,60},\s*)?(?:1[5-9]|20)\d\d\b",
    regex.M)
#: Capitalised words that start a sentence, not a place of publication (``In March, 1920``).
_NOT_PLACE = SENTENCE_OPENERS | NOT_ENCLOSING


def references(text: str) -> list[tuple[int, int]]:
    """Spans of the bibliographic references in ``text`` (see :data:`_REFERENCE`)."""
    out = []
    for found in _REFERENCE.finditer(text):
        if found.group("place").lower() in _NOT_PLACE:
            continue
        out.append((found.start("author"), found.end()))
    return out


def citation(text: str, tokens: Sequence[Token], m: Match, foreign: Callable[[Token], bool]) -> str | None:
    """``citation`` for a place of publication before a year, ``foreign`` for a name among words of
    another language (a transliterated title), else None."""
    if _IMPRINT.match(text, m.end):
        return "citation"
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    window: list[Token] = []
    for j in range(m.first - 1, max(-1, m.first - 1 - FOREIGN_WINDOW), -1):
        if tokens[j].start < line_start or regex.search(r"[.!?]\s", text[tokens[j].end:tokens[j + 1].start]):
            break
        window.append(tokens[j])
    for j in range(m.last + 1, min(len(tokens), m.last + 1 + FOREIGN_WINDOW)):
        if tokens[j].start > line_end or regex.search(r"[.!?]\s", text[tokens[j - 1].end:tokens[j].start]):
            break
        window.append(tokens[j])
    strange = [t for t in window if foreign(t)]
    if len(strange) >= FOREIGN_MIN and any(t.text[:1].islower() for t in strange):
        return "foreign"
    return None


def compound(text: str, m: Match) -> bool:
    """Whether a hyphen glues the name to a word outside it (``Moscow-Leningrad``, ``Nikolsk-U``)."""
    before = text[max(0, m.start - 2):m.start]
    after = text[m.end:m.end + 2]
    return bool(regex.fullmatch(r"\p{L}[-‐‑]", before) or regex.fullmatch(r"[-‐‑]\p{L}", after))


def foreign_test(is_foreign_word: Callable[[str], bool], named: set[int]) -> Callable[[Token], bool]:
    """A token test for :func:`citation`: a word of another language, not itself a found name."""

    def test(tok: Token) -> bool:
        return tok.start not in named and len(tok.text) >= 3 and not tok.text.isupper() and is_foreign_word(tok.text)

    return test
