"""The rule table: every rule each stage can record, by name, in one place.

A rule name is what an edit records (``Edit.rule``), what ``--disable STAGE/RULE`` and the config
file's ``disabled`` switch off (:func:`pipeline.stages.check_disabled`), and what the TEI header
declares. A stage that gains a rule adds its name here; ``tests/test_golden.py`` fails when a rule
string of a stage's source is missing from the table, or when a rule of the table has no golden
case in ``tests/data/golden/<stage>.tsv``.
"""

from __future__ import annotations

#: Rule names by stage, in the order of the stages (decode runs first and cannot be switched off).
RULES: dict[str, tuple[str, ...]] = {
    "decode": (
        "undecodable-byte", "cp1252-byte", "mojibake", "xml-forbidden-character", "c1-control-character",
        "line-ending", "ligature", "long-s", "soft-hyphen-in-word",
    ),
    "layout": (
        # removed from the body: page furniture, notes, captions, noise
        "page-number", "page-marker", "glued-page-number", "running-head", "section-numeral",
        "footnote", "numbered-footnote", "end-note", "note-anchor", "orphan-note-mark", "stray-line-mark",
        "caption", "ornamental-divider", "lone-letter", "scanner-noise", "noise-after-line-end-hyphen",
        # corrections of the lines themselves
        "drop-capital", "roman-heading-numeral",
        # what each line break becomes: a join or a paragraph break
        "line-join", "line-join-broken-word", "line-join-before-punctuation", "line-join-closing-mark",
        "line-join-across-blank-line",
        "heading", "heading-continued", "section-break", "list-item", "blank-line", "blank-line-after-short-line",
        "very-short-line-ends-sentence", "short-line-ends-sentence", "line-is-paragraph",
        # whitespace around the body
        "leading-space", "trailing-space", "furniture-only", "empty", "window-seam",
    ),
    "hyphenation": (
        "join-broken-word", "join-soft-hyphen", "join-broken-word-in-line", "join-word-broken-at-page",
        "close-spaced-hyphen", "compound-capitals", "compound-prefix", "compound-in-corpus", "compound-of-words",
        "compound-of-word-pair",
    ),
    "spacing": ("split-glued-word", "rejoin-split-word", "respace-words"),
    "characters": (
        "noisy-channel", "letter-shape-confusion", "garbled-split-word", "strokes-read-as-digits",
        "bracket-read-as-J", "digit-read-for-letter", "digit-letter-in-date", "digit-letter-in-year",
        "letter-in-number", "digit-one-for-pronoun", "letter-l-for-pronoun", "mark-read-for-letter",
        "proper-adjective-case", "cropped-first-letter", "dropped-letters", "split-garble", "colon-for-apostrophe",
        "title-before-name", "hyphen-inside-word", "garble-read-whole",
    ),
    "punctuation": (
        "space-before-punctuation", "comma-before-space", "stray-mark-before-word", "stray-comma",
        "space-after-open-quote", "space-before-close-quote", "stray-apostrophe",
        "hyphen-for-em-dash", "split-number", "split-year", "exclamation-read-as-I", "comma-after-article",
        "full-stop-after-function-word", "isolated-symbol", "full-stop-for-comma", "stray-single-quote",
        "stray-hyphen-before-word", "spaced-possessive", "apostrophe-in-number", "split-number-zero",
        "backslash-V-for-W", "quote-glued-between-words", "ellipsis-spacing", "space-after-open-parenthesis",
        "initialism-stops", "comma-for-full-stop", "lost-prefix-hyphen", "stop-inside-word", "space-after-mark",
        "exclamation-read-as-letter", "lost-dash", "speck-at-word-edge", "lost-full-stop", "stop-for-space",
    ),
    "names": (
        "known-spelling", "romanization", "romanization-variant", "derived-form", "cue", "document-context",
        "word-in-context", "near-match", "ambiguous", "other-person",
    ),
}

__all__ = ["RULES"]
