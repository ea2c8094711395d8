"""The HTML report and review data of ``ocrclean run`` in time linear and memory bounded in the document's
length (issue 9): the view is read a window at a time from a spilled document, the JSON and the pages are
written as they are made, a long document's report is cut into parts, and the edit a later edit rewrote is
found through an index, not by a scan of every edit. Operation counts and tracemalloc peaks; no timing."""

from __future__ import annotations

import gc
import json
import math
import random
import re
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

import pipeline.api as api
import pipeline.review.report as report
from pipeline.batch import RunOptions, run_batch
from pipeline.document import SpilledDocument
from pipeline.review.report import PARTS_SUFFIX, render_document, write_document_report
from pipeline.review.view import DocView, Segment, SpanIndex, StreamView, view_of

ROOT = Path(__file__).resolve().parents[1]
#: The committed pamphlet's first 10,000 characters: OCR with page numbers, notes, hyphens and names.
PAMPHLET = (ROOT / "raw" / "japanese-intervention-pamphlet.txt").read_text(encoding="utf-8")[:10_000]


def _brute_covering(spans: dict[str, tuple[int, int]], start: int, end: int) -> str | None:
    """What the report did before the index: scan every span (the smallest holding, the first among equals)."""
    best: tuple[int, str] | None = None
    for edit_id, (lo, hi) in spans.items():
        if lo <= start and end <= hi and (lo < hi or lo == start):
            if best is None or hi - lo < best[0]:
                best = (hi - lo, edit_id)
    return None if best is None else best[1]


def test_span_index_finds_what_a_scan_of_every_span_finds() -> None:
    rng = random.Random(9)
    for _ in range(30):
        spans: dict[str, tuple[int, int]] = {}
        for i in range(rng.randint(0, 60)):
            lo = rng.randint(0, 100)
            spans[f"e{i}"] = (lo, lo + rng.choice([0, 0, 1, 2, 5, 30, 100]))
        index = SpanIndex(spans)
        for _ in range(80):
            start = rng.randint(0, 120)
            end = start + rng.choice([0, 0, 1, 3, 10])
            assert index.covering(start, end) == _brute_covering(spans, start, end), (spans, start, end)


def _tiling(n: int) -> tuple[dict[str, tuple[int, int]], list[tuple[int, int]]]:
    """``n`` final spans as a document's pieces make them (side by side, some empty), and one inner span
    inside each non-empty one."""
    spans: dict[str, tuple[int, int]] = {}
    queries: list[tuple[int, int]] = []
    pos = 0
    for i in range(n):
        width = 0 if i % 7 == 0 else 3 + i % 5
        spans[f"e{i}"] = (pos, pos + width)
        if width:
            queries.append((pos + 1, pos + width - 1))
        pos += width + 2
    return spans, queries


def test_span_index_looks_at_few_spans_per_inner_edit() -> None:
    """A scan of every final edit for every inner one grew with the square of the document (29 s of a
    1 MB run); the index visits O(log n) tree nodes per inner edit where the final spans do not overlap."""
    for n in (1_000, 16_000):
        spans, queries = _tiling(n)
        index = SpanIndex(spans)
        for start, end in queries:
            assert index.covering(start, end) is not None
        per_query = index.probes / len(queries)
        assert per_query <= 2 * (math.log2(n) + 2), f"{per_query:.1f} tree nodes per inner edit for {n} spans"


def _spilled(text: str) -> SpilledDocument:
    doc = api.clean_bytes(text.encode("utf-8"), "long.txt", spill=True)
    assert isinstance(doc, SpilledDocument) and len(list(doc.windows())) > 1
    return doc


def _report_peak(text: str, out: Path) -> tuple[int, dict[str, object]]:
    """tracemalloc's peak (bytes) while the report of ``text`` (cleaned and spilled first) is written."""
    doc = _spilled(text)
    gc.collect()
    tracemalloc.start()
    try:
        summary = write_document_report(StreamView(doc, "long.txt"), out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert doc.spilled, "the report loaded the spilled document whole"
    return peak, summary


def test_report_memory_does_not_grow_with_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """2 against 16 copies of a passage, windows of 2,500 characters, parts of 5,000: the report's traced
    peak is about the same for both (one window and one part at a time): measured 1.2 -> 1.5 MB. Held whole
    (the view, its JSON and one page as strings, as before), it grew with the input: 5.4 -> 42.4 MB."""
    monkeypatch.setattr(api, "WINDOW_CHARS", 2500)
    monkeypatch.setattr(report, "PART_CHARS", 5000)
    _report_peak(PAMPHLET * 2, tmp_path / "warm")  # templates compiled, memo tables filled
    small, _ = _report_peak(PAMPHLET * 2, tmp_path / "small")
    big, summary = _report_peak(PAMPHLET * 16, tmp_path / "big")
    assert big / small < 2.0, f"report peak {big / 1e6:.1f} MB for 16 copies against {small / 1e6:.1f} MB for 2"
    parts = int(summary["parts"])  # type: ignore[call-overload]
    assert parts >= 16
    assert sorted(p.name for p in (tmp_path / "big" / f"long{PARTS_SUFFIX}").iterdir()) == sorted(
        f"{k}.html" for k in range(2, parts + 1))


def test_a_long_report_has_every_edit_in_one_part_and_the_data_of_the_document_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "WINDOW_CHARS", 2500)
    monkeypatch.setattr(report, "PART_CHARS", 4000)
    text = PAMPHLET * 2
    summary = write_document_report(StreamView(_spilled(text), "long.txt"), tmp_path)
    whole = view_of(api.clean_bytes(text.encode("utf-8"), "long.txt"), "long.txt")
    assert (tmp_path / "long.json").read_text(encoding="utf-8") == whole.to_json() + "\n"
    pages = [tmp_path / "long.html", *(tmp_path / f"long{PARTS_SUFFIX}" / f"{k}.html"
                                       for k in range(2, int(summary["parts"]) + 1))]  # type: ignore[call-overload]
    listed: list[str] = []
    for k, page in enumerate(pages, 1):
        html = page.read_text(encoding="utf-8")
        assert f"part {k} of {len(pages)}" in html and "This document is long" in html
        listed += re.findall(r'<tr data-id="([^"]+)"', html)
        assert ("<h2>Changes by rule</h2>" in html) == (k == 1)
    assert sorted(listed) == sorted(str(e["id"]) for e in whole.edits), "each edit in exactly one part"
    assert 'href="long.parts/2.html"' in pages[0].read_text(encoding="utf-8")
    assert 'href="../long.html"' in pages[1].read_text(encoding="utf-8")


def test_a_short_document_keeps_its_one_page(tmp_path: Path) -> None:
    doc = api.clean_bytes(PAMPHLET[:3000].encode("utf-8"), "short.txt")
    summary = write_document_report(StreamView(doc, "short.txt"), tmp_path)
    assert "parts" not in summary
    assert (tmp_path / "short.html").read_text(encoding="utf-8") == render_document(view_of(doc, "short.txt"))
    assert "This document is long" not in (tmp_path / "short.html").read_text(encoding="utf-8")


def test_run_lists_the_parts_and_removes_those_a_shorter_input_no_longer_has(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "WINDOW_CHARS", 2500)
    monkeypatch.setattr(report, "PART_CHARS", 4000)
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "long.txt").write_text(PAMPHLET * 2, encoding="utf-8")
    options = RunOptions(workers=1, report=True)
    [result] = run_batch(raw, out, options=options).results
    parts = int(result.review["parts"])
    assert parts >= 3
    expected = {"report/long.html", "report/long.json", *(f"report/long.parts/{k}.html" for k in range(2, parts + 1))}
    assert expected <= set(result.outputs)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert expected <= set(manifest["files"][0]["outputs"])
    index = (out / "report" / "index.htm").read_text(encoding="utf-8")
    assert f"({parts} parts)" in index

    (raw / "long.txt").write_text(PAMPHLET[:3000], encoding="utf-8")
    [result] = run_batch(raw, out, options=options).results
    assert "parts" not in result.review
    assert not (out / "report" / "long.parts").exists(), "parts of the longer input left behind"


def _record(edit_id: str, start: int, end: int, state: str, kind: str = "correction", **extra: Any) -> dict[str, Any]:
    return {"id": edit_id, "stage": "characters", "rule": "corrector", "kind": kind, "start": start, "end": end,
            "source": "x", "before": "x", "after": "y", "confidence": 0.9, "applied": state != "suggested",
            "state": state, **extra}


def _decision(edit_id: str) -> dict[str, Any]:
    return {"doc": "doc", "edit": edit_id, "decision": "accept", "status": "applied", "reason": "",
            "stage": "characters", "rule": "corrector", "source": "x", "after": "y", "scope": "edit", "count": 0}


def _links(page: Path) -> dict[str, list[str]]:
    """The ``#c-`` links of a report page by the text of the link (an edit id)."""
    found: dict[str, list[str]] = {}
    for href, text in re.findall(r'<a href="([^"]*#c-[^"]*)">([^<]+)</a>', page.read_text(encoding="utf-8")):
        found.setdefault(text, []).append(href)
    return found


def test_links_to_an_edit_point_at_the_part_that_holds_its_anchor(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 3 characters: E1 (two segments) is anchored in part 1; E2, inside it, starts in part 2 and
    links to E1 there; part 1's decisions link to E3 and P (a paragraph break, anchored in the scan's column)
    in part 3, and name without a link an edit that has no anchor (R, rejected)."""
    monkeypatch.setattr(report, "PART_CHARS", 3)
    original = "aaaa bbbb\n\ncc dd"
    segments = [Segment(0, 5, "AAAA ", "E1"), Segment(5, 9, "BBBB", "E1"), Segment(9, 11, "\n\n", "P"),
                Segment(11, 13, "cc"), Segment(13, 16, " DD", "E3")]
    edits = [_record("E1", 0, 9, "final"), _record("E2", 5, 9, "inner", covered_by="E1"),
             _record("P", 9, 11, "final", kind="parbreak"), _record("E3", 13, 16, "final"),
             _record("R", 14, 16, "rejected")]
    view = DocView("doc.txt", original, segments, edits)
    summary = write_document_report(view, tmp_path, [_decision(e) for e in ("E1", "E3", "P", "R")])
    assert summary["parts"] == 3
    first, second, third = tmp_path / "doc.html", tmp_path / "doc.parts" / "2.html", tmp_path / "doc.parts" / "3.html"
    assert 'id="c-E1"' in first.read_text() and 'id="c-P"' in third.read_text() and 'id="c-E3"' in third.read_text()
    assert _links(first) == {"E1": ["#c-E1", "#c-E1"], "E3": ["doc.parts/3.html#c-E3"], "P": ["doc.parts/3.html#c-P"]}
    assert "<td>R</td>" in first.read_text(), "a decision about an edit with no anchor is named, not linked"
    assert _links(second) == {"E1": ["../doc.html#c-E1"]}  # E2's row: "(by E1)"
    assert _links(third) == {"P": ["#c-P"], "E3": ["#c-E3"]}


def test_every_link_of_a_long_report_reaches_its_anchor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pamphlet in windows of 2,500 characters and parts of 300 (about 35): every ``#c-`` link of every
    part, the decisions' included, names a page and an anchor on it; some lead to another part."""
    monkeypatch.setattr(api, "WINDOW_CHARS", 2500)
    monkeypatch.setattr(report, "PART_CHARS", 300)
    doc = _spilled(PAMPHLET)
    finals = [e for w in StreamView(doc, "long.txt").windows() for e in w.edits if e["state"] == "final"]
    decisions = [_decision(str(e["id"])) for e in finals[::25]]
    summary = write_document_report(StreamView(doc, "long.txt"), tmp_path, decisions)
    pages = [tmp_path / "long.html", *(tmp_path / f"long{PARTS_SUFFIX}" / f"{k}.html"
                                       for k in range(2, int(summary["parts"]) + 1))]
    anchors = {page.resolve(): set(re.findall(r'id="(c-[^"]+)"', page.read_text(encoding="utf-8"))) for page in pages}
    links = elsewhere = 0
    for page in pages:
        for hrefs in _links(page).values():
            for href in hrefs:
                file, _, fragment = href.partition("#")
                target = (page.parent / unquote(file)).resolve() if file else page.resolve()
                assert fragment in anchors.get(target, set()), f"{page.name}: {href} leads nowhere"
                links += 1
                elsewhere += bool(file)
    assert len(pages) > 20 and links > len(finals) and elsewhere >= len(decisions) // 2
