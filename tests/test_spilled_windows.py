"""A long input's finished windows spilled to disk (``clean_bytes(..., spill=True)``): the exports read them
back one window at a time and give the same bytes as the document stitched in memory."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

import pipeline.api as api
from pipeline.api import clean_bytes
from pipeline.batch import render_all
from pipeline.document import Document, SpilledDocument, Stitcher, WindowStore
from pipeline.export.jsonl import page_count
from pipeline.tei import restore_bytes

ROOT = Path(__file__).resolve().parents[1]


def _notes_and_names() -> bytes:
    """Pages with page numbers, a running head, footnotes with marks, hyphens, OCR errors and names."""
    pages = []
    for k in range(1, 19):
        pages.append(
            f"THE HARBOUR BOARD\n\nThe steamer arrived at tho wharf on Tuesday, and the passen-\n"
            f"gers were landed without delay.* Mr. Gladstone and Lord Palmerston met at Vladivostok\n"
            f"to widen the road betwcen the two bridges before the winter.\n\n"
            f"A meeting of shareholders will be held on Friday next at the office\nof the company.\n\n"
            f"* A note at the foot of page {k}.\n\n{k}\n\n")
    return "".join(pages).encode("utf-8")


INPUTS = {
    "notes": (_notes_and_names(), 1500),
    "pamphlet": ((ROOT / "raw" / "japanese-intervention-pamphlet.txt").read_bytes()[:40_000], 6000),
    "one-line": (b" ".join([b"The steamer arrived at tho wharf and the passengers were landed."] * 400), 5000),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_spilled_windows_export_the_bytes_of_the_document_in_memory(name: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data, size = INPUTS[name]
    monkeypatch.setattr(api, "WINDOW_CHARS", size)
    whole = clean_bytes(data, f"{name}.txt")
    spilled = clean_bytes(data, f"{name}.txt", spill=True)
    assert isinstance(spilled, SpilledDocument) and not isinstance(whole, SpilledDocument)
    windows = list(spilled.windows())
    assert len(windows) >= 3
    assert render_all(spilled, data, f"{name}.txt") == render_all(whole, data, f"{name}.txt")
    assert spilled.spilled  # the exports read it window by window, never loading it whole
    assert spilled.edits_by_stage() == whole.edits_by_stage()
    assert spilled.suggestion_count() == sum(1 for e in whole.edits if not e.applied)
    assert spilled.text_length() == len(whole.text)
    assert page_count(spilled) == page_count(whole)
    assert restore_bytes(render_all(spilled, data, f"{name}.txt")[f"{name}.tei.xml"]) == data
    # loaded on demand, it is the document in memory
    assert [e.to_dict() for e in spilled.edits] == [e.to_dict() for e in whole.edits]
    assert spilled.text == whole.text and not spilled.spilled
    spilled.check()


def test_notes_are_placed_in_their_own_window(monkeypatch: pytest.MonkeyPatch) -> None:
    data, size = INPUTS["notes"]
    monkeypatch.setattr(api, "WINDOW_CHARS", size)
    spilled = clean_bytes(data, "notes.txt", spill=True)
    assert spilled.notes and sum(len(w.notes) for w in spilled.windows()) == len(spilled.notes)
    by_window = [set(w.notes) for w in spilled.windows()]
    for window, notes in zip(spilled.windows(), by_window, strict=True):
        # every note removal and anchor of a window names one of that window's notes
        named = {e.item for e in window.edits if e.kind in ("note", "anchor") and e.item}
        assert named <= notes


def test_a_spilling_stitcher_holds_no_window() -> None:
    text = "".join(f"Paragraph {k} of the text.\n\n" for k in range(400))
    stitcher = Stitcher("x.txt", original=text, spill=True)
    for start, end in api.windows(text, 1000):
        part = Document(text[start:end], name="x.txt", offset=start)
        part.apply("layout", [])
        stitcher.add(part)
        assert not stitcher._pieces and not stitcher.doc._edits  # nothing of the windows in memory
    doc = stitcher.finish()
    assert isinstance(doc, SpilledDocument) and doc.spilled
    assert "".join(doc.text_parts()) == text and len(list(doc.windows())) == len(api.windows(text, 1000))


def test_a_window_store_keeps_a_piece_pointing_to_its_edit() -> None:
    doc = Document("tho cat\n")
    from pipeline.document import Proposal, Window

    doc.apply("characters", [Proposal(0, 3, "the", "r")])
    store = WindowStore()
    store.append(Window(doc.pieces, doc.edits, []))
    store.append(Window(doc.pieces, doc.edits, ["note1"]))
    first, second = list(store)
    assert first.pieces[0].edit is first.edits[0] and second.notes == ["note1"]
    assert [e.to_dict() for e in second.edits] == [e.to_dict() for e in doc.edits]
    # read interleaved, each step still gets its own record
    a, b = iter(store), iter(store)
    assert next(a).notes == [] and next(b).notes == [] and next(a).notes == ["note1"]
    store.close()
    del store
    gc.collect()
    assert pickle.loads(pickle.dumps(first.edits))[0].after == "the"


@pytest.mark.parametrize("data", [
    b"",
    b"One line only.",
    "Quotes \" and \\ back\tslash,\x0c form feed; caf\u00e9 \u2014 \u00e6.\n\nSecond paragraph.\n".encode(),
    b"A bad byte \xff here and there.\n\nNext paragraph " + b"with words. " * 3000,
])
def test_the_streamed_record_is_the_record_line(data: bytes) -> None:
    import io

    from pipeline.export.jsonl import to_jsonl_line, write_jsonl_record

    doc = clean_bytes(data, "x.txt")
    sink = io.BytesIO()
    write_jsonl_record(doc, sink, source_name="x.txt", sha256="0" * 64)
    assert sink.getvalue() == to_jsonl_line(doc, source_name="x.txt", sha256="0" * 64).encode("utf-8")


def test_the_tei_writer_holds_one_window_of_edits_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.tei import writer as tei_writer

    data, size = INPUTS["pamphlet"]
    monkeypatch.setattr(api, "WINDOW_CHARS", size)
    spilled = clean_bytes(data, "p.txt", spill=True)
    held: list[int] = []
    real = tei_writer._Writer._enter

    def enter(self):  # type: ignore[no-untyped-def]
        real(self)
        held.append(len(self.edit_ids) + len(self.edits_by_id))

    monkeypatch.setattr(tei_writer._Writer, "_enter", enter)
    tei_writer.to_tei(spilled)
    windows = list(spilled.windows())
    largest = max(len({id(p.edit) for p in w.pieces if p.edit}) + len({e.id for e in w.edits}) for w in windows)
    total = sum(len(w.edits) for w in windows)
    assert len(held) == len(windows) + 1  # each window taken up in turn, then none
    assert max(held) == largest < total / 2
