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
* **Compounds and broken words**: a name glued by a hyphen to another word
  (``Moscow-Leningrad``, ``Vladivostok-Khabarovsk``, or OCR debris ``Nikolsk-U
  ssuriisk``) is kept: its respelling would build a new word.

Each check returns the reason (a short tag recorded in the edit's ``data["kept"]``)
or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

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
            if before.key in ENCLOSING_OF and regex.fullmatch(r"\s+", text[before.end:prev.start]):
                return True
        if prev.key == "the" and m.first >= 3 and tokens[m.first - 2].key == "of":
            if tokens[m.first - 3].key in ENCLOSING_OF:
                return True
    return False


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
