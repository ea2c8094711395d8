"""Outputs written as they are made (issue 9, bounded memory): the TEI block by block with lxml's
incremental writer, the edits file and the txt a few lines at a time. The bytes must equal those of the
outputs made in one piece; what is held meanwhile must not grow with the document (counted in
elements of the TEI tree, and in Python memory with tracemalloc; no timing)."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from test_bounds import PAMPHLET, repeated

from pipeline.api import Config, clean_bytes, clean_text
from pipeline.document import Document
from pipeline.export.jsonl import edits_jsonl, write_edits_jsonl
from pipeline.export.registry import EXPORTERS, Source, render, write_format
from pipeline.export.txt import to_txt, write_txt
from pipeline.restore import restore_bytes
from pipeline.tei import writer as tei_writer
from pipeline.tei.writer import to_tei, write_tei

ROOT = Path(__file__).resolve().parents[1]
RAW = sorted((ROOT / "raw").glob("*.txt"))


@pytest.fixture(scope="module")
def pamphlet() -> Document:
    """A slice of the pamphlet with headings, page furniture, names, joins and corrections."""
    doc = clean_text(PAMPHLET.read_text(encoding="utf-8")[:20_000], Config())
    kinds = {e.kind for e in doc.edits}
    assert {"name", "fw", "join", "parbreak", "correction"} <= kinds
    assert "head" in {b.kind for b in doc.blocks}
    return doc


@pytest.mark.parametrize("path", RAW, ids=[p.stem for p in RAW])
def test_streamed_tei_equals_the_tei_built_in_one_piece(path: Path) -> None:
    data = path.read_bytes()
    doc = clean_bytes(data, path.name)
    whole = to_tei(doc, source_name=path.name, version="0", stream=False)
    sink = io.BytesIO()
    write_tei(doc, sink, source_name=path.name, version="0")
    assert sink.getvalue() == whole
    assert restore_bytes(whole) == data


def test_streamed_tei_of_a_long_document_equals_the_one_piece_tei(pamphlet: Document) -> None:
    big = repeated(pamphlet, 6)
    streamed = to_tei(big)
    assert streamed == to_tei(big, stream=False)
    assert restore_bytes(streamed) == big.original.encode("utf-8")


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "One line.\n", "A\n\nB\n\n\n\nC\n"])
def test_streamed_tei_of_short_and_empty_texts(text: str) -> None:
    doc = clean_text(text, Config())
    assert to_tei(doc) == to_tei(doc, stream=False)


def _largest_tree(doc: Document, monkeypatch: pytest.MonkeyPatch) -> int:
    """The most elements the body's tree holds at once while ``doc``'s TEI is streamed."""
    most = 0
    flush = tei_writer._Writer.flush

    def counting(self: tei_writer._Writer) -> None:
        nonlocal most
        most = max(most, sum(1 for _ in self.body.iter()))
        flush(self)

    monkeypatch.setattr(tei_writer._Writer, "flush", counting)
    write_tei(doc, io.BytesIO())
    monkeypatch.undo()
    return most


def test_streamed_tei_holds_one_block_not_the_document(pamphlet: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two or eight copies of the document (each with the seams between copies), the same largest tree:
    what is held is the largest stretch between two blocks, whatever the length (the tree built whole
    holds every element)."""
    two = _largest_tree(repeated(pamphlet, 2), monkeypatch)
    eight = _largest_tree(repeated(pamphlet, 8), monkeypatch)
    assert two == eight
    whole = tei_writer.etree.fromstring(to_tei(repeated(pamphlet, 8), stream=False))
    assert 20 * eight < sum(1 for _ in whole.iter())


def test_streamed_txt_and_edits_equal_the_one_piece_outputs(pamphlet: Document) -> None:
    big = repeated(pamphlet, 3)
    for write, whole in ((write_txt, to_txt(big)), (write_edits_jsonl, edits_jsonl(big))):
        sink = io.BytesIO()
        write(big, sink)
        assert sink.getvalue() == whole.encode("utf-8")
    source = Source.of("x.txt", big.original.encode("utf-8"))
    for fmt in EXPORTERS:
        sink = io.BytesIO()
        write_format(big, source, fmt, sink)
        assert sink.getvalue() == render(big, source, fmt), fmt


@pytest.mark.parametrize("body", ["", " \n", "a", "a\n\nb", "a\n\n\nb", "\n\n a \n\n\n\n  \n\nb c\n\n", "x\n\n"])
def test_txt_paragraphs_as_split_gives_them(body: str) -> None:
    doc = Document(body)
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    assert to_txt(doc) == ("\n\n".join(paras) + "\n" if paras else "")


def _peak_while(write: object, doc: Document, path: Path) -> int:
    with path.open("wb") as sink:
        tracemalloc.start()
        try:
            write(doc, sink)  # type: ignore[operator]
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak


def test_edits_and_txt_written_to_a_file_hold_a_small_part_of_it(pamphlet: Document, tmp_path: Path) -> None:
    """Written to a file, the edits and the txt of a long document need a small fraction of their size in
    Python memory (made in one piece, the edits file alone is held two or three times over)."""
    big = repeated(pamphlet, 8)
    assert big.text  # the document's own view of its body (joined once, kept by the document)
    for write in (write_edits_jsonl, write_txt):
        path = tmp_path / "out"
        peak = _peak_while(write, big, path)
        size = path.stat().st_size
        assert size > 100_000
        assert peak < size / 5, f"{write.__name__}: {peak} bytes held for {size} written"
    tracemalloc.start()
    try:
        edits_jsonl(big)
        _, whole = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert whole > (tmp_path / "out").stat().st_size  # the measure sees what is held in one piece
