"""Stage 6, punctuation: marks the printer did not put there, and dashes that stand for em dashes.

Why last: the earlier stages decide what the words are; only then can a stray
comma before a word (``kept ,pouring``) or a space inside a quotation
(``" incident ."``) be told from real punctuation. Each rule is a small named
function returning proposals; quotes are paired per paragraph so that an
opening quote's space is only removed when the pairing is unambiguous.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

import regex

from pipeline.context import Context
from pipeline.document import Document, Proposal
from pipeline.english import (
    ADVERB_PARTICLES,
    COMBINING_PREFIXES,
    COMMON_FUNCTION_WORDS,
    FINAL_PREPOSITIONS,
    HYPHENATED_PREFIXES,
    NEVER_FINAL,
)
from pipeline.lexicon import Lexicon, early_modern_share

STAGE = "punctuation"

#: Rounds of the rules: one repair can expose the next (``instance . they`` -> ``instance. they``
#: -> ``instance, they``), and clean output must be a fixed point.
MAX_ROUNDS = 3


#: Double quotes; a straight one right after a digit is an inch or second mark (``5' 10"``, ``30'26"``).
QUOTE = regex.compile(r"[“”]|(?<!\d)\"")


#: Spurious spaces the spacing stage closed inside words (``th e ba nks``), per 1,000 words, from
#: which a space before a mark is taken for the same noise. Below it the space is kept as printed:
#: older newspapers and books set ``Bathurst ;`` and ``Co ,`` (the Sydney Morning Herald ground
#: truth keeps them), and their OCR adds a few more; the two are not told apart by the mark alone.
#: Measured on the development sets: the OverProof ground-truth articles score 0-2.5, the pamphlet's
#: OCR 39, the OverProof OCR 0-34 (median 3).
SPURIOUS_SPACES_PER_1000 = 5.0


#: ``Context.facts`` key: the body showed :func:`spurious_spacing` (read by its notes and captions).
SPURIOUS_SPACING_FACT = "spurious_spacing"


def spurious_spacing(doc: Document) -> bool:
    """True when the spacing stage found at least :data:`SPURIOUS_SPACES_PER_1000` split words per
    1,000 words of ``doc``: evidence that this OCR inserts spaces where none were printed."""
    closed = sum(1 for e in doc.edits if e.stage == "spacing" and e.applied
                 and e.rule in ("rejoin-split-word", "respace-words"))
    words = len(doc.text.split())
    return words > 0 and 1000 * closed / words >= SPURIOUS_SPACES_PER_1000


def run(doc: Document, ctx: Context) -> None:
    lex = ctx.lexicon_for(doc)
    # a note or caption is judged with its body (the body's stages run first and leave the verdict)
    spaces_are_noise = spurious_spacing(doc) or bool(ctx.facts.get(SPURIOUS_SPACING_FACT))
    if spaces_are_noise:
        ctx.facts[SPURIOUS_SPACING_FACT] = True
    for _ in range(MAX_ROUNDS):
        text = doc.text
        proposals: list[Proposal] = []
        if spaces_are_noise:
            proposals.extend(space_before_closing(text))
        for rule in RULES:
            proposals.extend(rule(text))
        for lex_rule in LEXICON_RULES:
            proposals.extend(lex_rule(text, lex))
        if not ctx.corrector_for(doc).clean:  # a clean print lost no stops: its capitals are titles, God's ``He``
            proposals.extend(lost_full_stop(text, lex))
            proposals.extend(stop_for_space(text, lex))  # nor reads specks for spaces: ``self.value`` is code
        proposals = _line_openings_kept(proposals, doc)
        before = len(doc.edits)
        ctx.commit(doc, STAGE, proposals)
        if all(not e.applied for e in doc.edits[before:]):
            break


#: Share of a paragraph's printed lines opening with a capital from which its capitals at line openings say nothing of
#: sentences (verse, lists); newspaper columns open about one line in five so.
CAPITAL_LINES_SHARE = 0.5
#: ...told from this many joined lines of the paragraph on.
CAPITAL_LINES_EVIDENCE = 2
#: A paragraph's first printed line shorter than this share of the text's typical line (characters), without a stop,
#: is a heading run into its text (:meth:`LineOpenings.capital_is_the_lines`).
HEADING_LINE_SHARE = 0.6


class LineOpenings:
    """The printed line breaks of a document's text that became spaces (offsets of those spaces, ascending), and
    what a capital opening such a line tells."""

    def __init__(self, doc: Document) -> None:
        self.text = text = doc.text
        self.joins = joins = sorted(doc.join_positions())
        lengths = sorted(b - a for a, b in zip(joins, joins[1:]) if "\n" not in text[a:b])
        #: the text's typical printed line length (characters; 0 when unknown)
        self.typical = lengths[len(lengths) // 2] if lengths else 0
        self.at = frozenset(joins)

    def capital_is_the_lines(self, pos: int) -> bool:
        """Whether the capital after the joined line break at ``pos`` belongs to the line rather than telling a
        sentence (or a misread small letter): the line before is its paragraph's first, holds no stop and is short
        (:data:`HEADING_LINE_SHARE` of the typical line: a heading run into its text, ``Results and discussion\nThe
        response rate``), or most lines of the paragraph open with a capital (:data:`CAPITAL_LINES_SHARE`: verse)."""
        text, joins = self.text, self.joins
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        inside = joins[bisect.bisect_left(joins, start):bisect.bisect_left(joins, end)]
        if (inside and inside[0] == pos and not any(c in ".!?:;" for c in text[start:pos])
                and (not self.typical or pos - start < HEADING_LINE_SHARE * self.typical)):
            return True
        capitals = sum(1 for j in inside if text[j + 1:j + 2].isupper())
        return len(inside) >= CAPITAL_LINES_EVIDENCE and capitals >= CAPITAL_LINES_SHARE * len(inside)


def _line_openings_kept(proposals: list[Proposal], doc: Document) -> list[Proposal]:
    """``proposals`` less a comma made a full stop before a capital that opens a printed line (``ill,\nIt all``):
    verse and lists open each line with a capital, so there it is no evidence of a new sentence; and less a lost
    full stop (:func:`lost_full_stop`) before a capital that belongs to its line
    (:meth:`LineOpenings.capital_is_the_lines`)."""
    if not any(p.rule in ("comma-for-full-stop", "lost-full-stop") for p in proposals):
        return proposals
    lines = LineOpenings(doc)
    return [p for p in proposals
            if not (p.rule == "comma-for-full-stop" and p.end in lines.at)
            and not (p.rule == "lost-full-stop" and p.start in lines.at and lines.capital_is_the_lines(p.start))]


def space_before_closing(text: str) -> list[Proposal]:
    """``ranges ,`` -> ``ranges,``; ``simple .`` -> ``simple.`` (ellipses ``. . .`` are kept)."""
    pat = regex.compile(r"(?<=[\p{L}\d)\"'’”])( +)(?=[,;:!?](?:\s|$|[\"'’”])|\.(?:\s|$|[\"'’”])(?<!\. \.))")
    out = []
    spaced = _spaced_marks(text)
    stray = {m.start() for m in stray_commas(text)}  # dropped whole by ``stray-comma``
    for m in pat.finditer(text):
        if text[m.end()] in spaced or m.start() in stray:
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
    out = []
    for m in pat.finditer(text):
        word = WORD_AFTER.match(text, m.end())
        if (m.group() == "," and m.start() > 1 and text[m.start() - 1] == " " and text[m.start() - 2].isalpha()
                and word is not None and word.group().lower() in CLAUSE_OPENERS):
            # ``landowners ,and it``: a comma set before the space, not dirt: it goes after the word
            out.append(Proposal(m.start() - 1, m.end(), ", ", "comma-before-space", 0.8))
        else:
            out.append(Proposal(m.start(), m.end(), "", "stray-mark-before-word", 0.85))
    return out


#: Marks that prose glues to a word's first or last letter only to enclose the word or a phrase: the specks and
#: broken strokes a scan reads as marks (``¡returnable``, ``{their``, ``report*``, ``cit\\``). Marks with a use of
#: their own at a word's edge are not among them: ``>`` quoting a mail, ``<`` and ``|`` of a shell, ``*`` of a
#: pointer or a wildcard, ``\\`` of TeX and paths, ``_`` of identifiers, ``^`` marking an insertion.
#: Those glued to a word's front, ...
SPECK_MARKS_BEFORE = "«»{}¡¿"
#: ... and those glued to its end.
SPECK_MARKS_AFTER = "«»{}*\\"
#: The mark that closes what each speck mark would open (and the reverse): ``«word»``, ``*word*``, ``{a, b}``,
#: ``¡Hola!`` enclose their words and stay.
SPECK_PARTNERS = {"«": "»", "»": "«", "{": "}", "}": "{", "*": "*", "\\": "\\", "¡": "!", "¿": "?"}
#: One or two speck marks glued to the front of a word (after a space or at a line start) ...
SPECK_BEFORE = regex.compile(
    rf"(?:(?<=\s)|(?<=^))([{regex.escape(SPECK_MARKS_BEFORE)}]{{1,2}})(?=\p{{L}}{{2}})", regex.MULTILINE)
#: ... or to its end (before a space, a line end or a closing mark).
SPECK_AFTER = regex.compile(
    rf"(?<=\p{{L}}{{2}})([{regex.escape(SPECK_MARKS_AFTER)}]{{1,2}})(?=[\s,.;:!?)\"”’']|$)", regex.MULTILINE)
#: How far (characters, within the paragraph, each way) a speck mark looks for its partner or its like.
SPECK_PARTNER_REACH = 300


def paragraph_reach(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the paragraph within :data:`SPECK_PARTNER_REACH` characters before ``start`` and after
    ``end`` (a blank line ends a paragraph): where a mark looks for its partner."""
    before = text[max(0, start - SPECK_PARTNER_REACH):start].split("\n\n")[-1]
    after = text[end:end + SPECK_PARTNER_REACH].split("\n\n")[0]
    return before, after


def speck_at_word_edge(text: str, lex: Lexicon) -> list[Proposal]:
    """``¡returnable`` -> ``returnable``, ``{their`` -> ``their``, ``report*`` -> ``report``: one or two marks of
    :data:`SPECK_MARKS_BEFORE` before, or of :data:`SPECK_MARKS_AFTER` after, a word the lexicon knows are specks
    of the scan. A note mark whose note the layout stage found is gone by now, and clean text drops a note mark
    anyway (the corpus conventions). Not where the paragraph holds the mark again or its partner
    (:data:`SPECK_PARTNERS`) within :data:`SPECK_PARTNER_REACH` characters either way (``«Non»``, ``*very*
    well``, ``¡Hola, amigo!``, two footnote marks): a mark the text uses by convention stays, and the answer does
    not change as the stage's rounds remove marks one by one. Not where the word carries other marks
    (``C:\\path``), nor beside letters the lexicon does not know, where the mark may stand for a letter
    (``«oro``: the corrector's)."""
    out: list[Proposal] = []
    found = [*((m, True) for m in SPECK_BEFORE.finditer(text)), *((m, False) for m in SPECK_AFTER.finditer(text))]
    for m, opening in found:
        if opening:
            token = regex.match(r"\S*", text[m.end():m.end() + 60]).group()  # type: ignore[union-attr]
        else:
            token = regex.search(r"\S*$", text[max(0, m.start() - 60):m.start()]).group()  # type: ignore[union-attr]
        word = token.strip(",.;:!?()\"“”‘’'")
        if not word.isalpha() or not lex.is_word(word.lower()):
            continue
        before, after = paragraph_reach(text, m.start(), m.end())
        kin = {c for mark in m.group() for c in (mark, SPECK_PARTNERS.get(mark, mark))}
        if any(c in before or c in after for c in kin):
            continue
        out.append(Proposal(m.start(), m.end(), "", "speck-at-word-edge", 0.8))
    return out


#: Words that open a clause after a comma (conjunctions and relatives): a comma glued to the front of one
#: after a space belongs to the word before.
CLAUSE_OPENERS = frozenset("and but or nor yet so which who whom whose where when while though although because "
                           "if as".split())
WORD_AFTER = regex.compile(r"\p{L}+")


#: A comma floating between spaces, between two words in small letters (``sent , his``).
FLOATING_COMMA = regex.compile(r"(?<=\b(\p{Ll}+)) ,(?= (\p{Ll}+)\b)")
#: Function words that need a word after them (articles, possessives, prepositions): neither a comma nor a
#: dash follows one in prose.
NEEDS_COMPLEMENT = frozenset("a an the my his her our their your its of to at by for from in on with as".split())
#: Words that open a noun phrase: the object a verb takes (``sent his troops``).
DETERMINERS = frozenset("the a an his her their its my our your this these those".split())
#: log10 PMI from which a verb and the determiner after it are a pair English writes without a break
#: (``sent his`` 0.4, ``saw his`` 0.9; ``said the`` 0.2, ``them the`` -0.6, ``world the`` -1.2).
CONTINUOUS_PMI = 0.3


def stray_commas(text: str) -> list[regex.Match[str]]:
    """The free-standing commas of :func:`stray_comma_between_words`."""
    from pipeline.correction.wordmodel import association

    out = []
    for m in FLOATING_COMMA.finditer(text):
        left, right = m.group(1), m.group(2)
        if left in NEEDS_COMPLEMENT:
            out.append(m)
        elif right in DETERMINERS and left not in COMMON_FUNCTION_WORDS:
            pmi = association(left, right)
            if pmi is not None and pmi >= CONTINUOUS_PMI:
                out.append(m)
    return out


def stray_comma_between_words(text: str) -> list[Proposal]:
    """``as , extremely``, ``sent , his`` (a comma floating between spaces, then a lower-case word) ->
    ``as extremely``, ``sent his``: when the word before needs a complement (:data:`NEEDS_COMPLEMENT`: an
    article, a preposition), which a comma never separates it from, or when it is a verb English writes
    straight before the determiner that follows (:data:`DETERMINERS`, PMI at least :data:`CONTINUOUS_PMI`):
    ``beach , but``, ``world , was``, ``them , the`` keep their comma, set against the word before."""
    return [Proposal(m.start(), m.end(), "", "stray-comma", 0.7) for m in stray_commas(text)]


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
    because then which quote opens is a guess, except a lone quote that begins the paragraph: a
    quotation running on over paragraphs opens each one and closes only the last."""
    out: list[tuple[int, bool]] = []
    pos = 0
    for para in text.split("\n\n"):
        quotes = [m.start() for m in QUOTE.finditer(para)]
        if len(quotes) % 2 == 0:
            out.extend((pos + q, k % 2 == 0) for k, q in enumerate(quotes))
        elif quotes[0] == 0:  # a quotation continued into this paragraph: its first quote opens
            out.append((pos, True))
            out.extend((pos + q, k % 2 == 0) for k, q in enumerate(quotes[1:]))
        pos += len(para) + 2
    return out


OPEN_SINGLE = regex.compile(r"(?<=^|[\s(\"“])['‘](?=\p{L})")
LONE_SINGLE = regex.compile(r"(?<=\s)'(?=\s)")
#: How far back (characters) a single quote may have opened the quotation a lone ``'`` closes.
QUOTE_REACH = 250
CLOSE_SINGLE = regex.compile(r"(?<=[\p{L},.;:!?])['’](?=[\s,.;:!?)\"”]|$)")


def stray_apostrophe(text: str) -> list[Proposal]:
    """A lone ``'`` between spaces (``Vladivostok. ' On``) is scanner dirt, unless a single quote
    opened shortly before in the paragraph is still open (no single quote since): then it closes
    that quotation and only the space before it goes (``'Go home, my child ' and`` -> ``child' and``)."""
    pat = regex.compile(r"(?<=\S) '(?= \p{L})")
    out = []
    for m in pat.finditer(text):
        para = text[max(text.rfind("\n\n", 0, m.start()) + 1, m.start() - QUOTE_REACH):m.start()]
        opened = [q.start() for q in OPEN_SINGLE.finditer(para)]
        closed = [q.start() for q in CLOSE_SINGLE.finditer(para)] + [q.start() + 1 for q in LONE_SINGLE.finditer(para)]
        if opened and opened[-1] > max(closed, default=-1):
            out.append(Proposal(m.start(), m.start() + 1, "", "space-before-close-quote", 0.75))
        else:
            out.append(Proposal(m.start(), m.end(), "", "stray-apostrophe", 0.75))
    return out


def em_dash(text: str, lex: Lexicon) -> list[Proposal]:
    """``taiga-all`` -> ``taiga—all``, ``vessel-H.M.S.`` -> ``vessel—H.M.S.``: a hyphen between
    words that no compound would join stands for a printed em dash.

    Compounds keep their hyphen: words English writes side by side (``unheard-of``: the bigram
    list knows ``unheard of``), words it also writes solid (``passer-by``: ``passerby``), an agent
    noun with its particle (``hanger-on``, ``runners-up``), and a combining prefix before a
    capital (``quasi-Soviet``)."""
    pat = regex.compile(r"(?<=\b(\p{L}+))-(?=(\p{L}+)\b)")
    out = []
    for m in pat.finditer(text):
        left, right = m.group(1), m.group(2)
        if left.lower() in COMBINING_PREFIXES or len(left) < 2:
            continue
        if text[m.end() + len(right):m.end() + len(right) + 1] == "-" or text[m.start() - len(left) - 1:
                                                                               m.start() - len(left)] == "-":
            continue  # chains such as ``mother-in-law`` are compounds
        if lex.bigram(left, right) or (left + right).lower() in lex.dictionary:
            continue
        if right.lower() in ADVERB_PARTICLES and regex.search(r"(?:er|ers|or|ors)$", left.lower()):
            continue
        lower_left = left[0].islower()
        if (lower_left and right[0].isupper()) or (lower_left and right.lower() in COMMON_FUNCTION_WORDS
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
        elif (regex.fullmatch(r"1\d\d \d", s) and not regex.match(r"\p{L}", text[m.end():m.end() + 1])
              and not regex.search(r"\p{Sc}\s*$", text[max(0, m.start() - 2):m.start()])):
            # not a sum with its unit (``£131 3s.``, ``$120 5c``)
            out.append(Proposal(m.start(), m.end(), joined, "split-year", 0.8))
    return out


#: Words after which the pronoun ``I`` closes a clause (``So am I``, ``Not I``, ``than I``).
BEFORE_FINAL_I = COMMON_FUNCTION_WORDS | frozenset("""am do did does have had has can could shall should would may might
must nor not than said says thought cried quoth asked replied answered""".split())


def exclamation_read_as_i(text: str, lex: Lexicon) -> list[Proposal]:
    """``Long live the Soviets I"`` -> ``Soviets!"``: a lone capital I between a word and a
    closing quote is an exclamation mark, unless the word before is one the pronoun follows at
    the end of a clause (``"So am I"``, ``"Not I"``, ``said I``: a function word, an auxiliary or
    a pair English writes, by the bigram list)."""
    pat = regex.compile(r"(?<=\b(\p{L}+)) I(?=[\"”’])")
    return [Proposal(m.start(), m.end(), "!", "exclamation-read-as-I", 0.8) for m in pat.finditer(text)
            if m.group(1).lower() not in BEFORE_FINAL_I and not lex.bigram(m.group(1), "i")]


#: Small letters an exclamation mark's stroke and dot are read as, standing alone (``lamp t It``).
EXCLAMATION_SHAPES = "tl"
#: ``lamp t It was``: one of them alone between a word in small letters and a function word with a capital,
#: which opens a sentence (mid-sentence it is printed small).
LETTER_FOR_EXCLAMATION = regex.compile(
    rf"(?<=\b\p{{Ll}}{{2,}}) [{EXCLAMATION_SHAPES}](?= (\p{{Lu}}\p{{Ll}}*)\b)")


def exclamation_read_as_letter(text: str) -> list[Proposal]:
    """``she lit the lamp t It was dark`` -> ``lamp! It``: a lone ``t`` or ``l`` (no word of English) after a
    word and before a capitalised function word (``It``, ``The``, ``He``) is the exclamation mark that ended
    the sentence. Not before a name or another capitalised word, which may stand mid-sentence."""
    return [Proposal(m.start(), m.end(), "!", "exclamation-read-as-letter", 0.75)
            for m in LETTER_FOR_EXCLAMATION.finditer(text) if m.group(1).lower() in COMMON_FUNCTION_WORDS]


def mark_after_article(text: str) -> list[Proposal]:
    """``the, main body`` -> ``the main body``; ``an. old man`` -> ``an old man``; ``consisting of.
    socialist`` -> ``of socialist``: English never puts a comma after ``the`` or ``an``, never ends a
    sentence on them or on ``and``, and begins no sentence with a small letter after a preposition.

    A lone ``a``/``A`` is left alone: it is also a label (``Appendix A, and``; ``a. Upper jaw``)."""
    out = []
    for m in regex.finditer(r"(?<![\p{L}\p{N}'’])(?:[Tt]he|[Aa]n),(?= \p{L})", text):
        out.append(Proposal(m.end() - 1, m.end(), "", "comma-after-article", 0.75))
    for m in regex.finditer(r"(?<![.\p{L}])(\p{Ll}+)\.(?= (\p{L}))", text):
        word = m.group(1)
        if word in NEVER_FINAL or (word in FINAL_PREPOSITIONS and m.group(2).islower()):
            out.append(Proposal(m.end() - 1, m.end(), "", "full-stop-after-function-word", 0.7))
    return out


def isolated_symbol(text: str) -> list[Proposal]:
    """``a keen interest · in`` -> ``a keen interest in``: a lone dot or bullet between words;
    ``Bolsheviks. . It's`` -> ``Bolsheviks. It's``: a lone mark after a finished sentence."""
    pat = regex.compile(r"(?<=\p{L}) [·•■□](?= \p{L})|(?<=\p{L}[.!?][\"”]?) [.,](?= \p{Lu})")
    return [Proposal(m.start(), m.end(), "", "isolated-symbol", 0.8) for m in pat.finditer(text)]


#: Abbreviations written with a full stop before a lower-case word (``Russ. ed.``, ``Vol. iii``).
ABBREVIATIONS = frozenset("""ed eds vol vols russ ibid cf viz etc dept prof capt sept corp messrs gen col lieut
gov rev st no nos pp fig chap sec art max min approx esp incl bros govt univ gent cent trans supt secy assoc inst
prox ult""".split())
#: A word rarer than this (Zipf) before ``. small-letter`` is more likely an abbreviation
#: (``dols.``, ``treas.``) than a word whose comma was read as a full stop.
COMMON_ZIPF = 3.0


def full_stop_for_comma(text: str, lex: Lexicon) -> list[Proposal]:
    """``their devotion to Lenin and Stalin. were an inspiration`` -> ``Stalin, were``: a full stop
    between a word and a lower-case word goes on the sentence, so it was printed as a comma.

    Only between words the lexicon knows: in a language it does not know, a full stop
    before a small letter may be that language's usage. Never after an abbreviation: a listed
    one, a word without vowels (``yds.``), or a word neither common nor used in the document's own
    running text (``dols.``)."""
    pat = regex.compile(r"(?<=\b(\p{L}{4,})[)\"”]?)\.(?= (\p{Ll}{2,})\b)")
    out = []
    for m in pat.finditer(text):
        word = m.group(1)
        if word.lower() in ABBREVIATIONS or word.isupper() or not regex.search(r"[aeiouy]", word.lower()):
            continue
        if lex.zipf(word) < COMMON_ZIPF and len(regex.findall(rf"\b{word}\b(?!\.)", text)) < 2:
            continue
        if not lex.attested(word) or m.group(2).lower() not in lex.dictionary:
            continue
        out.append(Proposal(m.start(), m.end(), ",", "full-stop-for-comma", 0.6))
    return out


#: Common words that no elision produces: a single quote glued to their front is dirt
#: (``back 'into``), while before other words it may be an elision (``'tis``, ``'shun``).
COMMON_AFTER_STRAY_QUOTE = COMMON_FUNCTION_WORDS | frozenset("into f".split())


#: A word clipped by an elision drops at most this many letters at its end (``tho'``, ``thro'``).
CLIPPED_TAIL = 3
#: ... and stands for a word this much commoner (Zipf) than the clipped form read as a word.
CLIPPED_MARGIN = 0.5


def clipped_word(word: str, lex: Lexicon) -> bool:
    """Whether ``word`` read with an apostrophe after it is an elision: the start of a much commoner
    word that goes on for at most ``CLIPPED_TAIL`` letters (``tho'`` for though, ``thro'`` for
    through, ``wi'`` for with), as against a word whose quote is dirt (``Japan'``: Japanese is no
    commoner)."""
    low = word.lower()
    floor = lex.zipf(low) + CLIPPED_MARGIN
    words = _sorted_words(lex)
    k = bisect.bisect_right(words, low)
    while k < len(words) and words[k].startswith(low):
        if len(words[k]) - len(low) <= CLIPPED_TAIL and words[k].isalpha() and lex.zipf(words[k]) >= floor:
            return True
        k += 1
    return False


_SORTED: dict[int, list[str]] = {}


def _sorted_words(lex: Lexicon) -> list[str]:
    """The curated dictionary's words, sorted (for prefix look-ups), one list per dictionary."""
    key = id(lex.dictionary)
    if key not in _SORTED or len(_SORTED[key]) != len(lex.dictionary):
        _SORTED.clear()
        _SORTED[key] = sorted(lex.dictionary)
    return _SORTED[key]


def stray_single_quotes(text: str, lex: Lexicon) -> list[Proposal]:
    """A single quote that opens or closes nothing: ``back 'into Manchuria``, ``Japan' was``.

    Only in a paragraph with no other single quote used as a quotation mark (a closing one may
    follow a stop: ``'It isn't over.'``), and never an elision (``'tis``, ``tho'``: see
    :func:`clipped_word`), a plural possessive (``atamans'``), a dropped g (``goin'``) or a quote
    before a capital (a quotation's first word)."""
    out: list[Proposal] = []
    pos = 0
    for para in text.split("\n\n"):
        opening = list(regex.finditer(r"(?<=^|[\s(\"“])'(?=\p{L})", para))
        closing = list(regex.finditer(r"(?<=[\p{L}.,;:!?])'(?=[\s,.;:!?)\"”]|$)", para))
        if len(opening) + len(closing) == 1:
            m = (opening or closing)[0]
            if opening:
                word = regex.match(r"\p{L}+", para[m.end():])
                ok = word is not None and word.group().islower() and word.group() in COMMON_AFTER_STRAY_QUOTE
            else:
                word = regex.search(r"\p{L}+$", para[:m.start()])
                ok = word is not None and len(word.group()) >= 3 and not word.group().lower().endswith(
                    ("s", "in")) and not clipped_word(word.group(), lex)
            if ok:
                out.append(Proposal(pos + m.start(), pos + m.end(), "", "stray-single-quote", 0.7))
        pos += len(para) + 2
    return out


def stray_hyphen_before_word(text: str) -> list[Proposal]:
    """``The -japanese`` -> ``The japanese``, ``to -help`` -> ``to help``: a hyphen glued to the
    front of a word right after an article or preposition, where no dash can stand. Not before a lone letter:
    ``the -v flag``, ``with -d`` are command-line options."""
    pat = regex.compile(r"(?<=\b(?i:the|an?|to|of|from|with) )-(?=\p{L}{2})")
    return [Proposal(m.start(), m.end(), "", "stray-hyphen-before-word", 0.75) for m in pat.finditer(text)]


def spaced_possessive(text: str) -> list[Proposal]:
    """``Kolchak 's agents`` -> ``Kolchak's agents``."""
    pat = regex.compile(r"(?<=\p{L}) (?=['’]s\b)")
    return [Proposal(m.start(), m.end(), "", "spaced-possessive", 0.85) for m in pat.finditer(text)]


def apostrophe_in_number(text: str) -> list[Proposal]:
    """``over 3'75 miles`` -> ``375``: an apostrophe between digits is a speck on the page when
    the digits after it can be neither inches (``5'10``) nor minutes or seconds (``51°30'26"``),
    i.e. they make 60 or more, and no second or inch mark follows."""
    return [Proposal(m.start(), m.start() + 1, "", "apostrophe-in-number", 0.8)
            for m in regex.finditer(r"(?<=\d)['’](\d+)(?![\d\"'’”″])", text) if int(m.group(1)) >= 60]


def lone_zero(text: str) -> list[Proposal]:
    """``26 0 miles`` -> ``260 miles``: a lone 0 after a number of two or three digits, before a
    counted plural, is that number's last digit (scores ``3 0`` and times ``10 0 clock`` stay)."""
    return [Proposal(m.start(), m.end(), "", "split-number-zero", 0.75)
            for m in regex.finditer(r"(?<=(?<![\d,.])\b\d{2,3}) (?=0 \p{Ll}{2,}s\b)", text)]


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


def ellipsis_spacing(text: str) -> list[Proposal]:
    """``night. . .. In`` -> ``night. . . . In``: an ellipsis whose dots are spaced unevenly takes
    the form the document uses for its even ones (spaced ``. . .`` unless it prints ``...``)."""
    runs = list(regex.finditer(r"(?<=\p{L})\.(?: ?\.){2,}", text))
    solid = sum(1 for m in runs if " " not in m.group())
    spaced = sum(1 for m in runs if ".." not in m.group())
    out = []
    for m in runs:
        if " " in m.group() and ".." in m.group():
            dots = m.group().count(".")
            form = "." * dots if solid > spaced else " ".join("." * dots)
            out.append(Proposal(m.start(), m.end(), form, "ellipsis-spacing", 0.85))
    return out


def parenthesis_spacing(text: str) -> list[Proposal]:
    """``( March, 1921)`` -> ``(March, 1921)``: a space after an opening parenthesis whose closing
    side is tight. Spaced on both sides (``( a )``) is a convention where the document spaces at
    least as many parentheses as it closes tight, and is then left alone. A space before a closing
    parenthesis is left: there it often stands for a lost mark (``(s )`` for ``(s.)``)."""
    pairs = list(regex.finditer(r"\(( *)([^()\n]*?[^()\s])( *)\)", text))
    tight = sum(1 for m in pairs if not m.group(1) and not m.group(3))
    both = sum(1 for m in pairs if m.group(1) and m.group(3))
    return [Proposal(m.start(1), m.end(1), "", "space-after-open-parenthesis", 0.85) for m in pairs
            if m.group(1) and (not m.group(3) or both < tight)]


def initialism_stops(text: str) -> list[Proposal]:
    """``YM.C.A.`` -> ``Y.M.C.A.``, ``U.S .A.`` -> ``U.S.A.``: in a run of single capitals that
    already carries full stops (two at least, one of them between letters), one missing stop is
    restored and a space before a stop closed up. Runs without such stops (``NATO``, ``U.S. ARMY``,
    ``J. R. Smith``) stay."""
    out = []
    pat = regex.compile(r"(?<![\p{L}\d.])\p{Lu}(?:(?:\.| \.)?\p{Lu})+\.?(?![\p{L}\d])")
    for m in pat.finditer(text):
        seps = regex.findall(r"(?<=\p{Lu})(\.| \.|)(?=\p{Lu})", m.group())
        stops = sum(1 for x in seps if x) + m.group().endswith(".")
        if stops < 2 or not any(seps) or seps.count("") > 1 or all(x == "." for x in seps):
            continue  # a word in capitals with one stop (``COM.MISSION``) is no initialism
        letters = regex.findall(r"\p{Lu}", m.group())
        form = ".".join(letters) + ("." if m.group().endswith(".") else "")
        out.append(Proposal(m.start(), m.end(), form, "initialism-stops", 0.8))
    return out


#: Share of its lower-case words that a text must spell the early modern way (``sweare``,
#: ``vnto``) to count as following early modern conventions, such as a capital after a comma.
EARLY_SHARE = 0.02


def early_modern(text: str, lex: Lexicon) -> bool:
    """Whether the text spells as English did before about 1700 (``sweare``, ``vnto``): at least
    :data:`EARLY_SHARE` of its lower-case words of four letters or more are such variants
    (:func:`pipeline.lexicon.early_modern_share`)."""
    return early_modern_share(text, lex, 4) >= EARLY_SHARE


#: Capitalised words taken for a sentence's first word before a word in small letters (:func:`comma_for_full_stop`,
#: :func:`lost_full_stop`): mid-sentence they are written small.
SENTENCE_OPENERS = "The|He|She|They|We|It|There|This|These|Those"
#: Verbs after which a comma may open reported speech with a capital (``saying, It was``).
SAYING = frozenset("""said saying says say asked asking replied answered added cried wrote writes exclaimed
remarked continued declared stated thought""".split())


def comma_for_full_stop(text: str, lex: Lexicon) -> list[Proposal]:
    """``at noon, The mayor came`` -> ``noon. The mayor``: a comma before a capitalized pronoun or
    determiner that is followed by a small letter ends a sentence; mid-sentence these words are
    not capitalized (titles, ``the paper, The Times``, capitalize the next word too; speech after
    ``said,`` may open with a capital). Early modern
    printing capitalizes after commas (``I sweare, He put``), so not in a text spelled that way."""
    pat = regex.compile(rf"(?<=\b\p{{Ll}}{{2,}}),(?= (?:{SENTENCE_OPENERS}) \p{{Ll}})")
    found = [m for m in pat.finditer(text) if _word_before(text, m.start()) not in SAYING]
    if not found or early_modern(text, lex):
        return []
    return [Proposal(m.start(), m.end(), ".", "comma-for-full-stop", 0.7) for m in found]


#: Words a sentence does not end on: articles and possessives, prepositions, conjunctions, auxiliaries, subject and
#: relative pronouns (``the``, ``of``, ``and``, ``was``, ``he``, ``which``); a capital after one opens no sentence.
UNFINISHED = NEEDS_COMPLEMENT | SAYING | frozenset("""and or nor but that than if when while because although though
whether unless until since into onto upon unto about after before under over through between among against during
without within towards toward is are was were be been being am has have had do does did will would shall should can
could may might must i he she we they you who whom whose which what this these those""".split())
#: The place of a lost stop: after a word in small letters, before white space, a sentence opener and a small letter.
LOST_STOP = regex.compile(rf"(?<=\b(\p{{Ll}}{{2,}}))(?=\s({SENTENCE_OPENERS}) \p{{Ll}})")


def lost_stop_places(text: str) -> Iterator[regex.Match[str]]:
    """The :data:`LOST_STOP` places of ``text`` where the word before may end a sentence: not one of
    :data:`UNFINISHED` (``of The``, ``that It``), nor a word English writes straight before the opener's small form
    (PMI at least :data:`CONTINUOUS_PMI`, :func:`~pipeline.correction.wordmodel.association`). Group 1 is the word
    before, group 2 the opener (the match itself is empty, at the end of the word before)."""
    from pipeline.correction.wordmodel import association

    for m in LOST_STOP.finditer(text):
        before = m.group(1)
        if before in UNFINISHED:
            continue
        pmi = association(before, m.group(2).lower())
        if pmi is not None and pmi >= CONTINUOUS_PMI:
            continue
        yield m


def lost_full_stop(text: str, lex: Lexicon) -> list[Proposal]:
    """``a rocky coast was seen ahead It was Ardnamurchan`` -> ``ahead. It was``: a full stop the scan lost (faint
    stops are common in newspaper OCR). A pronoun, determiner or ``There`` with a capital, then a word in small
    letters, after a word in small letters that a sentence may end on (:func:`lost_stop_places`: not ``of The``,
    ``that It``), opens a sentence; mid-sentence these words are written small (a title capitalises the word
    after it too: ``read The Times``). Not in a text spelled the early modern way, which capitalises freely
    (``for He is``). A printed line that opens with the capital is weighed in :func:`_line_openings_kept` (verse
    opens every line so). :func:`run` asks for it only in a text the corrector judges noisy (a clean print loses
    no stops: there the capital is a title's or God's ``He``)."""
    out = [Proposal(m.start(), m.start(), ".", "lost-full-stop", 0.6) for m in lost_stop_places(text)]
    if not out or early_modern(text, lex):
        return []
    return out


def _word_before(text: str, pos: int) -> str:
    """The run of letters that ends at ``pos``, lower-cased ("" when a non-letter precedes ``pos``)."""
    found = regex.search(r"\p{L}+$", text[:pos])
    return found.group().lower() if found else ""


def lost_prefix_hyphen(text: str, lex: Lexicon) -> list[Proposal]:
    """``a selfstyled ruler`` -> ``self-styled``: a token that is no word but is a prefix English
    hyphenates followed by a word English knows lost its hyphen."""
    out = []
    prefixes = "|".join(HYPHENATED_PREFIXES)
    for m in regex.finditer(rf"(?<![\p{{L}}\-])(?i:({prefixes}))(\p{{Ll}}{{3,}})(?![\p{{L}}\-])", text):
        word = m.group()
        if lex.is_word(word) or lex.corpus_count(word) >= 2 or not lex.attested(m.group(2)):
            continue
        out.append(Proposal(m.end(1), m.end(1), "-", "lost-prefix-hyphen", 0.7))
    return out


#: Personal pronouns: run into the next word, they lost a space far more often than a dash (``youtill``).
PERSONAL_PRONOUNS = frozenset("i me he him she it we us they them you".split())
#: Words that may end a phrase before a dash (``And then—disaster!``, ``It was—``): the commonest function words
#: but those that need a complement and the personal pronouns.
BEFORE_DASH = COMMON_FUNCTION_WORDS - NEEDS_COMPLEMENT - PERSONAL_PRONOUNS
#: The word after a lost dash is at least this common (zipf) and this long.
AFTER_DASH_ZIPF = 3.0
AFTER_DASH_LEN = 3


def lost_dash(text: str, lex: Lexicon) -> list[Proposal]:
    """``And thendisaster!`` -> ``then—disaster``: a token in small letters (a capitalised one is likelier a
    name: ``Norford``) no source knows that is a function word which may
    end a phrase (:data:`BEFORE_DASH`: ``then``, ``and``, ``was``; not ``the``, ``of``) run into a common
    word, with a pair English does not write as a run (the bigram list lacks it: a lost space would leave a
    pair it knows, which the spacing stage splits), lost the em dash between them."""
    out = []
    for m in regex.finditer(r"(?<![\p{L}\d'’\-—])\p{Ll}{7,}(?![\p{L}\d'’\-—])", text):
        word = m.group()
        low = word.lower()
        if lex.is_word(word) or lex.attested(word) or lex.corpus_count(word) >= 2:
            continue
        for k in range(1, len(low) - AFTER_DASH_LEN + 1):
            left, right = low[:k], low[k:]
            if (left in BEFORE_DASH and len(right) >= AFTER_DASH_LEN and right in lex.dictionary
                    and lex.zipf(right) >= AFTER_DASH_ZIPF and not lex.bigram(left, right)):
                out.append(Proposal(m.start() + k, m.start() + k, "\u2014", "lost-dash", 0.7))
                break
    return out


def stop_inside_word(text: str, lex: Lexicon) -> list[Proposal]:
    """``sto.red`` -> ``stored``: a full stop or comma between small letters, where the two sides
    together make a dictionary word and one side alone is none, is a speck (``e.g.``, ``i.e.``,
    ``a.m.`` and ``end.then`` are not joined)."""
    out = []
    for m in regex.finditer(r"(?<=(?<![\p{L}.])(\p{Ll}+))[.,](?=(\p{Ll}+)(?![\p{L}.]))", text):
        left, right = m.group(1), m.group(2)
        joined = left + right
        if len(joined) < 4 or joined not in lex.dictionary:
            continue
        if left in lex.dictionary and right in lex.dictionary:
            continue
        out.append(Proposal(m.start(), m.end(), "", "stop-inside-word", 0.75))
    return out


#: A full stop between two words in small letters, with nothing of an address, a path or a number around it.
STOP_BETWEEN_WORDS = regex.compile(r"(?<![\p{L}\d.'’@/\\_])(\p{Ll}{2,})\.(\p{Ll}{2,})(?![\p{L}\d.'’@/\\_(])")


#: The word before a stop read for a space must be this common (zipf): a rarer one is as likely an abbreviation
#: whose space after the stop was lost (``esq.of``, ``rev.gentleman``, ``prox.when``).
SPACE_STOP_LEFT_ZIPF = 4.5
#: The word after it must have this many letters: shorter ones follow abbreviations (``viz.the``, ``etc.and``,
#: ``no.of``) and end host names (``nature.com``, ``archive.org``) as often as they follow a speck.
SPACE_STOP_RIGHT_MIN = 4


def stop_for_space(text: str, lex: Lexicon) -> list[Proposal]:
    """``have.flooded`` -> ``have flooded``: a full stop between two words in small letters that together make no
    word: a speck the scan read where the space was (a stop before a small letter ends no sentence). The word
    before is a common word (:data:`SPACE_STOP_LEFT_ZIPF`) with a vowel, and no abbreviation
    (:data:`ABBREVIATIONS`: ``art.``, ``sec.``); the word after a dictionary word of
    :data:`SPACE_STOP_RIGHT_MIN` letters or more. :func:`run` asks for it only in a text the corrector judges
    noisy: in a clean one ``self.value`` and ``notes.txt`` are names of code and files. Where the joined letters
    make a word (``sto.red``) the stop is :func:`stop_inside_word`'s."""
    out = []
    for m in STOP_BETWEEN_WORDS.finditer(text):
        left, right = m.group(1), m.group(2)
        if (lex.zipf(left) >= SPACE_STOP_LEFT_ZIPF and any(c in "aeiouy" for c in left) and left not in ABBREVIATIONS
                and len(right) >= SPACE_STOP_RIGHT_MIN and right in lex.dictionary
                and (left + right) not in lex.dictionary):
            out.append(Proposal(m.end(1), m.start(2), " ", "stop-for-space", 0.7))
    return out


def space_after_mark(text: str, lex: Lexicon) -> list[Proposal]:
    """``session.Objections`` -> ``session. Objections``, ``fire,Then`` -> ``fire, Then``: a stop or another
    mark between a word and a capitalised word, with the space after it lost. Both sides must be words
    (``e.g.The`` and ``U.S.Army`` are left to the abbreviation they are; ``Ph.D`` has no small letters after)."""
    out = []
    for m in GLUED_MARK.finditer(text, overlapped=True):
        left, right = m.group(1), m.group(3)
        if len(left) > 1 and (lex.attested(left) or lex.zipf(left) >= 5.0) and lex.attested(right):
            out.append(Proposal(m.start(2), m.end(2), m.group(2) + " ", "space-after-mark", 0.85))
    return out


#: A word ending in a small letter, a mark, then a capitalised word, with no space.
GLUED_MARK = regex.compile(r"(?<![\p{L}.'’])(\p{L}*\p{Ll})([.,;:!?])(\p{Lu}\p{Ll}+)(?![\p{L}.])")


#: Rules of the text alone; :func:`space_before_closing` runs only where :func:`spurious_spacing` holds.
RULES: tuple[Callable[[str], list[Proposal]], ...] = (
    stray_mark_before_word, stray_comma_between_words, quote_spacing,
    stray_apostrophe, number_spacing, mark_after_article, isolated_symbol,
    stray_hyphen_before_word, spaced_possessive, apostrophe_in_number, lone_zero,
    backslash_v, quote_glued_between_words, ellipsis_spacing, parenthesis_spacing, initialism_stops,
    exclamation_read_as_letter,
)

LEXICON_RULES: tuple[Callable[[str, Lexicon], list[Proposal]], ...] = (
    full_stop_for_comma, em_dash, exclamation_read_as_i, lost_prefix_hyphen, stop_inside_word, lost_dash,
    comma_for_full_stop, space_after_mark, stray_single_quotes, speck_at_word_edge,
)
