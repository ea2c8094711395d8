"""Long inputs are cleaned in windows and stitched into one document (bounded transient memory)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline.api as api
from pipeline.api import clean_bytes, windows
from pipeline.batch import render_all
from pipeline.tei import restore_bytes

ROOT = Path(__file__).resolve().parents[1]


def test_windows_tile_the_text_and_cut_at_paragraphs() -> None:
    text = "".join(f"Paragraph {k} has a few words in it.\nAnd a second line.\n\n" for k in range(200))
    spans = windows(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(end - start <= 1000 for start, end in spans)
    assert all(text[end - 2:end] == "\n\n" for _, end in spans[:-1])  # each window ends a paragraph


def test_windows_of_one_long_line_and_of_one_long_word() -> None:
    line = " ".join(["word"] * 3000)
    spans = windows(line, 1000)
    assert all(line[end - 1] == " " for _, end in spans[:-1])
    run = "x" * 2500
    assert windows(run, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]
    assert windows("short", 1000) == [(0, 5)]


def _long_document() -> bytes:
    """Pages with page numbers, a running head, a footnote, line-end hyphens and OCR errors."""
    pages = []
    for k in range(1, 25):
        pages.append(
            f"THE HARBOUR BOARD\n\nThe steamer arrived at tho wharf on Tuesday, and the passen-\n"
            f"gers were landed without delay.* The Council resolved to widen\nthe road betwcen the "
            f"two bridges before the winter.\n\nA meeting of shareholders will be held on Friday next "
            f"at the office\nof the company, when the report for the year will be read.\n\n"
            f"* A note at the foot of page {k}.\n\n{k}\n\n")
    return "".join(pages).encode("utf-8")


def test_a_long_document_is_cleaned_in_windows_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _long_document()
    whole = clean_bytes(data, "long.txt")
    monkeypatch.setattr(api, "WINDOW_CHARS", 2000)
    assert len(windows(data.decode(), 2000)) >= 4
    doc = clean_bytes(data, "long.txt")
    doc.check()  # the stitched pieces tile the whole original
    assert doc.original == data.decode()
    for edit in doc.edits:
        assert edit.source == doc.original[edit.start:edit.end]
    assert len({e.id for e in doc.edits}) == len(doc.edits)
    assert len({n.id for n in doc.notes}) == len(doc.notes) == len(whole.notes)
    # the same reading words as cleaning it whole (running heads, page numbers, notes lifted out and
    # hyphens joined alike); only a paragraph that runs on over a page break at a seam stays apart there
    assert " ".join(doc.paragraphs()).split() == " ".join(whole.paragraphs()).split()
    seams = len(windows(doc.original, 2000)) - 1
    assert len(whole.paragraphs()) <= len(doc.paragraphs()) <= len(whole.paragraphs()) + seams
    outputs = render_all(doc, data, "long.txt")
    assert restore_bytes(outputs["long.tei.xml"]) == data
    edits = [json.loads(line) for line in outputs["long.edits.jsonl"].decode().splitlines()]
    assert {e["id"] for e in edits} >= {e.id for e in doc.edits}


def test_stitched_tei_is_valid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, validate_tei: Callable) -> None:
    monkeypatch.setattr(api, "WINDOW_CHARS", 1500)
    data = _long_document()
    tei = tmp_path / "long.tei.xml"
    tei.write_bytes(render_all(clean_bytes(data, "long.txt"), data, "long.txt")["long.tei.xml"])
    done = validate_tei([tei])
    assert done.returncode == 0, done.stdout[:2000]


def test_a_window_seam_inside_a_paragraph_keeps_the_paragraphs_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # no blank lines at all: windows end at line ends; the seams must not glue words together
    data = ("\n".join(f"Line {k} of a long letter that never breaks its paragraph." for k in range(300))
            + "\n").encode()
    monkeypatch.setattr(api, "WINDOW_CHARS", 3000)
    doc = clean_bytes(data, "letter.txt")
    doc.check()
    assert "paragraph.Line" not in doc.text and "paragraphLine" not in doc.text
    assert restore_bytes(render_all(doc, data, "letter.txt")["letter.tei.xml"]) == data


def test_a_single_long_line_gets_no_paragraph_break_at_a_seam(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (" ".join(["The harbour was quiet and the ships lay at anchor."] * 200) + "\n").encode()
    monkeypatch.setattr(api, "WINDOW_CHARS", 2500)
    doc = clean_bytes(data, "line.txt")
    doc.check()
    assert len(doc.paragraphs()) == 1
    assert "anchor.The" not in doc.text and "  " not in doc.text
    assert restore_bytes(render_all(doc, data, "line.txt")["line.tei.xml"]) == data
