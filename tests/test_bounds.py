"""Bounds in the length of a token, of a line and of a document (issue 9, items 1 and 8).

No timing asserts: memory is measured with tracemalloc (Python allocations while one document is
cleaned, the shared resources loaded beforehand) and work by counting the lines of Python the TEI
writer executes. The bounds are generous; what they catch is growth with the square or the cube of a
length, which before these bounds used gigabytes (an 800-letter token: 0.9 GB) or minutes.
"""

from __future__ import annotations

import random
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from pipeline.api import Config, clean_text
from pipeline.document import Document, Piece
from pipeline.restore import restore_bytes

ROOT = Path(__file__).resolve().parents[1]
PAMPHLET = ROOT / "raw" / "japanese-intervention-pamphlet.txt"
MB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """Load the lexicon, the vocabulary index and the stages' resources before anything is measured."""
    clean_text("Tbe quick brown fox jumped ovcr the lazy dog , near Dairen.\n", Config(normalize=False))


def cleaned_peak(text: str) -> tuple[Document, int]:
    """The document cleaned from ``text`` and the peak of Python memory allocated meanwhile (bytes)."""
    tracemalloc.start()
    try:
        doc = clean_text(text, Config(normalize=False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    doc.check()
    return doc, peak


def letters(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def glued_words(n: int, seed: int = 2) -> str:
    """A run of ``n`` characters of real words with no space between them."""
    words = [w for w in PAMPHLET.read_text(encoding="utf-8").split() if w.isalpha() and w.islower()]
    rng = random.Random(seed)
    out = ""
    while len(out) < n:
        out += rng.choice(words)
    return out[:n]


def test_ten_thousand_letter_token_bounded() -> None:
    token = letters(10_000)
    text = f"The word {token} ends here.\n"
    doc, peak = cleaned_peak(text)
    assert peak < 100 * MB, f"{peak / MB:.0f} MB for one 10,000-letter token"
    assert token in doc.text  # too long to be read as a word: left to itself
    from pipeline.export.tei import to_tei

    assert restore_bytes(to_tei(doc)) == text.encode("utf-8")


def test_glued_run_of_real_words_bounded() -> None:
    run = glued_words(2_000)
    doc, peak = cleaned_peak(f"Here is {run} and more.\n")
    assert peak < 100 * MB, f"{peak / MB:.0f} MB for a 2,000-character glued run"
    assert "Here is" in doc.text and "and more." in doc.text


@pytest.mark.parametrize("make", [letters, glued_words], ids=["letters", "glued-words"])
def test_memory_grows_at_most_linearly_with_token_length(make: Any) -> None:
    """Four times the token, at most about four times the memory (quadratic growth would be 16 times)."""
    _, small = cleaned_peak(f"The word {make(2_500)} ends here.\n")
    _, large = cleaned_peak(f"The word {make(10_000)} ends here.\n")
    assert large <= 6 * small + 2 * MB, f"{small / MB:.1f} MB -> {large / MB:.1f} MB"


def test_junk_token_bounded() -> None:
    """Digits and symbols among letters make wildcards; their fillings are bounded per token (a run of such
    tokens is slow, about 0.1 s per token with two wildcards, but its memory does not grow)."""
    rng = random.Random(3)
    token = "".join(rng.choice("abcdefghijklmnop0123456789.,;:-'!?~|£") for _ in range(60))
    doc, peak = cleaned_peak(f"The word {token} ends here.\n")
    assert peak < 200 * MB, f"{peak / MB:.0f} MB"


def test_long_line_bounded() -> None:
    """A book that arrives as one line: memory in proportion to its length."""
    flat = " ".join(PAMPHLET.read_text(encoding="utf-8").split())
    _, small = cleaned_peak(flat[:10_000] + "\n")
    _, large = cleaned_peak(flat[:40_000] + "\n")
    assert large <= 6 * small + 4 * MB, f"{small / MB:.1f} MB -> {large / MB:.1f} MB"


# ------------------------------------------------------------------ TEI export
def repeated(doc: Document, copies: int) -> Document:
    """A document whose original is ``copies`` copies of ``doc``'s, with the same edits in each copy
    (fresh ids): exactly proportional structure, without cleaning the larger text."""
    n = len(doc.original)
    out = Document(doc.original * copies, doc.name, dict(doc.meta))
    pieces: list[Piece] = []
    edits = []
    for c in range(copies):
        made = {}
        for e in doc.edits:
            made[id(e)] = replace(e, start=e.start + c * n, end=e.end + c * n, id=f"{e.id}c{c}", data=dict(e.data))
            edits.append(made[id(e)])
        pieces.extend(Piece(p.src_start + c * n, p.src_end + c * n, p.text,
                            made[id(p.edit)] if p.edit is not None else None) for p in doc.pieces)
    out.pieces, out.edits = pieces, edits
    out.blocks = doc.blocks * copies
    out.stages_run = list(doc.stages_run)
    return out


def export_lines(doc: Document) -> int:
    """Lines of Python executed in pipeline/export while the TEI of ``doc`` is written."""
    from pipeline.export.tei import to_tei

    count = 0
    export_dir = str(ROOT / "pipeline" / "export")

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename.startswith(export_dir) else None

    sys.settrace(trace)
    try:
        to_tei(doc)
    finally:
        sys.settrace(None)
    return count


def test_tei_export_linear() -> None:
    """Four times the document, about four times the work of the TEI writer (it was quadratic:
    1 MB 9 s, 2 MB 35 s, 4 MB 114 s)."""
    text = PAMPHLET.read_text(encoding="utf-8")[:12_000]
    doc = clean_text(text, Config())
    assert any(e.kind == "name" for e in doc.edits) and len(doc.edits) > 50  # names, corrections, joins
    one, four = export_lines(repeated(doc, 1)), export_lines(repeated(doc, 4))
    assert four <= 4.5 * one, f"{one} -> {four} lines for 4 times the document"
    big = repeated(doc, 4)
    from pipeline.export.tei import to_tei

    assert restore_bytes(to_tei(big)) == big.original.encode("utf-8")
