"""The edit model: proposals in current-text coordinates, pieces that tile the original."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document, EditKind, Proposal

TEXT = st.text(alphabet="ab -\n", max_size=30)


@st.composite
def proposals_for(draw: st.DrawFn, text: str) -> list[Proposal]:
    out = []
    for _ in range(draw(st.integers(0, 5))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 4)))
        kind = draw(st.sampled_from(["correction", "correction", "fw"]))
        replacement = "" if kind == "fw" else draw(st.sampled_from(["", "X", "YY", " "]))
        out.append(Proposal(a, b, replacement, "r", kind=kind))
    return out


def expected(text: str, proposals: list[Proposal]) -> str:
    """The text with the proposals that do not overlap an earlier one applied (the documented rule)."""
    accepted: list[Proposal] = []
    last = -1
    for p in sorted(proposals, key=lambda p: (p.start, p.end)):
        if p.start < last or (p.start == last == p.end and accepted and accepted[-1].start == accepted[-1].end):
            continue
        accepted.append(p)
        last = p.end
    for p in reversed(accepted):
        text = text[:p.start] + p.replacement + text[p.end:]
    return text


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_first_batch_gives_the_expected_text(data: st.DataObject) -> None:
    original = data.draw(TEXT)
    proposals = data.draw(proposals_for(original))
    doc = Document(original)
    doc.apply("s", proposals)
    doc.check()
    assert doc.text == expected(original, proposals)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_later_batches_keep_the_pieces_tiling_the_original(data: st.DataObject) -> None:
    original = data.draw(TEXT)
    doc = Document(original)
    for stage in range(4):
        doc.apply(f"s{stage}", data.draw(proposals_for(doc.text)))
        doc.check()
        assert "".join(doc.original[p.src_start:p.src_end] for p in doc.pieces) == original
    for edit in doc.edits:
        assert doc.original[edit.start:edit.end] == edit.source


def test_edit_spans_point_into_the_original() -> None:
    doc = Document("th e ba nks\n13\nof")
    doc.apply("layout", [Proposal(12, 14, "", "page-number", kind="fw")])
    doc.apply("spacing", [Proposal(0, 4, "the", "rejoin"), Proposal(5, 11, "banks", "rejoin")])
    assert doc.text == "the banks\n\nof"
    spans = [(e.rule, e.source, e.after) for e in doc.edits]
    assert spans == [("page-number", "13", ""), ("rejoin", "th e", "the"), ("rejoin", "ba nks", "banks")]


def test_an_edit_across_removed_furniture_keeps_it() -> None:
    """A word rejoined across a page number: the page number stays a piece of its own."""
    doc = Document("be-\n20\ncame")
    doc.apply("layout", [Proposal(4, 6, "", "page-number", kind="fw")])
    assert doc.text == "be-\n\ncame"
    doc.apply("hyphenation", [Proposal(2, 5, "", "join")])
    assert doc.text == "became"
    kinds = [(p.edit.kind if p.edit else None, doc.original[p.src_start:p.src_end]) for p in doc.pieces]
    assert ("fw", "20") in kinds
    doc.check()


def test_stable_ids() -> None:
    first, second = Document("a b c"), Document("a b c")
    for doc in (first, second):
        doc.apply("s", [Proposal(1, 2, "", "r"), Proposal(3, 4, "", "r")])
    assert [e.id for e in first.edits] == [e.id for e in second.edits]
    assert len({e.id for e in first.edits}) == 2


def test_suggestions_are_recorded_not_applied() -> None:
    doc = Document("shaU")
    doc.suggest("characters", [Proposal(0, 4, "shall", "r", 0.3)])
    assert doc.text == "shaU"
    assert [(e.after, e.applied) for e in doc.edits] == [("shall", False)]


def test_segments_locate_every_piece_in_both_texts() -> None:
    """segments(): consecutive current-text spans covering the text, each over its piece's original span."""
    doc = Document("Tbe cat\n12\nsat.")
    doc.apply("t", [Proposal(0, 3, "The", "r"), Proposal(7, 11, " ", "join", kind=EditKind.JOIN)])
    segments = doc.segments()
    assert [(s.start, s.end) for s in segments] == [(0, 3), (3, 7), (7, 8), (8, 12)]
    assert "".join(doc.text[s.start:s.end] for s in segments) == doc.text == "The cat sat."
    for seg in segments:
        assert doc.text[seg.start:seg.end] == seg.text
        if seg.edit is None:
            assert doc.original[seg.src_start:seg.src_end] == seg.text
    assert segments[2].edit is not None and segments[2].edit.kind == EditKind.JOIN == "join"
    assert doc.original[segments[2].src_start:segments[2].src_end] == "\n12\n"


def test_edit_kinds_are_their_strings_in_every_record() -> None:
    doc = Document("a b")
    doc.apply("t", [Proposal(1, 2, "", "r", kind=EditKind.NOISE)])
    record = doc.edits[0].to_dict()
    assert record["kind"] == "noise" and json.dumps(record["kind"]) == '"noise"' and f"{EditKind.NOISE}" == "noise"
