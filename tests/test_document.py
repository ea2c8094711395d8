"""The edit model: proposals in current-text coordinates, pieces that tile the original."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document, Edit, EditKind, Fact, Furniture, Proposal

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


# ---------------------------------------------------------------- typed links and facts
def test_an_item_link_and_facts_are_written_where_the_records_always_had_them() -> None:
    doc = Document("a *\n* A note.\nb-\nc")
    t = doc.text
    doc.apply("layout", [
        Proposal(1, 3, "", "note-anchor", kind=EditKind.ANCHOR, data={}, item="note1"),
        Proposal(t.index("* A"), t.index("* A") + 9, "", "footnote", kind=EditKind.NOTE, item="note1"),
        Proposal(t.index("\nc"), t.index("\nc") + 1, " ", "line-join-broken-word", kind=EditKind.JOIN,
                 facts=frozenset({Fact.BROKEN_WORD})),
    ])
    anchor, note, join = doc.edits
    assert (anchor.item, note.item, join.item) == ("note1", "note1", None)
    assert join.facts == {Fact.BROKEN_WORD} and join.data == {}
    assert [e.to_dict().get("data") for e in doc.edits] == [{"note": "note1"}, {"note": "note1"}, {"broken": True}]
    note.data = dict(note.data, review="accepted")  # a reviewer's mark comes after the link, as before
    assert list(note.to_dict()["data"]) == ["note", "review"]
    caption = Edit("layout", "caption", 0, 1, "a", "a", "", 0.8, EditKind.CAPTION, item="caption2")
    assert caption.to_dict()["data"] == {"caption": "caption2"}


def test_furniture_keeps_its_repairs_in_a_document_of_its_own() -> None:
    item = Furniture(EditKind.NOTE, "note2", "Tbe printed note.", n="*", mark="*")
    assert (item.text, item.edits, item.edit_records()) == ("Tbe printed note.", [], [])
    item.fragment = Document(item.printed)
    item.fragment.apply("characters", [Proposal(0, 3, "The", "noisy-channel", 0.9)])
    assert item.text == "The printed note."
    (edit,) = item.edits
    assert (edit.start, edit.end, edit.source) == (0, 3, "Tbe")  # spans in the text as layout joined it
    (record,) = item.edit_records()
    assert record["id"] == f"note2.{edit.id}" and record["item"] == "note2"
    assert list(record)[-1] == "item" and {k: v for k, v in record.items() if k not in ("id", "item")} == {
        k: v for k, v in edit.to_dict().items() if k != "id"}


def test_layout_links_a_note_to_its_removal_and_anchor_edits() -> None:
    from pipeline.api import clean_text

    doc = clean_text("The squire gave the land for the new school, * and the\nbuilding was begun in the spring by the\n"
                     "\n* He also paid for the roof.\n\nmasons of the town.\n")
    (note,) = doc.notes
    assert isinstance(note, Furniture) and (note.kind, note.n, note.text) == (EditKind.NOTE, "*",
                                                                               "He also paid for the roof.")
    by_id = {e.id: e for e in doc.edits}
    assert note.removals and all(by_id[r].kind == EditKind.NOTE and by_id[r].item == note.id for r in note.removals)
    assert note.anchor is not None and by_id[note.anchor].kind == EditKind.ANCHOR
    assert by_id[note.anchor].item == note.id and by_id[note.anchor].applied


def test_a_line_broken_at_a_page_carries_the_fact_hyphenation_reads() -> None:
    from pipeline.api import clean_text

    doc = clean_text("The travellers were glad to reach the vil27\nlage before the rain began to fall.\n")
    (join,) = [e for e in doc.edits if e.rule == "line-join-broken-word"]
    assert Fact.BROKEN_WORD in join.facts and join.to_dict()["data"] == {"broken": True}
    assert [e.rule for e in doc.edits if e.stage == "hyphenation"] == ["join-word-broken-at-page"]
    assert "the village before" in doc.text


def test_stitched_windows_renumber_their_notes_and_the_edits_naming_them() -> None:
    parts = []
    for k, text in enumerate(["Body one.\n* Nte one.\n\n", "Body two.\n* Nte two.\n"]):
        part = Document(text, offset=0 if k == 0 else 22)
        at = text.index("* N")
        part.apply("layout", [Proposal(at, at + 10, "", "footnote", kind=EditKind.NOTE, item="note1")])
        note = Furniture(EditKind.NOTE, "note1", text[at + 2:at + 10], n="*", removals=[part.edits[0].id])
        note.fragment = Document(note.printed)
        note.fragment.apply("characters", [Proposal(0, 3, "Note", "noisy-channel", 0.9)])
        part.notes = [note]
        parts.append(part)
    doc = Document.stitch(parts)
    assert [(n.id, n.text) for n in doc.notes] == [("note1", "Note one."), ("note2", "Note two.")]
    assert [e.item for e in doc.edits if e.kind == EditKind.NOTE] == ["note1", "note2"]
    assert [r["id"].split(".")[0] for n in doc.notes for r in n.edit_records()] == ["note1", "note2"]
    assert [n.removals == [e.id] for n, e in zip(doc.notes, [e for e in doc.edits if e.kind == EditKind.NOTE])] == [
        True, True]
