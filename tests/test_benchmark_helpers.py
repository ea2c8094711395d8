"""The corpus builders of the benchmark scripts (``benchmarks/batch.py``, ``benchmarks/report_scale.py``):
one builder, given the files to repeat."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import batch, report_scale


def test_build_file_repeats_the_given_files_cut_at_a_line_end(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"alpha one\nalpha two\n\n\n")
    b.write_bytes(b"beta\n")
    out = tmp_path / "long.txt"
    written = batch.build_file(out, 60 / 1e6, [a, b])
    blob = out.read_bytes()
    assert written == len(blob) == 54
    assert blob == b"alpha one\nalpha two\n\nbeta\n\nalpha one\nalpha two\n\nbeta\n\n"
    with pytest.raises(SystemExit, match="no source files"):
        batch.build_file(out, 1e-4, [])


def test_report_scale_builds_its_source_with_the_batch_helper(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[float, list[Path]]] = []

    def fake(path: Path, megabytes: float, files: list[Path] | None = None) -> int:
        calls.append((megabytes, list(files or [])))
        return 0

    monkeypatch.setattr(report_scale, "build_file", fake)
    report_scale.build_source(tmp_path / "long.txt", 0.5)
    assert len(calls) == 1 and calls[0][0] == 0.5
    assert calls[0][1][:len(raw := sorted((report_scale.ROOT / "raw").glob("*.txt")))] == raw


def test_heldout_traces_each_training_segment_to_the_file_it_came_from(tmp_path: Path) -> None:
    """``benchmarks/heldout.py`` leaves a fold's documents out of the channel's training by the file each training
    segment was read from: a line of an OverProof-style pair (``raw/NAME.txt:LINE``) or a whole file."""
    from benchmarks import heldout
    from pipeline.correction.pairs import Segment, read_segments

    for name, raw, gold in (("a", "tbe cat\nsat down\n", "the cat\nsat down\n"), ("b", "one line\n", "one line\n")):
        for side, text in (("raw", raw), ("gold", gold)):
            (tmp_path / side).mkdir(exist_ok=True)
            (tmp_path / side / f"{name}.txt").write_text(text, encoding="utf-8")
    segments = read_segments([tmp_path])
    assert {heldout._source_file(s) for s in segments} == {(tmp_path / "raw" / n).resolve() for n in ("a.txt", "b.txt")}
    assert sum(heldout._source_file(s) == (tmp_path / "raw" / "a.txt").resolve() for s in segments) == 2
    whole = tmp_path / "icdar file.txt"
    assert heldout._source_file(Segment("x", "y", str(whole))) == whole.resolve()
