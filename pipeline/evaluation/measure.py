"""Measure how close cleaned text comes to the ground truth, and explain where it misses.

The numbers must agree exactly with the shared reference scorer (``shared/tools/score.py``),
because that is what every claim about the cleaner is checked against:

* both sides are normalised the same way (:func:`normalize_for_scoring`) so that quote and dash
  shapes and line breaking, which the ground truth does not try to reproduce, cost nothing;
* CER is the character Levenshtein distance divided by the number of gold characters, WER the
  same over lists of words; totals are micro averages (edits summed, then divided);
* notes and captions are scored apart from the body: each gold item must be found among the
  items the cleaner put aside (:func:`items_found`);
* conventions of a gold standard that a reading text should not follow can be left out of the
  comparison on both sides (:class:`Conventions`): the ICDAR 2017 gold's printed line-break hyphens
  and spaces before punctuation (the reference's ``icdar`` mode), and hyphenation as a whole for
  the OverProof newspaper gold, which keeps line-end hyphens (its ``overproof`` mode).

The module is a plain API with no command-line code and no dependency on the cleaner: functions
that need to clean take a ``clean`` callable, so the CLI decides which pipeline is measured.

Error analysis follows dinglehopper's idea of one alignment primitive: :func:`aligned_differences`
is built on rapidfuzz's Levenshtein opcodes over the normalised strings, and everything else
(classification, the error report) is derived from its records.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

__all__ = [
    "CAPTIONS_MARKER",
    "HYPHEN_NEUTRAL",
    "ICDAR",
    "PLAIN",
    "Conventions",
    "EvalInfo",
    "read_predictions",
    "scoring_form",
    "ITEM_MAX_CER",
    "LAYOUT_MIN_CHARS",
    "NOTES_MARKER",
    "Cleaner",
    "Difference",
    "DocumentInput",
    "DocumentResult",
    "ErrorExample",
    "ErrorKind",
    "ErrorReport",
    "Evaluation",
    "GoldDoc",
    "GoldSource",
    "IcdarFile",
    "Score",
    "aligned_differences",
    "classify",
    "combine",
    "error_report",
    "evaluate_documents",
    "evaluate_sources",
    "evaluation_errors",
    "format_error_report",
    "format_table",
    "is_icdar_file",
    "is_layout_dir",
    "items_found",
    "load_gold_dir",
    "normalize_for_scoring",
    "parse_gold",
    "read_icdar",
    "read_icdar_file",
    "score",
    "to_json",
]

#: A cleaner as seen by the evaluation: raw text -> (body, notes, captions).
Cleaner = Callable[[str], tuple[str, list[str], list[str]]]

NOTES_MARKER = "=== NOTES ==="
CAPTIONS_MARKER = "=== CAPTIONS ==="

#: A gold note or caption counts as found when its CER against some output item is at most this.
ITEM_MAX_CER = 0.05

#: A difference whose two sides differ in length by more than this is a layout error
#: (a missed note, caption or running head left in the body, or a lost paragraph).
LAYOUT_MIN_CHARS = 25

# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

# Characters whose shape the ground truth does not try to reproduce. The soft hyphen is invisible
# in print, so it is dropped rather than turned into '-'.
_SCORING_TABLE = {
    ord("\u2018"): "'",  # left single quotation mark
    ord("\u2019"): "'",  # right single quotation mark
    ord("\u201c"): '"',  # left double quotation mark
    ord("\u201d"): '"',  # right double quotation mark
    ord("\u2012"): "-",  # figure dash
    ord("\u2013"): "-",  # en dash
    ord("\u2014"): "-",  # em dash
    ord("\u2212"): "-",  # minus sign
    ord("\u00ad"): None,  # soft hyphen
}


def normalize_for_scoring(text: str) -> str:
    """Put ``text`` in the form both sides are compared in.

    NFC first, so that composed and decomposed accents count the same; then curly quotes become
    straight, figure/en/em dashes and the minus sign become ``-``, soft hyphens disappear; last,
    every run of whitespace (line breaks included) becomes one space and the ends are stripped,
    because line and paragraph breaking is layout, not text.

    >>> normalize_for_scoring("\\u201cWe\\u201d \\u2014 they\\n\\n  said\\u00ad ")
    '"We" - they said'
    """
    text = unicodedata.normalize("NFC", text).translate(_SCORING_TABLE)
    # str.split() with no argument splits on exactly the characters that the regex class \s
    # matches (str.isspace), so this is the same collapse as re.sub(r"\s+", " ", ...).strip().
    return " ".join(text.split())


@dataclass(frozen=True)
class Conventions:
    """Conventions of a gold standard that the comparison leaves out, on both sides.

    ``reading_form`` (the ICDAR 2017 gold, reference mode ``icdar``): the gold keeps the printed
    line-break hyphen with the space after it (``com- prises``) and a space before punctuation
    (``name ,``); a reading text joins the one and closes the other, so in the normalised text
    a hyphen followed by whitespace between two word characters (``\\w``: letters, digits, ``_``)
    is removed with the whitespace, and whitespace before ``, . ; : ! ?`` is removed.

    ``hyphen_neutral`` (the OverProof newspaper gold, reference mode ``overproof``): the gold
    keeps each line-end hyphen of the column, so hyphenation is made neutral altogether: every
    ``-`` between two word characters is removed with any whitespace after it
    (``Thorns- hope``, ``Thorns-hope`` and ``Thornshope`` all read ``Thornshope``); then the
    plain normalisation runs again.

    Neither changes the measure's unit: CER is still edits over the characters of the gold in
    this form.
    """

    reading_form: bool = False
    hyphen_neutral: bool = False

    @property
    def name(self) -> str:
        """``plain``, ``icdar``, ``hyphen-neutral`` or ``icdar+hyphen-neutral``."""
        parts = [n for n, on in (("icdar", self.reading_form), ("hyphen-neutral", self.hyphen_neutral)) if on]
        return "+".join(parts) or "plain"


#: Plain scoring: :func:`normalize_for_scoring` only.
PLAIN = Conventions()
#: The ICDAR 2017 gold's printed hyphens and spaces before punctuation do not count.
ICDAR = Conventions(reading_form=True)
#: Hyphens between word characters do not count (OverProof layout).
HYPHEN_NEUTRAL = Conventions(hyphen_neutral=True)

# A printed line-break hyphen: word character, hyphen, whitespace, word character.
_BREAK_HYPHEN_RE = re.compile(r"(?<=\w)-\s+(?=\w)")
# Whitespace in front of a closing punctuation mark.
_SPACE_BEFORE_MARK_RE = re.compile(r"\s+(?=[,.;:!?])")
# Any hyphen between word characters, with the whitespace (if any) after it.
_ANY_HYPHEN_RE = re.compile(r"(?<=\w)-\s*(?=\w)")


def scoring_form(text: str, conventions: Conventions = PLAIN) -> str:
    """``text`` as it is compared under ``conventions``: :func:`normalize_for_scoring`, then the
    removals of :class:`Conventions`, in the order the reference scorer applies them.

    >>> scoring_form("it com- prises a name , and Thorns-hope", ICDAR)
    'it comprises a name, and Thorns-hope'
    >>> scoring_form("Thorns- hope, a well-known place", HYPHEN_NEUTRAL)
    'Thornshope, a wellknown place'
    """
    text = normalize_for_scoring(text)
    if conventions.reading_form:
        text = _BREAK_HYPHEN_RE.sub("", text)
        text = _SPACE_BEFORE_MARK_RE.sub("", text)
    if conventions.hyphen_neutral:
        text = normalize_for_scoring(_ANY_HYPHEN_RE.sub("", text))
    return text


# ---------------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------------


@dataclass
class GoldDoc:
    """A ground-truth document: the body is scored by CER/WER, notes and captions are looked up."""

    body: str
    notes: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


_MARKER_RE = re.compile(r"^[ \t]*(=== NOTES ===|=== CAPTIONS ===)[ \t]*$", re.MULTILINE)


def parse_gold(text: str) -> GoldDoc:
    """Split a ground-truth file into body, notes and captions (see ``gold/CONVENTIONS.md``).

    The body is everything above the first section marker; each non-empty line of a section is
    one item. A text without markers (e.g. the ICDAR gold standard) is all body. The markers are
    recognised on a line of their own, in either order.

    >>> parse_gold("Body.\\n\\n=== NOTES ===\\nA note.\\n\\n=== CAPTIONS ===\\n").notes
    ['A note.']
    """
    matches = list(_MARKER_RE.finditer(text))
    if not matches:
        return GoldDoc(body=text)
    sections: dict[str, list[str]] = {NOTES_MARKER: [], CAPTIONS_MARKER: []}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        lines = text[match.end():end].splitlines()
        sections[match.group(1)].extend(line.strip() for line in lines if line.strip())
    return GoldDoc(body=text[: matches[0].start()], notes=sections[NOTES_MARKER],
                   captions=sections[CAPTIONS_MARKER])


# ---------------------------------------------------------------------------------------------
# ICDAR 2017 post-OCR correction files
# ---------------------------------------------------------------------------------------------

_ICDAR_INPUT = "[OCR_toInput] "
_ICDAR_OCR = "[OCR_aligned] "
_ICDAR_GOLD = "[ GS_aligned] "


@dataclass
class IcdarFile:
    """The three views of an ICDAR 2017 file.

    ``to_input`` is the competition's raw input line. ``ocr`` and ``gold`` come from the aligned
    lines with the positions that have no gold standard (``#``) dropped from both and the gap
    sign ``@`` removed: that ``ocr`` is what the reference scorer gives the cleaner, so it is what
    must be cleaned for the numbers to be comparable.
    """

    to_input: str
    ocr: str
    gold: str


def _icdar_line(lines: Sequence[str], prefix: str, path: Path) -> str:
    """Return the first line starting with the ICDAR tag ``prefix``, without the tag."""
    tag = prefix.rstrip()
    for line in lines:
        if line.startswith(tag):
            return line[len(prefix):]
    raise ValueError(f"{path}: no {tag!r} line; not an ICDAR 2017 file")


def read_icdar_file(path: str | Path) -> IcdarFile:
    """Read an ICDAR 2017 file into its raw input, cleanable OCR and gold texts.

    Text mode with universal newlines matters: the files use CRLF, and a stray ``\\r`` kept at
    the end of an aligned line would be counted as a character.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    ocr_aligned = _icdar_line(lines, _ICDAR_OCR, path)
    gold_aligned = _icdar_line(lines, _ICDAR_GOLD, path)
    try:
        to_input = _icdar_line(lines, _ICDAR_INPUT, path)
    except ValueError:
        to_input = ""
    # The two aligned lines have the same length in well-formed files; like the reference, only
    # the common length is used if they do not.
    kept = [(o, g) for o, g in zip(ocr_aligned, gold_aligned, strict=False) if g != "#"]
    ocr = "".join(o for o, _ in kept).replace("@", "")
    gold = "".join(g for _, g in kept).replace("@", "")
    return IcdarFile(to_input=to_input, ocr=ocr, gold=gold)


def read_icdar(path: str | Path) -> tuple[str, str]:
    """Return ``(ocr_input, gold)`` of an ICDAR 2017 file, exactly as the reference scorer does."""
    icdar = read_icdar_file(path)
    return icdar.ocr, icdar.gold


def is_icdar_file(path: str | Path) -> bool:
    """True when ``path`` is a readable text file containing an ``[OCR_toInput]`` line."""
    path = Path(path)
    try:
        return path.is_file() and _ICDAR_INPUT.rstrip() in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Edit counts of one comparison; rates are derived so that totals can be summed exactly."""

    char_edits: int
    gold_chars: int
    word_edits: int
    gold_words: int

    @property
    def cer(self) -> float:
        """Character error rate; an empty gold divides by 1, as the reference does."""
        return self.char_edits / max(1, self.gold_chars)

    @property
    def wer(self) -> float:
        """Word error rate over whitespace-separated words of the normalised texts."""
        return self.word_edits / max(1, self.gold_words)

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates, JSON ready."""
        return {"cer": self.cer, "wer": self.wer, "char_edits": self.char_edits,
                "gold_chars": self.gold_chars, "word_edits": self.word_edits, "gold_words": self.gold_words}


def score(pred: str, gold: str, conventions: Conventions = PLAIN) -> Score:
    """Score a predicted body against a gold body (bodies only: use ``parse_gold(...).body``).

    Both sides are put in :func:`scoring_form` under ``conventions`` first.

    >>> s = score("abd", "abc"); (s.char_edits, s.gold_chars)
    (1, 3)
    """
    p, g = scoring_form(pred, conventions), scoring_form(gold, conventions)
    p_words, g_words = p.split(), g.split()
    return Score(char_edits=Levenshtein.distance(p, g), gold_chars=len(g),
                 word_edits=Levenshtein.distance(p_words, g_words), gold_words=len(g_words))


def combine(scores: Iterable[Score]) -> Score:
    """Micro average: sum the edits and the gold sizes, so long documents weigh more.

    This is how the reference computes its total; an average of per-document rates would let a
    short page count as much as a long one.
    """
    scores = list(scores)
    return Score(char_edits=sum(s.char_edits for s in scores), gold_chars=sum(s.gold_chars for s in scores),
                 word_edits=sum(s.word_edits for s in scores), gold_words=sum(s.gold_words for s in scores))


# ---------------------------------------------------------------------------------------------
# Notes and captions
# ---------------------------------------------------------------------------------------------


def _item_matches(gold_item: str, output_item: str) -> bool:
    """The rule of :func:`items_found` for one normalised pair."""
    if gold_item == output_item or gold_item in output_item:
        return True
    budget = int(ITEM_MAX_CER * len(gold_item))
    # With score_cutoff rapidfuzz stops early and returns budget + 1 once the budget is exceeded.
    return Levenshtein.distance(gold_item, output_item, score_cutoff=budget) <= budget


def items_found(found: list[str], expected: list[str]) -> list[tuple[str, bool]]:
    """Tell for each expected (gold) note or caption whether the output has it.

    Both sides are normalised with :func:`normalize_for_scoring`. A gold item is found when some
    output item
      * is equal to it, or
      * contains it (the output may keep a reference mark or a trailing page number), or
      * differs from it by at most ``ITEM_MAX_CER`` (5%) of the gold item's characters
        (CER against the whole output item), so that a note with an uncorrected letter or two
        still counts as correctly moved out of the body.
    The character accuracy of notes and captions is not scored beyond that; the question here is
    whether the layout analysis put them aside.

    >>> items_found(["* Lenin, Works, Vol. I."], ["Lenin, Works, Vol. I.", "A caption."])
    [('Lenin, Works, Vol. I.', True), ('A caption.', False)]
    """
    outputs = [normalize_for_scoring(item) for item in found]
    result = []
    for item in expected:
        gold_item = normalize_for_scoring(item)
        result.append((item, any(_item_matches(gold_item, out) for out in outputs)))
    return result


# ---------------------------------------------------------------------------------------------
# Error analysis
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One place where the prediction departs from the gold, in normalised coordinates.

    ``gold`` and ``pred`` are the differing snippets; ``before`` and ``after`` are gold context,
    so that a reader can find the place in the ground truth. ``document`` names where it came from.
    """

    gold: str
    pred: str
    before: str = ""
    after: str = ""
    gold_start: int = 0
    gold_end: int = 0
    pred_start: int = 0
    pred_end: int = 0
    document: str = ""

    @property
    def edits(self) -> int:
        """Edits spent here; over all differences of a pair they add up to ``char_edits``.

        The sub-alignment of an optimal alignment is optimal for its pieces, so the distance of
        the two snippets equals the edits the opcodes spend on them.
        """
        return Levenshtein.distance(self.gold, self.pred)


def aligned_differences(pred: str, gold: str, context: int = 30, document: str = "",
                        conventions: Conventions = PLAIN) -> list[Difference]:
    """List the differences between ``pred`` and ``gold`` in :func:`scoring_form` (``conventions``).

    This is the one alignment primitive of the module: rapidfuzz's Levenshtein opcodes from the
    normalised gold to the normalised prediction. Adjacent non-equal opcodes (e.g. a deletion
    directly followed by a replacement) are merged into one record, because to a reader they are
    one mistake.
    """
    p, g = scoring_form(pred, conventions), scoring_form(gold, conventions)
    differences: list[Difference] = []
    group: list[tuple[int, int, int, int]] = []

    def flush() -> None:
        if not group:
            return
        g1, p1 = group[0][0], group[0][2]
        g2, p2 = group[-1][1], group[-1][3]
        differences.append(Difference(
            gold=g[g1:g2], pred=p[p1:p2], before=g[max(0, g1 - context):g1], after=g[g2:g2 + context],
            gold_start=g1, gold_end=g2, pred_start=p1, pred_end=p2, document=document))
        group.clear()

    for op in Levenshtein.opcodes(g, p):
        if op.tag == "equal":
            flush()
        else:
            group.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    flush()
    return differences


def _without(text: str, drop: Callable[[str], bool]) -> str:
    return "".join(ch for ch in text if not drop(ch))


def _is_punctuation(ch: str) -> bool:
    """Punctuation and symbols (Unicode categories P* and S*): ``.,;:!?"'-~|>£`` and the like."""
    return unicodedata.category(ch)[0] in "PS"


def classify(diff: Difference) -> str:
    """Name the kind of a difference, to tell which stage of the cleaner to look at.

    In order of precedence:
      * ``layout``: the sides differ in length by more than ``LAYOUT_MIN_CHARS`` characters,
        a long insertion or deletion: a note, caption or running head left in the body, or a
        paragraph lost;
      * ``spacing``: the sides differ only in whitespace (split or run-together words);
      * ``hyphenation``: they differ only in ``-`` and whitespace (line-end hyphens, dashes);
      * ``punctuation``: they differ only in punctuation/symbol characters (and whitespace);
      * ``character``: anything else, i.e. letters or digits are wrong.
    """
    gold, pred = diff.gold, diff.pred
    if abs(len(gold) - len(pred)) > LAYOUT_MIN_CHARS:
        return "layout"
    if _without(gold, str.isspace) == _without(pred, str.isspace):
        return "spacing"

    def hyphen_or_space(ch: str) -> bool:
        return ch == "-" or ch.isspace()

    if _without(gold, hyphen_or_space) == _without(pred, hyphen_or_space):
        return "hyphenation"

    def punctuation_or_space(ch: str) -> bool:
        return _is_punctuation(ch) or ch.isspace()

    if _without(gold, punctuation_or_space) == _without(pred, punctuation_or_space):
        return "punctuation"
    return "character"


@dataclass
class ErrorExample:
    """One distinct (gold, pred) difference, with how often it occurred and where it first did."""

    gold: str
    pred: str
    count: int
    before: str
    after: str
    document: str

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "pred": self.pred, "count": self.count, "before": self.before,
                "after": self.after, "document": self.document}


@dataclass
class ErrorKind:
    """All differences of one kind: how many, how many edits they cost, the distinct examples."""

    kind: str
    count: int
    edits: int
    examples: list[ErrorExample]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "count": self.count, "edits": self.edits,
                "examples": [example.to_dict() for example in self.examples]}


@dataclass
class ErrorReport:
    """Error kinds, most frequent first."""

    kinds: list[ErrorKind]

    def to_dict(self) -> dict[str, Any]:
        return {"kinds": [kind.to_dict() for kind in self.kinds]}


def error_report(pairs: Iterable[tuple[str, str]], names: Sequence[str] | None = None,
                 context: int = 30, conventions: Conventions | Sequence[Conventions] = PLAIN) -> ErrorReport:
    """Classify the differences of ``(pred, gold)`` pairs and group them for ``--errors``.

    Identical (gold, pred) snippets of the same kind are counted together, since a rule that
    fixes one fixes all of them; kinds and, within a kind, examples are sorted by count, most
    frequent first (ties keep the order of first occurrence). ``names`` label the pairs so that
    an example can be traced back to its document. ``conventions``: one for all pairs, or one per
    pair (as the documents were scored).
    """
    by_kind: dict[str, dict[tuple[str, str], ErrorExample]] = {}
    counts: dict[str, int] = {}
    edits: dict[str, int] = {}
    for index, (pred, gold) in enumerate(pairs):
        name = names[index] if names is not None else ""
        rule = conventions if isinstance(conventions, Conventions) else conventions[index]
        for diff in aligned_differences(pred, gold, context=context, document=name, conventions=rule):
            kind = classify(diff)
            counts[kind] = counts.get(kind, 0) + 1
            edits[kind] = edits.get(kind, 0) + diff.edits
            examples = by_kind.setdefault(kind, {})
            key = (diff.gold, diff.pred)
            if key in examples:
                examples[key].count += 1
            else:
                examples[key] = ErrorExample(gold=diff.gold, pred=diff.pred, count=1, before=diff.before,
                                             after=diff.after, document=diff.document)
    kinds = [ErrorKind(kind=kind, count=counts[kind], edits=edits[kind],
                       examples=sorted(examples.values(), key=lambda e: -e.count))
             for kind, examples in by_kind.items()]
    kinds.sort(key=lambda k: -k.count)
    return ErrorReport(kinds=kinds)


def format_error_report(report: ErrorReport, max_examples: int = 10) -> str:
    """Readable text of an :class:`ErrorReport`: one block per kind, its commonest examples."""
    if not report.kinds:
        return "no differences"
    lines = []
    for kind in report.kinds:
        lines.append(f"{kind.kind}: {kind.count} differences, {kind.edits} edits")
        for example in kind.examples[:max_examples]:
            where = f" [{example.document}]" if example.document else ""
            lines.append(f"  {example.count:>4} x  gold {example.gold!r} -> pred {example.pred!r}"
                         f"   ...{example.before}[{example.gold}]{example.after}...{where}")
        hidden = len(kind.examples) - max_examples
        if hidden > 0:
            lines.append(f"       ({hidden} more distinct)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Evaluating documents
# ---------------------------------------------------------------------------------------------


@dataclass
class DocumentInput:
    """What is compared for one document: the cleaner's output, the gold and optionally the raw.

    ``gold`` is the ground-truth file text (sections allowed) or an already parsed ``GoldDoc``.
    With ``raw`` the untouched text is scored too, so the table shows what cleaning gained.
    ``conventions`` say which gold conventions do not count (:class:`Conventions`); ``peers`` map
    the name of another corrector to its output for the same document (``None``: it has none,
    scored as empty text, as the reference does), shown side by side with the cleaner.
    """

    name: str
    pred: str
    gold: str | GoldDoc
    notes: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    raw: str | None = None
    conventions: Conventions = PLAIN
    peers: dict[str, str | None] = field(default_factory=dict)


@dataclass
class DocumentResult:
    """Scores of one document."""

    name: str
    score: Score
    raw_score: Score | None
    notes: list[tuple[str, bool]]
    captions: list[tuple[str, bool]]
    conventions: Conventions = PLAIN
    peer_scores: dict[str, Score] = field(default_factory=dict)
    peers_missing: list[str] = field(default_factory=list)

    @property
    def worse_than_raw(self) -> bool:
        """True when cleaning added character errors: the cleaner did harm here."""
        return self.raw_score is not None and self.score.char_edits > self.raw_score.char_edits

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.score.to_dict(),
                "raw": self.raw_score.to_dict() if self.raw_score is not None else None,
                "worse_than_raw": self.worse_than_raw,
                "conventions": self.conventions.name,
                "peers": {name: dict(s.to_dict(), missing=name in self.peers_missing)
                          for name, s in self.peer_scores.items()},
                "notes": [{"text": text, "found": ok} for text, ok in self.notes],
                "captions": [{"text": text, "found": ok} for text, ok in self.captions]}


@dataclass(frozen=True)
class EvalInfo:
    """How the predictions were made, so that a table says what its figures measure.

    ``normalize``: whether the cleaner normalized names (``None``: not known, e.g. outputs read
    from a folder without a ``manifest.json``). ``predictions``: ``"cleaned now"`` or
    ``"read from <folder>"``. ``cleaning``: how the raw side was cleaned (one document at a time,
    or a folder as one collection).
    """

    normalize: bool | None = None
    predictions: str = ""
    cleaning: str = ""

    def names_line(self) -> str:
        """One line on name normalization, comparable with the reference scorer or not."""
        if self.normalize is None:
            return "names: unknown whether normalized (no manifest.json beside the outputs)"
        if self.normalize:
            return ("names: normalized to the authority's form (--normalize); the reference scorer runs "
                    "--no-normalize, so these figures are not comparable with it")
        return ("names: as printed (--no-normalize, as the reference scorer shared/tools/score.py runs); "
                "--normalize scores them normalized")

    def to_dict(self) -> dict[str, Any]:
        return {"normalize": self.normalize, "predictions": self.predictions, "cleaning": self.cleaning}


@dataclass
class Evaluation:
    """Per-document results and their micro-averaged totals."""

    documents: list[DocumentResult]
    info: EvalInfo | None = None
    #: What was compared, document by document (for :func:`evaluation_errors`); not serialised.
    inputs: list[DocumentInput] = field(default_factory=list, repr=False)

    @property
    def total(self) -> Score:
        return combine(doc.score for doc in self.documents)

    @property
    def raw_total(self) -> Score | None:
        """Total of the raw texts, only when every document has one (else it compares other text)."""
        if not self.documents or any(doc.raw_score is None for doc in self.documents):
            return None
        return combine(doc.raw_score for doc in self.documents if doc.raw_score is not None)

    @property
    def cut(self) -> float | None:
        """Share of the raw character errors removed (negative when cleaning made things worse)."""
        raw = self.raw_total
        if raw is None or raw.char_edits == 0:
            return None
        return 1 - self.total.char_edits / raw.char_edits

    @property
    def worse(self) -> list[str]:
        """Names of the documents the cleaner made worse than the raw text."""
        return [doc.name for doc in self.documents if doc.worse_than_raw]

    @property
    def peer_names(self) -> list[str]:
        """Names of the other correctors with output for every document, in order of appearance."""
        names: list[str] = []
        for doc in self.documents:
            names.extend(n for n in doc.peer_scores if n not in names)
        return [n for n in names if all(n in doc.peer_scores for doc in self.documents)]

    def peer_total(self, peer: str) -> Score:
        """Micro-averaged score of the corrector ``peer`` (KeyError if a document lacks it)."""
        return combine(doc.peer_scores[peer] for doc in self.documents)

    def peer_cut(self, peer: str) -> float | None:
        """Share of the raw character errors ``peer`` removed, as :attr:`cut`."""
        raw = self.raw_total
        if raw is None or raw.char_edits == 0:
            return None
        return 1 - self.peer_total(peer).char_edits / raw.char_edits

    def peer_worse(self, peer: str) -> list[str]:
        """Documents ``peer`` made worse than the raw text."""
        return [doc.name for doc in self.documents if doc.raw_score is not None
                and doc.peer_scores[peer].char_edits > doc.raw_score.char_edits]

    @property
    def conventions(self) -> list[str]:
        """The distinct conventions the documents were scored under, in order of appearance."""
        return list(dict.fromkeys(doc.conventions.name for doc in self.documents))

    def _found(self, attr: str) -> tuple[int, int]:
        items = [ok for doc in self.documents for _, ok in getattr(doc, attr)]
        return sum(items), len(items)

    @property
    def notes_found(self) -> tuple[int, int]:
        """(found, expected) gold notes over all documents."""
        return self._found("notes")

    @property
    def captions_found(self) -> tuple[int, int]:
        """(found, expected) gold captions over all documents."""
        return self._found("captions")

    def to_dict(self) -> dict[str, Any]:
        raw_total = self.raw_total
        notes, captions = self.notes_found, self.captions_found
        peers = {}
        for peer in self.peer_names:
            missing = [doc.name for doc in self.documents if peer in doc.peers_missing]
            peers[peer] = {"total": self.peer_total(peer).to_dict(), "cut": self.peer_cut(peer),
                           "files_worse": self.peer_worse(peer) if raw_total is not None else None,
                           "missing": missing}
        return {"settings": {**(self.info.to_dict() if self.info else {}), "conventions": self.conventions},
                "documents": [doc.to_dict() for doc in self.documents],
                "total": self.total.to_dict(),
                "raw_total": raw_total.to_dict() if raw_total is not None else None,
                "cut": self.cut,
                "files_worse": self.worse,
                "peers": peers,
                "notes_found": notes[0], "notes_total": notes[1],
                "captions_found": captions[0], "captions_total": captions[1]}


def evaluate_documents(docs: Iterable[DocumentInput | tuple[Any, ...]], info: EvalInfo | None = None) -> Evaluation:
    """Score each document's body, raw text, peers' outputs, notes and captions.

    Each item is a :class:`DocumentInput` or a tuple of its fields in order:
    ``(name, pred, gold, notes, captions)`` or ``(name, pred, gold, notes, captions, raw)``.
    Bodies are scored under the document's :class:`Conventions`. Notes are looked up among the
    output notes and captions among the output captions, so a footnote taken for a caption counts
    as missed: it would be exported in the wrong place.
    """
    results = []
    inputs = []
    for doc in docs:
        if not isinstance(doc, DocumentInput):
            doc = DocumentInput(*doc)
        inputs.append(doc)
        gold = doc.gold if isinstance(doc.gold, GoldDoc) else parse_gold(doc.gold)
        rule = doc.conventions
        results.append(DocumentResult(
            name=doc.name,
            score=score(doc.pred, gold.body, rule),
            raw_score=score(doc.raw, gold.body, rule) if doc.raw is not None else None,
            notes=items_found(doc.notes, gold.notes),
            captions=items_found(doc.captions, gold.captions),
            conventions=rule,
            peer_scores={name: score(text or "", gold.body, rule) for name, text in doc.peers.items()},
            peers_missing=[name for name, text in doc.peers.items() if text is None]))
    return Evaluation(documents=results, info=info, inputs=inputs)


def evaluation_errors(result: Evaluation, context: int = 30) -> ErrorReport:
    """The :func:`error_report` of the documents of ``result``, each under the conventions it was scored with."""
    bodies = [(doc.pred, doc.gold.body if isinstance(doc.gold, GoldDoc) else parse_gold(doc.gold).body)
              for doc in result.inputs]
    return error_report(bodies, names=[doc.name for doc in result.inputs], context=context,
                        conventions=[doc.conventions for doc in result.inputs])


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


_CONVENTION_TEXT = {
    "plain": "plain (NFC, quotes and dashes unified, whitespace collapsed)",
    "icdar": "ICDAR reading form (printed line-break hyphens `com- prises` and spaces before , . ; : ! ? "
             "do not count; --no-icdar-conventions to count them)",
    "hyphen-neutral": "hyphen-neutral (every hyphen between word characters removed on all sides, "
                      "as the gold keeps line-end hyphens)",
    "icdar+hyphen-neutral": "ICDAR reading form and hyphen-neutral",
}


def format_table(result: Evaluation) -> str:
    """A fixed-width table: one row per document, then the total; rates in percent.

    Columns: CER and WER of the cleaner, CER of the raw text, CER of each peer corrector (when
    every document has its output), character errors left (edit distance to the ground truth)/its characters,
    notes and captions found/expected. Below:
    the share of raw errors removed and the documents made worse (for each peer too), then how
    the figures were made (scoring conventions, names normalized or not).
    """
    peers = result.peer_names
    header = ("document", "CER", "WER", "raw CER", *(f"{p} CER" for p in peers), "errors/chars", "notes",
              "captions")
    rows = []

    def found(items: Sequence[tuple[str, bool]] | tuple[int, int]) -> str:
        if isinstance(items, tuple):
            hits, total = items
        else:
            hits, total = sum(ok for _, ok in items), len(items)
        return f"{hits}/{total}" if total else "-"

    for doc in result.documents:
        raw = doc.raw_score.cer if doc.raw_score is not None else None
        rows.append((doc.name + (" (worse)" if doc.worse_than_raw else ""), _percent(doc.score.cer),
                     _percent(doc.score.wer), _percent(raw), *(_percent(doc.peer_scores[p].cer) for p in peers),
                     f"{doc.score.char_edits}/{doc.score.gold_chars}", found(doc.notes), found(doc.captions)))
    total, raw_total = result.total, result.raw_total
    rows.append(("TOTAL", _percent(total.cer), _percent(total.wer),
                 _percent(raw_total.cer if raw_total is not None else None),
                 *(_percent(result.peer_total(p).cer) for p in peers),
                 f"{total.char_edits}/{total.gold_chars}", found(result.notes_found),
                 found(result.captions_found)))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        numbers = zip(row[1:], widths[1:], strict=True)
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in numbers]
        return "  ".join(cells).rstrip()

    out = [line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)]
    if result.cut is not None:
        out.append(f"raw errors removed: {_percent(result.cut)}; documents made worse: {len(result.worse)}"
                   + (f" ({', '.join(result.worse)})" if result.worse else ""))
        for peer in peers:
            worse = result.peer_worse(peer)
            missing = sum(peer in doc.peers_missing for doc in result.documents)
            out.append(f"{peer}: raw errors removed: {_percent(result.peer_cut(peer))}; documents made worse: "
                       f"{len(worse)}" + (f"; {missing} documents without its output, scored as empty"
                                          if missing else ""))
    if result.documents:
        out.append("scoring: " + "; ".join(_CONVENTION_TEXT.get(c, c) for c in result.conventions))
    if result.info is not None:
        out.append(result.info.names_line())
        if result.info.predictions or result.info.cleaning:
            out.append("predictions: " + ", ".join(x for x in (result.info.predictions, result.info.cleaning) if x))
    return "\n".join(out)


def to_json(result: Evaluation | ErrorReport, indent: int | None = 2) -> str:
    """Serialise an evaluation or error report with ``json.dumps`` (never a text template)."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)


# ---------------------------------------------------------------------------------------------
# Loading ground truth
# ---------------------------------------------------------------------------------------------


@dataclass
class GoldSource:
    """A raw text to clean, the gold it is scored against, and how.

    ``kind``: ``"pamphlet"`` (a raw/gold pair), ``"icdar"`` or ``"overproof"`` (a file of a
    ``raw/`` + ``gold/`` folder). ``path``: the raw file (the ICDAR file itself). ``collection``:
    for the OverProof layout, the ``raw/`` folder the document is cleaned together with (as
    ``ocrclean run`` cleans it, each document having the others as corpus evidence); ``None`` for
    a document cleaned on its own. ``peers``: other correctors' output for the same document
    (folder name -> text, ``None`` when that folder lacks the file).
    """

    name: str
    raw: str
    gold: GoldDoc
    path: Path
    kind: str
    conventions: Conventions = PLAIN
    collection: Path | None = None
    peers: dict[str, str | None] = field(default_factory=dict)


_RAW_SUFFIX, _GOLD_SUFFIX = ".raw.txt", ".gold.txt"
_LAYOUT_RAW, _LAYOUT_GOLD = "raw", "gold"


def _natural_key(name: str) -> list[Any]:
    """Sort ``2.txt`` before ``10.txt``: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _read_text(path: Path) -> str:
    """A UTF-8 text file, or ``ValueError`` in one line."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None


def _pair_source(raw_path: Path, conventions: Conventions) -> GoldSource | None:
    stem = raw_path.name[: -len(_RAW_SUFFIX)]
    gold_path = raw_path.with_name(stem + _GOLD_SUFFIX)
    if not gold_path.is_file():
        return None
    return GoldSource(name=stem, raw=_read_text(raw_path), gold=parse_gold(_read_text(gold_path)), path=raw_path,
                      kind="pamphlet", conventions=conventions)


def _icdar_source(path: Path, conventions: Conventions) -> GoldSource:
    icdar = read_icdar_file(path)
    return GoldSource(name=path.stem, raw=icdar.ocr, gold=GoldDoc(body=icdar.gold), path=path, kind="icdar",
                      conventions=conventions)


def _files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: _natural_key(p.name))


def is_layout_dir(path: str | Path) -> bool:
    """True when ``path`` is a folder with ``raw/`` and ``gold/`` subfolders (the OverProof layout)."""
    path = Path(path)
    return (path / _LAYOUT_RAW).is_dir() and (path / _LAYOUT_GOLD).is_dir()


def _layout_sources(path: Path, reading_form: bool) -> list[GoldSource]:
    """The documents of an OverProof-layout folder: ``raw/NAME`` scored against ``gold/NAME``.

    Every other subfolder holding files of the same names (``overproof/``: OverProof's own
    corrections) is a peer corrector. A raw file without its gold is skipped. Scoring is
    hyphen-neutral, as the reference's ``overproof`` mode, because such gold keeps the
    line-end hyphens of the printed columns.
    """
    raw_dir, gold_dir = path / _LAYOUT_RAW, path / _LAYOUT_GOLD
    peer_dirs = [d for d in sorted(path.iterdir(), key=lambda d: d.name)
                 if d.is_dir() and d.name not in (_LAYOUT_RAW, _LAYOUT_GOLD) and not d.name.startswith(".")]
    conventions = Conventions(reading_form=reading_form, hyphen_neutral=True)
    sources = []
    for raw_path in _files(raw_dir):
        gold_path = gold_dir / raw_path.name
        if not gold_path.is_file():
            continue
        peers = {d.name: (_read_text(d / raw_path.name) if (d / raw_path.name).is_file() else None)
                 for d in peer_dirs}
        sources.append(GoldSource(name=raw_path.stem, raw=_read_text(raw_path),
                                  gold=GoldDoc(body=_read_text(gold_path)), path=raw_path, kind="overproof",
                                  conventions=conventions, collection=raw_dir, peers=peers))
    # a peer folder that shares no file with raw/ is not a corrector's output (e.g. notes, scans)
    used = {name for s in sources for name, text in s.peers.items() if text is not None}
    for source in sources:
        source.peers = {name: text for name, text in source.peers.items() if name in used}
    return sources


def load_gold_dir(path: str | Path, icdar_conventions: bool | None = None) -> list[GoldSource]:
    """Find the scorable documents in ``path`` (a directory, or one file).

    Three layouts are recognised:

    * ``<stem>.raw.txt`` with ``<stem>.gold.txt`` (the pamphlet ground truth; a raw file without
      its gold is skipped, its gold may be held out);
    * ICDAR 2017 files, i.e. any other file containing an ``[OCR_toInput]`` line (these two may be
      mixed in one folder);
    * a folder with ``raw/`` and ``gold/`` subfolders of same-named files, optionally with peer
      folders such as ``overproof/`` (the OverProof evaluation data), scored hyphen-neutral.

    ``icdar_conventions``: ``None`` (default) leaves the ICDAR gold's printed line-break hyphens
    and spaces before punctuation out of the comparison for ICDAR files only, as the reference
    scorer's ``icdar`` mode does; ``True`` does it for every document, ``False`` for none.
    Documents come back in natural name order. Raises ``ValueError`` when nothing is found, so
    that a mistyped path cannot produce an empty, perfect-looking score.
    """
    path = Path(path)
    if path.is_dir() and is_layout_dir(path):
        sources = _layout_sources(path, reading_form=bool(icdar_conventions))
        if not sources:
            raise ValueError(f"{path}: raw/ and gold/ share no file name")
        return sources
    if path.is_file():
        candidates = [path]
    elif path.is_dir():
        candidates = _files(path)
    else:
        raise ValueError(f"{path}: no such file or directory")
    pair_rule = ICDAR if icdar_conventions else PLAIN
    icdar_rule = PLAIN if icdar_conventions is False else ICDAR
    sources = []
    for candidate in candidates:
        if candidate.name.endswith(_RAW_SUFFIX):
            source = _pair_source(candidate, pair_rule)
            if source is not None:
                sources.append(source)
        elif candidate.name.endswith(_GOLD_SUFFIX):
            continue
        elif is_icdar_file(candidate):
            sources.append(_icdar_source(candidate, icdar_rule))
    if not sources:
        raise ValueError(f"{path}: no <stem>.raw.txt + <stem>.gold.txt pairs, no ICDAR 2017 files and no "
                         "raw/ + gold/ subfolders")
    sources.sort(key=lambda s: _natural_key(s.name))
    return sources


def _input(source: GoldSource, pred: str, notes: Sequence[str], captions: Sequence[str]) -> DocumentInput:
    return DocumentInput(name=source.name, pred=pred, gold=source.gold, notes=list(notes), captions=list(captions),
                         raw=source.raw, conventions=source.conventions, peers=dict(source.peers))


def evaluate_sources(sources: Iterable[GoldSource], clean: Cleaner, info: EvalInfo | None = None) -> Evaluation:
    """Clean every source with ``clean`` and evaluate the output against its gold, raw included.

    Each source is cleaned on its own; :mod:`pipeline.evaluation.runner` cleans a collection
    together, as the reference does for the OverProof layout.
    """
    docs = []
    for source in sources:
        body, notes, captions = clean(source.raw)
        docs.append(_input(source, body, notes, captions))
    return evaluate_documents(docs, info)


def _prediction_file(pred_dir: Path, source: GoldSource) -> Path:
    """The output for ``source`` in ``pred_dir``: ``<name>.txt``, or ``<name>.raw.txt`` as ``ocrclean run``
    names the output of ``<name>.raw.txt``; ``ValueError`` if there is none, or both differ."""
    names = [source.name + ".txt"]
    if source.path.name.endswith(_RAW_SUFFIX):
        names.append(source.path.name)  # <stem>.raw.txt: what `ocrclean run` writes for it
    found = [pred_dir / n for n in names if (pred_dir / n).is_file()]
    if not found:
        raise ValueError(f"{pred_dir / names[0]}: no such file (expected the output for {source.name}"
                         + (f", or {names[1]}" if len(names) > 1 else "") + ")")
    if len(found) > 1 and found[0].read_bytes() != found[1].read_bytes():
        raise ValueError(f"{pred_dir}: both {found[0].name} and {found[1].name} exist and differ; "
                         f"which is the output for {source.name}? remove one")
    return found[0]


def _run_normalize(pred_dir: Path) -> bool | None:
    """Whether the run that wrote ``pred_dir`` normalized names, from its ``manifest.json``."""
    try:
        manifest = json.loads((pred_dir / "manifest.json").read_text(encoding="utf-8"))
        value = manifest["config"]["normalize"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, bool) else None


def read_predictions(sources: Sequence[GoldSource], pred_dir: str | Path) -> Evaluation:
    """Evaluate outputs already written to ``pred_dir`` (by ``ocrclean run`` or any other tool).

    For each source the body is ``<name>.txt`` or, as ``ocrclean run`` names the output of an
    input ``<name>.raw.txt``, ``<name>.raw.txt``; notes and captions come from the ``.jsonl``
    record beside it when there is one. Whether names were normalized is read from the run's
    ``manifest.json`` (unknown without it). Raises ``ValueError`` (one line) for a missing
    folder or output, or an unreadable record.
    """
    pred_dir = Path(pred_dir)
    if not pred_dir.is_dir():
        raise ValueError(f"{pred_dir}: no such folder")
    docs = []
    for source in sources:
        txt = _prediction_file(pred_dir, source)
        notes: list[str] = []
        captions: list[str] = []
        record = txt.with_name(txt.name[: -len(".txt")] + ".jsonl")
        if record.is_file():
            try:
                data = json.loads(_read_text(record).splitlines()[0])
                notes, captions = [str(n) for n in data.get("notes", [])], [str(c) for c in data.get("captions", [])]
            except (ValueError, IndexError, AttributeError):
                raise ValueError(f"{record}: not a JSONL record of ocrclean") from None
        docs.append(_input(source, _read_text(txt), notes, captions))
    info = EvalInfo(normalize=_run_normalize(pred_dir), predictions=f"read from {pred_dir}")
    return evaluate_documents(docs, info)
