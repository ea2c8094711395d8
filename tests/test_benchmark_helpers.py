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
