"""Stage 6, punctuation: marks the printer did not put there, and dashes that stand for em dashes.

Why last: the earlier stages decide what the words are; only then can a stray
comma before a word (``kept ,pouring``) or a space inside a quotation
(``" incident ."``) be told from real punctuation. Each rule is a small named
function returning proposals; quotes are paired per paragraph so that an
opening quote's space is only removed when the pairing is unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from pipeline.context import Context
from pipeline.document import Document, Proposal
from pipeline.lexicon import Lexicon

STAGE = "punctuation"

#: Words that are not the first part of a hyphenated compound but often stand before an em dash.
FUNCTION_WORDS = frozenset("""a all an and as at but by for from he her him his i in it its me my
nor not of on or our she so that the their them then there these they this those to us was we
were what when which who will with you your""".split())
#: Prefixes that form hyphenated compounds before capitals (``anti-Soviet``, ``pro-Japanese``).
PREFIXES = frozenset("anti pro non pre post ex semi pan neo un counter trans sub super inter mid".split())


#: Rounds of the rules: one repair can expose the next (``instance . they`` -> ``instance. they``
#: -> ``instance, they``), and clean output must be a fixed point.
MAX_ROUNDS = 3


QUOTE = regex.compile(r"[\"“”]")


def run(doc: Document, ctx: Context) -> None:
    lex = ctx.lexicon_for(doc)
    for _ in range(MAX_ROUNDS):
        text = doc.text
        proposals: list[Proposal] = []
        for rule in RULES:
            proposals.extend(rule(text))
        proposals.extend(full_stop_for_comma(text, lex))
        proposals.extend(em_dash(text, lex))
        before = len(doc.edits)
        ctx.commit(doc, STAGE, proposals)
        if all(not e.applied for e in doc.edits[before:]):
            break


def space_before_closing(text: str) -> list[Proposal]:
    """``ranges ,`` -> ``ranges,``; ``simple .`` -> ``simple.`` (ellipses ``. . .`` are kept)."""
    pat = regex.compile(r"(?<=[\p{L}\d)\"'’”])( +)(?=[,;:!?](?:\s|$|[\"'’”])|\.(?:\s|$|[\"'’”])(?<!\. \.))")
    out = []
    spaced = _spaced_marks(text)
    for m in pat.finditer(text):
        if text[m.end()] in spaced:
            continue
        after = text[m.end():m.end() + 3]
        before = text[max(0, m.start() - 2):m.start()]
        if after.startswith(". .") or after.startswith("..") or before.endswith("."):
            continue
        out.append(Proposal(m.start(), m.end(), "", "space-before-punctuation", 0.9))
    return out


def _spaced_marks(text: str) -> set[str]:
    """Marks this text may set off with a space by convention (older printing: ``name ?``, ``so ;``).

    A space before a mark is only repaired where the text itself shows that mark
    normally unspaced: at least two unspaced uses and fewer spaced than unspaced."""
    out = set()
    for mark in "?;:!":
        total = text.count(mark)
        spaced = text.count(" " + mark)
        if total - spaced < 2 or spaced >= total - spaced:
            out.add(mark)
    return out


def stray_mark_before_word(text: str) -> list[Proposal]:
    """``kept ,pouring`` -> ``kept pouring``; ``.Get ready`` -> ``Get ready``: a comma or full stop
    glued to the front of a word, after a space or at a paragraph start, is scanner dirt."""
    pat = regex.compile(r"(?:(?<=\s)|(?<=^))[,.](?=\p{L}{2})", regex.MULTILINE)
    return [Proposal(m.start(), m.end(), "", "stray-mark-before-word", 0.85) for m in pat.finditer(text)]


def stray_comma_between_words(text: str) -> list[Proposal]:
    """``as , extremely`` (a comma floating between spaces, then a lower-case word) -> ``as extremely``
    only when the word before is a function word, which a comma never follows in prose."""
    pat = regex.compile(r"(?<=\b(\p{Ll}+)) ,(?= \p{Ll})")
    return [Proposal(m.start(), m.end(), "", "stray-comma", 0.7) for m in pat.finditer(text)
            if m.group(1) in FUNCTION_WORDS]


def quote_spacing(text: str) -> list[Proposal]:
    """Spaces inside paired double quotes: ``" W e`` -> ``"W e``, ``protecting "`` -> ``protecting"``.

    Quotes are paired in order within a paragraph; a paragraph with an odd count
    is skipped, because then which quote opens is a guess.
    """
    out: list[Proposal] = []
    for q, opening in paired_quotes(text):
        if opening:  # drop spaces after it
            m = regex.match(r" +(?=\S)", text[q + 1:q + 40])
            if m and text[q + 1 + m.end()] not in "\"“”":
                out.append(Proposal(q + 1, q + 1 + m.end(), "", "space-after-open-quote", 0.85))
        else:  # closing: drop spaces before it
            m = regex.search(r"(?<=\S) +$", text[max(0, q - 40):q])
            if m and text[max(0, q - 40) + m.start() - 1] not in "\"“”":
                out.append(Proposal(max(0, q - 40) + m.start(), q, "", "space-before-close-quote", 0.85))
    return out


def paired_quotes(text: str) -> list[tuple[int, bool]]:
    """Offsets of the double quotes of every paragraph with an even count, and whether each opens.

    Quotes are paired in order within a paragraph; a paragraph with an odd count is left out,
    because then which quote opens is a guess."""
    out: list[tuple[int, bool]] = []
    pos = 0
    for para in text.split("\n\n"):
        quotes = [m.start() for m in QUOTE.finditer(para)]
        if len(quotes) % 2 == 0:
            out.extend((pos + q, k % 2 == 0) for k, q in enumerate(quotes))
        pos += len(para) + 2
    return out


def stray_apostrophe(text: str) -> list[Proposal]:
    """A lone ``'`` between spaces (``Vladivostok. ' On``) is scanner dirt."""
    pat = regex.compile(r"(?<=\S) '(?= \p{L})")
    return [Proposal(m.start(), m.end(), "", "stray-apostrophe", 0.75) for m in pat.finditer(text)]


def em_dash(text: str, lex: Lexicon) -> list[Proposal]:
    """``taiga-all`` -> ``taiga—all``, ``vessel-H.M.S.`` -> ``vessel—H.M.S.``: a hyphen between
    words that no compound would join stands for a printed em dash. Words English writes side
    by side (``unheard-of``: the bigram list knows ``unheard of``) keep their hyphen."""
    pat = regex.compile(r"(?<=\b(\p{L}+))-(?=(\p{L}+)\b)")
    out = []
    for m in pat.finditer(text):
        left, right = m.group(1), m.group(2)
        if left.lower() in PREFIXES or len(left) < 2:
            continue
        if text[m.end() + len(right):m.end() + len(right) + 1] == "-" or text[m.start() - len(left) - 1:
                                                                               m.start() - len(left)] == "-":
            continue  # chains such as ``mother-in-law`` are compounds
        if lex.bigram(left, right):
            continue
        lower_left = left[0].islower()
        if (lower_left and right[0].isupper()) or (lower_left and right.lower() in FUNCTION_WORDS
                                                   and len(right) > 1):
            out.append(Proposal(m.start(), m.end(), "\u2014", "hyphen-for-em-dash", 0.75))
    return out


def number_spacing(text: str) -> list[Proposal]:
    """Digits split by OCR spaces: ``9 ,00 0`` -> ``9,000``, ``15 ,000`` -> ``15,000``, ``191 8`` -> ``1918``."""
    out = []
    for m in regex.finditer(r"(?<![\d,.])\d[\d ,]*\d(?!\d|,\d)", text):
        s = m.group()
        if " " not in s:
            continue
        joined = s.replace(" ", "")
        if regex.fullmatch(r"\d{1,3}(?:,\d{3})+", joined) and not regex.search(r", \d{1,3}\b", s + " "):
            out.append(Proposal(m.start(), m.end(), joined, "split-number", 0.85))
        elif regex.fullmatch(r"1\d\d \d", s):
            out.append(Proposal(m.start(), m.end(), joined, "split-year", 0.8))
    return out


def exclamation_read_as_i(text: str) -> list[Proposal]:
    """``Long live the Soviets I"`` -> ``Soviets!"``: a lone capital I between a word and a
    closing quote is an exclamation mark (the pronoun never ends a quotation bare)."""
    pat = regex.compile(r"(?<=\p{L}) I(?=[\"”’])")
    return [Proposal(m.start(), m.end(), "!", "exclamation-read-as-I", 0.8) for m in pat.finditer(text)]


def mark_after_article(text: str) -> list[Proposal]:
    """``the, main body`` -> ``the main body``; ``consisting of. Socialist`` -> ``of Socialist``:
    English never puts a comma after an article or a full stop after a preposition or article."""
    out = []
    for m in regex.finditer(r"\b(?i:the|an?),(?= \p{L})", text):
        out.append(Proposal(m.end() - 1, m.end(), "", "comma-after-article", 0.75))
    for m in regex.finditer(r"(?<!\.)\b(?:of|the|an?|to|and|from|with)\.(?= \p{L})", text):
        out.append(Proposal(m.end() - 1, m.end(), "", "full-stop-after-function-word", 0.7))
    return out


def isolated_symbol(text: str) -> list[Proposal]:
    """``a keen interest · in`` -> ``a keen interest in``: a lone dot or bullet between words;
    ``Bolsheviks. . It's`` -> ``Bolsheviks. It's``: a lone mark after a finished sentence."""
    pat = regex.compile(r"(?<=\p{L}) [·•■□](?= \p{L})|(?<=\p{L}[.!?][\"”]?) [.,](?= \p{Lu})")
    return [Proposal(m.start(), m.end(), "", "isolated-symbol", 0.8) for m in pat.finditer(text)]


#: Abbreviations written with a full stop before a lower-case word (``Russ. ed.``, ``Vol. iii``).
ABBREVIATIONS = frozenset("""ed eds vol vols russ ibid cf viz etc dept prof capt sept corp messrs gen col lieut
gov rev st no nos pp fig chap sec art max min approx esp incl""".split())


def full_stop_for_comma(text: str, lex: Lexicon) -> list[Proposal]:
    """``their devotion to Lenin and Stalin. were an inspiration`` -> ``Stalin, were``: a full stop
    between a word and a lower-case word goes on the sentence, so it was printed as a comma.

    Only between words the lexicon knows: in a language it does not know, a full stop
    before a small letter may be that language's usage."""
    pat = regex.compile(r"(?<=\b(\p{L}{4,})[)\"”]?)\.(?= (\p{Ll}{2,})\b)")
    out = []
    for m in pat.finditer(text):
        word = m.group(1)
        if word.lower() in ABBREVIATIONS or word.isupper():
            continue
        if not lex.attested(word) or m.group(2).lower() not in lex.dictionary:
            continue
        out.append(Proposal(m.start(), m.end(), ",", "full-stop-for-comma", 0.6))
    return out


#: Common words that no elision produces: a single quote glued to their front is dirt
#: (``back 'into``), while before other words it may be an elision (``'tis``, ``'shun``).
COMMON_AFTER_STRAY_QUOTE = FUNCTION_WORDS | frozenset("into f".split())


def stray_single_quotes(text: str) -> list[Proposal]:
    """A single quote that opens or closes nothing: ``back 'into Manchuria``, ``Japan' was``.

    Only in a paragraph with no other single quotes used as quotation marks, and never
    an elision (``'tis``), a plural possessive (``atamans'``) or a dropped g (``goin'``).
    """
    out: list[Proposal] = []
    pos = 0
    for para in text.split("\n\n"):
        opening = list(regex.finditer(r"(?<=^|[\s(\"“])'(?=\p{L})", para))
        closing = list(regex.finditer(r"(?<=\p{L})'(?=[\s,.;:!?)\"”]|$)", para))
        if len(opening) + len(closing) == 1:
            m = (opening or closing)[0]
            if opening:
                word = regex.match(r"\p{L}+", para[m.end():])
                ok = word is not None and word.group().lower() in COMMON_AFTER_STRAY_QUOTE
            else:
                word = regex.search(r"\p{L}+$", para[:m.start()])
                ok = word is not None and len(word.group()) >= 3 and not word.group().lower().endswith(
                    ("s", "in"))
            if ok:
                out.append(Proposal(pos + m.start(), pos + m.end(), "", "stray-single-quote", 0.7))
        pos += len(para) + 2
    return out


def stray_hyphen_before_word(text: str) -> list[Proposal]:
    """``The -japanese`` -> ``The japanese``, ``to -help`` -> ``to help``: a hyphen glued to the
    front of a word right after an article or preposition, where no dash can stand."""
    pat = regex.compile(r"(?<=\b(?i:the|an?|to|of|from|with) )-(?=\p{L})")
    return [Proposal(m.start(), m.end(), "", "stray-hyphen-before-word", 0.75) for m in pat.finditer(text)]


def spaced_possessive(text: str) -> list[Proposal]:
    """``Kolchak 's agents`` -> ``Kolchak's agents``."""
    pat = regex.compile(r"(?<=\p{L}) (?=['’]s\b)")
    return [Proposal(m.start(), m.end(), "", "spaced-possessive", 0.85) for m in pat.finditer(text)]


def apostrophe_in_number(text: str) -> list[Proposal]:
    """``over 3'75 miles`` -> ``375``: an apostrophe between digits is a speck on the page."""
    return [Proposal(m.start(), m.end(), "", "apostrophe-in-number", 0.8)
            for m in regex.finditer(r"(?<=\d)['’](?=\d)", text)]


def lone_zero(text: str) -> list[Proposal]:
    """``26 0 miles`` -> ``260 miles``: a lone 0 never follows a number as a number of its own."""
    return [Proposal(m.start(), m.end(), "", "split-number-zero", 0.75)
            for m in regex.finditer(r"(?<=\b\d{1,3}) (?=0\b)", text)]


def backslash_v(text: str) -> list[Proposal]:
    """``\\ Ve worked`` -> ``We worked``: a backslash and a V side by side are the two halves of a W."""
    return [Proposal(m.start(), m.end(), "W", "backslash-V-for-W", 0.8)
            for m in regex.finditer(r"(?<![^\s\"“(])\\ ?V(?=\p{Ll})", text)]


def quote_glued_between_words(text: str) -> list[Proposal]:
    """``the people were"ready to`` -> ``were "ready``: a double quote glued between two words gets
    the space on its outer side (opening: before it; closing: after it), judged by pairing."""
    out: list[Proposal] = []
    for q, opening in paired_quotes(text):
        if 0 < q < len(text) - 1 and text[q - 1].isalpha() and text[q + 1].isalpha():
            at = q if opening else q + 1
            out.append(Proposal(at, at, " ", "quote-glued-between-words", 0.7))
    return out


RULES: tuple[Callable[[str], list[Proposal]], ...] = (
    space_before_closing, stray_mark_before_word, stray_comma_between_words, quote_spacing,
    stray_apostrophe, number_spacing, exclamation_read_as_i, mark_after_article, isolated_symbol,
    stray_single_quotes, stray_hyphen_before_word, spaced_possessive, apostrophe_in_number, lone_zero,
    backslash_v, quote_glued_between_words,
)
