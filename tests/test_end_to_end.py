"""The whole path on the corpus in raw/: outputs, committed cleaned/, determinism, idempotence."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.api import clean_bytes
from pipeline.batch import render_all, run_folder

RAW = ROOT / "raw"
CLEANED = ROOT / "cleaned"
STEMS = sorted(p.stem for p in RAW.glob("*.txt"))


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cleaned")
    results = run_folder(RAW, out, report=True)  # as `ocrclean run raw cleaned` does
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return out


def test_corpus_is_in_raw() -> None:
    assert STEMS == ["frus-1938-kirk-despatch", "gse-dairen-conference", "gse-portsmouth-treaty",
                     "japanese-intervention-pamphlet"]


def test_run_writes_every_output(fresh_run: Path) -> None:
    for stem in STEMS:
        for suffix in (".txt", ".tei.xml", ".edits.jsonl", ".jsonl"):
            assert (fresh_run / f"{stem}{suffix}").stat().st_size > 0, stem + suffix
    manifest = json.loads((fresh_run / "manifest.json").read_text())
    assert [f["file"] for f in manifest["files"]] == [s + ".txt" for s in STEMS]
    assert manifest["failed"] == 0
    assert all(len(f["sha256"]) == 64 and f["encoding"] == "utf-8" for f in manifest["files"])


def test_committed_cleaned_is_current(fresh_run: Path) -> None:
    """cleaned/ must be exactly what `ocrclean run raw cleaned` writes with this code."""
    def files(folder: Path) -> list[str]:
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                      if p.is_file() and not p.name.startswith("."))

    committed, produced = files(CLEANED), files(fresh_run)
    assert committed == produced, "cleaned/ lists other files than a fresh run: run `ocrclean run raw cleaned`"
    for name in produced:
        new, old = (fresh_run / name).read_bytes(), (CLEANED / name).read_bytes()
        # the manifest too: it holds no timings, and its keys carry the code's fingerprint, so a fresh
        # clone's `ocrclean run raw cleaned` skips every document and leaves the clone clean
        assert new == old, f"cleaned/{name} is stale: run `ocrclean run raw cleaned`"


def test_pamphlet_body_has_no_furniture(fresh_run: Path) -> None:
    body = (fresh_run / "japanese-intervention-pamphlet.txt").read_text()
    record = json.loads((fresh_run / "japanese-intervention-pamphlet.jsonl").read_text())
    assert "\n\n" in body and not body.startswith(" ")
    assert not any(line.strip().isdigit() for line in body.splitlines()), "a page number is left in the body"
    assert ">I<" not in body and " *\n" not in body
    assert record["notes"] and record["captions"]
    for note in record["notes"]:
        assert note not in body


def test_despatch_page_markers_and_end_notes(fresh_run: Path) -> None:
    body = (fresh_run / "frus-1938-kirk-despatch.txt").read_text()
    record = json.loads((fresh_run / "frus-1938-kirk-despatch.jsonl").read_text())
    assert "[Page" not in body
    assert "Not printed." not in body
    # the numbered notes printed at the end (``  1. Not printed.``) are its notes, in order, each as printed
    raw = (RAW / "frus-1938-kirk-despatch.txt").read_text()
    printed = [m.group(1) for m in re.finditer(r"(?m)^  \d+\. (.+)$", raw)]
    assert printed and record["notes"] == printed
    assert "July 14, 1938, regarding" in body, "the glued note number 5 after '1938,' stays in the body"
    paragraphs = body.split("\n\n")
    assert any(p.startswith("Oppression\u201d of Japanese Concessionaires") for p in paragraphs), \
        "a line ending in a note reference (telegrams.6) still ends its paragraph"


@pytest.mark.parametrize("stem", STEMS)
def test_deterministic(stem: str) -> None:
    data = (RAW / f"{stem}.txt").read_bytes()
    first = render_all(clean_bytes(data, f"{stem}.txt"), data, f"{stem}.txt")
    second = render_all(clean_bytes(data, f"{stem}.txt"), data, f"{stem}.txt")
    assert first == second


@pytest.mark.parametrize("stem", STEMS)
def test_idempotent(stem: str, fresh_run: Path) -> None:
    """Cleaning clean text changes nothing."""
    cleaned = (fresh_run / f"{stem}.txt").read_bytes()
    again = render_all(clean_bytes(cleaned, "again.txt"), cleaned, "again.txt")["again.txt"]
    assert again.decode() == cleaned.decode()


def test_python_m_pipeline_runs(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("th e ba nks of th e Amur\n")
    out = subprocess.run([sys.executable, "-m", "pipeline", "clean", str(src)], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout == "the banks of the Amur\n"


def test_repairs_inside_notes_are_recorded(fresh_run: Path) -> None:
    """A note's word repairs are edits too, tied to the note they were made in."""
    edits = [json.loads(line) for line in
             (fresh_run / "japanese-intervention-pamphlet.edits.jsonl").read_text().splitlines()]
    in_notes = [e for e in edits if e.get("item", "").startswith("note")]
    assert in_notes, "no edit recorded inside a note"
    assert any(e["before"] != e["after"] and e["applied"] for e in in_notes)
    assert len({e["id"] for e in edits}) == len(edits), "edit ids must be unique"
