"""Batch runs: workers, incremental skips, crash recovery, faults, determinism, Dask.

Small synthetic collections keep these fast; every test compares real outputs, none times anything.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.batch import RunOptions, find_inputs, output_clashes, run_batch
from pipeline.context import Config
from pipeline.errors import OcrcleanError
from pipeline.tei import restore_bytes

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "The steamer arrived at the wharf on Tuesday, and tho passengers were landed without delay.\n",
    "Mr. Smith said that the Council had resolved to widen the road betwcen the two bridges.\n",
    "A meeting of the shareholders will be held at the ofﬁce of the company on Friday next.\n",
    "The weather was fine throughout the day, but rain fell heavily in tbe evening.\n",
]


def _collection(folder: Path, n: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        body = "\n".join(TEXTS[(k + j) % len(TEXTS)] for j in range(3))
        (folder / f"doc{k:02d}.txt").write_text(f"NEWS No. {k}\n\n{body}", encoding="utf-8")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _serial(**kw: object) -> RunOptions:
    return RunOptions(workers=1, **kw)  # type: ignore[arg-type]


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    raw = _collection(tmp_path / "raw")
    run_batch(raw, tmp_path / "one", Config(), _serial())
    report = run_batch(raw, tmp_path / "two", Config(), RunOptions(workers=2))
    assert report.counts() == {"done": 6, "skipped": 0, "failed": 0}
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")


def test_unchanged_documents_are_skipped_and_changes_redone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, out = _collection(tmp_path / "raw"), tmp_path / "out"
    first = run_batch(raw, out, Config(), _serial())
    before = _snapshot(out)
    again = run_batch(raw, out, Config(), _serial())
    assert again.counts() == {"done": 0, "skipped": 6, "failed": 0}
    assert _snapshot(out) == before  # the manifest holds no timings: an unchanged rerun is byte-identical
    assert [r.edits for r in again.results] == [r.edits for r in first.results]

    # a changed input changes the collection too: every document's evidence changed, all are redone
    (raw / "doc03.txt").write_text("The harbour was quiet.\n", encoding="utf-8")
    assert run_batch(raw, out, Config(), _serial()).counts()["done"] == 6
    assert run_batch(raw, out, Config(), _serial()).counts()["skipped"] == 6
    # changed settings
    assert run_batch(raw, out, Config(min_confidence=0.9), _serial()).counts()["done"] == 6
    # a new pipeline version
    monkeypatch.setattr("pipeline.batch.__version__", "999.0")
    assert run_batch(raw, out, Config(min_confidence=0.9), _serial()).counts()["done"] == 6
    # --force
    assert run_batch(raw, out, Config(min_confidence=0.9), _serial(force=True)).counts()["done"] == 6
    # a deleted output is written again, only for its document
    (out / "doc01.tei.xml").unlink()
    report = run_batch(raw, out, Config(min_confidence=0.9), _serial())
    assert report.counts() == {"done": 1, "skipped": 5, "failed": 0}
    assert (out / "doc01.tei.xml").is_file()


def test_a_changed_model_file_redoes_the_run(tmp_path: Path) -> None:
    from pipeline.correction import DEFAULT_MODEL

    raw, out = _collection(tmp_path / "raw", 2), tmp_path / "out"
    model = tmp_path / "model.json"
    model.write_bytes(Path(DEFAULT_MODEL).read_bytes())
    config = Config(model=str(model))
    run_batch(raw, out, config, _serial())
    assert run_batch(raw, out, config, _serial()).counts()["skipped"] == 2
    data = json.loads(model.read_text())
    model.write_text(json.dumps(data, indent=1))  # same counts, other bytes: treated as a new model
    assert run_batch(raw, out, config, _serial()).counts()["done"] == 2


def test_a_killed_run_is_completed_by_the_next(tmp_path: Path) -> None:
    raw = _collection(tmp_path / "raw", 16)
    reference = tmp_path / "reference"
    run_batch(raw, reference, Config(), _serial(report=True))  # the CLI writes the HTML report by default
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), str(out), "-j", "1", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (out / "doc01.txt").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "doc15.txt").exists(), "the run was not killed mid-way"
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["files"]) < 16
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _snapshot(out) == _snapshot(reference)


def test_leftover_temporary_files_are_swept(tmp_path: Path) -> None:
    raw, out = _collection(tmp_path / "raw", 1), tmp_path / "out"
    out.mkdir()
    (out / ".ocrclean-tmp.doc00.txt.abc123").write_bytes(b"half a fi")
    report = run_batch(raw, out, Config(), _serial())
    assert report.swept == 1
    assert not list(out.glob(".ocrclean-tmp.*"))


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    raw, out = _collection(tmp_path / "raw", 1), tmp_path / "out"
    old = os.umask(0o027)
    try:
        run_batch(raw, out, Config(), _serial())
    finally:
        os.umask(old)
    assert stat.S_IMODE((out / "doc00.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((out / "manifest.json").stat().st_mode) == 0o640


def test_bad_documents_fail_alone_and_are_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, out = _collection(tmp_path / "raw", 3), tmp_path / "out"
    (raw / "scan.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    (raw / "Doc.txt").write_text("One.\n")
    (raw / "Doc.TXT").write_text("Two.\n")
    (raw / "boom.txt").write_text("The word KABOOM makes a stage raise.\n")
    (raw / "hog.txt").write_text("The word GREEDY makes a stage allocate without end.\n")
    out.mkdir()
    (out / "doc02.tei.xml").mkdir()  # a folder where an output should go

    from pipeline.stages import spacing

    real = spacing.run

    def faulty(doc, ctx):  # type: ignore[no-untyped-def]
        if "KABOOM" in doc.text:
            raise KeyError("bug")
        if "GREEDY" in doc.text:
            hoard = []
            while True:
                hoard.append(bytearray(50 * 1024 * 1024))
        return real(doc, ctx)

    monkeypatch.setattr(spacing, "run", faulty)
    report = run_batch(raw, out, Config(), _serial(max_memory_mb=300))
    status = {r.name: (r.status, r.error) for r in report.results}
    assert status["doc00.txt"][0] == "ok" and status["doc01.txt"][0] == "ok"
    assert "binary" in status["scan.txt"][1]
    assert "overwrite" in status["Doc.txt"][1] and "overwrite" in status["Doc.TXT"][1]
    assert "internal error (KeyError" in status["boom.txt"][1]
    assert "memory budget" in status["hog.txt"][1]
    assert "cannot write doc02.tei.xml" in status["doc02.txt"][1]
    manifest = json.loads((out / "manifest.json").read_text())
    failed = {f["file"]: f["error"] for f in manifest["files"] if not f["ok"]}
    assert set(failed) == {"scan.txt", "Doc.txt", "Doc.TXT", "boom.txt", "hog.txt", "doc02.txt"}
    assert manifest["failed"] == 6


def test_cli_exit_status_names_the_failures(tmp_path: Path) -> None:
    raw, out = _collection(tmp_path / "raw", 1), tmp_path / "out"
    (raw / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(raw), str(out), "-j", "1",
                           "--log-format", "json"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    events = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    by_file = {e["file"]: e for e in events if e["event"] == "document"}
    assert by_file["doc00.txt"]["status"] == "ok" and by_file["scan.txt"]["status"] == "failed"
    assert events[-1]["event"] == "summary" and events[-1]["failed"] == 1 and events[-1]["done"] == 1
    assert "ocrclean: error: scan.txt: binary" in done.stderr


def test_an_empty_input_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "raw"), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "no input files" in done.stderr


def test_sub_folders_and_filters(tmp_path: Path) -> None:
    raw = _collection(tmp_path / "raw", 2)
    _collection(raw / "1921" / "june", 2)
    (raw / "notes.md").write_text("not an input\n")
    (raw / ".hidden").mkdir()
    (raw / ".hidden" / "x.txt").write_text("hidden\n")
    names = [rel for rel, _ in find_inputs(raw)]
    assert names == ["1921/june/doc00.txt", "1921/june/doc01.txt", "doc00.txt", "doc01.txt"]
    assert [r for r, _ in find_inputs(raw, recursive=False)] == ["doc00.txt", "doc01.txt"]
    assert [r for r, _ in find_inputs(raw, exclude=("1921/*",))] == ["doc00.txt", "doc01.txt"]
    assert [r for r, _ in find_inputs(raw, include=("*.md",))] == ["notes.md"]
    out = tmp_path / "out"
    report = run_batch(raw, out, Config(), _serial(formats=("txt", "tei")))
    assert report.counts()["done"] == 4
    assert (out / "1921" / "june" / "doc01.tei.xml").is_file()
    assert not (out / "1921" / "june" / "doc01.jsonl").exists()
    tei = (out / "1921" / "june" / "doc01.tei.xml").read_bytes()
    assert restore_bytes(tei) == (raw / "1921" / "june" / "doc01.txt").read_bytes()


def test_output_clashes_are_case_insensitive() -> None:
    assert output_clashes(["a/Doc.txt", "a/doc.TXT", "b/doc.txt"]) == {"a/doc.TXT": "a/Doc.txt",
                                                                       "a/Doc.txt": "a/doc.TXT"}


def test_inputs_sharing_a_report_page_are_a_name_clash(tmp_path: Path) -> None:
    """``a/b.txt`` and ``a__b.txt`` both have the report page ``report/a__b.html``: with the report on, each
    is failed by name as a clash (the others finish, the manifest records it); without it they do not clash."""
    assert output_clashes(["a/b.txt", "a__b.txt", "c.txt"]) == {}
    assert output_clashes(["a/b.txt", "A__b.txt", "c.txt"], report=True) == {"A__b.txt": "a/b.txt",
                                                                            "a/b.txt": "A__b.txt"}
    raw, out = tmp_path / "raw", tmp_path / "out"
    _collection(raw, 1)
    (raw / "a").mkdir()
    (raw / "a" / "b.txt").write_text("The first text of tbe folder.\n", encoding="utf-8")
    (raw / "a__b.txt").write_text("Another text, not in tbe folder.\n", encoding="utf-8")
    report = run_batch(raw, out, Config(), _serial(report=True))
    assert report.counts() == {"done": 1, "skipped": 0, "failed": 2}
    failed = {r.name: r.error for r in report.results if not r.ok}
    assert failed == {"a/b.txt": "its outputs would overwrite those of a__b.txt (rename one)",
                      "a__b.txt": "its outputs would overwrite those of a/b.txt (rename one)"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert {f["file"] for f in manifest["files"] if not f["ok"]} == {"a/b.txt", "a__b.txt"}
    assert not (out / "report" / "a__b.html").exists() and (out / "report" / "doc00.html").is_file()
    assert run_batch(raw, tmp_path / "bare", Config(), _serial()).counts()["done"] == 3


def test_dask_local_cluster_writes_what_the_local_run_writes(tmp_path: Path) -> None:
    if not os.environ.get("CI"):
        pytest.importorskip("dask.distributed", reason="the optional group ocrclean[dask] is not installed")
    raw = _collection(tmp_path / "raw", 3)
    run_batch(raw, tmp_path / "local", Config(), _serial())
    report = run_batch(raw, tmp_path / "dask", Config(), RunOptions(workers=1, executor="dask"))
    assert report.counts()["done"] == 3
    assert _snapshot(tmp_path / "local") == _snapshot(tmp_path / "dask")


def test_utf8_with_a_few_bad_bytes_stays_utf8_and_restores(tmp_path: Path) -> None:
    # a cp1252 byte pasted into UTF-8 text, and a byte no code page defines
    data = ("Le café « Au Rendez-vous » était fermé.\n".encode() + b"The caf\xe9 was shut; a \x81 stray.\n")
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "mixed.txt").write_bytes(data)
    report = run_batch(raw, out, Config(), _serial())
    assert report.results[0].encoding == "utf-8"
    text = (out / "mixed.txt").read_text(encoding="utf-8")
    assert "café « Au Rendez-vous » était fermé" in text  # the good UTF-8 is not turned into mojibake
    assert "The café was shut" in text and "\ufffd" in text
    edits = [json.loads(line) for line in (out / "mixed.edits.jsonl").read_text(encoding="utf-8").splitlines()]
    stray = [e for e in edits if e["rule"] == "undecodable-byte"]
    assert [(e["before"], e["after"]) for e in stray] == [("\udce9", "\ufffd"), ("\udc81", "\ufffd")]
    reading = [e for e in edits if e["rule"] == "cp1252-byte"]  # the guess, over the first replacement
    assert [(e["source"], e["before"], e["after"], e["applied"]) for e in reading] == [("\udce9", "\ufffd", "é", True)]
    assert restore_bytes((out / "mixed.tei.xml").read_bytes()) == data


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    data = "The café was “shut” for the season.\n".encode("cp1252")
    (raw / "old.txt").write_bytes(data)
    report = run_batch(raw, out, Config(), _serial())
    assert report.results[0].encoding == "cp1252"
    assert "café was “shut”" in (out / "old.txt").read_text(encoding="utf-8")
    assert restore_bytes((out / "old.tei.xml").read_bytes()) == data


def test_a_killed_runs_journal_saves_its_finished_documents(tmp_path: Path) -> None:
    from pipeline.batch import JOURNAL, FileResult, Journal

    raw, out = _collection(tmp_path / "raw", 4), tmp_path / "out"
    first = run_batch(raw, out, Config(), _serial())
    # as if the first run had been killed after two documents: the manifest it wrote at the start lists
    # no document yet, the journal the two it finished
    manifest = json.loads((out / "manifest.json").read_text())
    kept = [f for f in manifest["files"] if f["file"] in ("doc00.txt", "doc01.txt")]
    manifest["files"] = []
    (out / "manifest.json").write_text(json.dumps(manifest))
    journal = Journal(out / JOURNAL)
    for entry in kept:
        journal.append(FileResult.from_entry(entry))
    with open(out / JOURNAL, "a") as fh:
        fh.write('{"file": "doc02.txt", "ok": tr')  # the line the kill cut short
    again = run_batch(raw, out, Config(), _serial())
    status = {r.name: r.status for r in again.results}
    assert status == {"doc00.txt": "skipped", "doc01.txt": "skipped", "doc02.txt": "ok", "doc03.txt": "ok"}
    assert not (out / JOURNAL).exists()
    assert [r.edits for r in again.results] == [r.edits for r in first.results]


def test_a_filtered_run_keeps_the_other_documents_in_the_manifest(tmp_path: Path) -> None:
    raw, out = _collection(tmp_path / "raw", 3), tmp_path / "out"
    run_batch(raw, out, Config(), _serial())
    report = run_batch(raw, out, Config(), _serial(include=("doc01.txt",), force=True))
    assert {r.name: r.status for r in report.results} == {"doc00.txt": "skipped", "doc01.txt": "ok",
                                                          "doc02.txt": "skipped"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["file"] for f in manifest["files"]] == ["doc00.txt", "doc01.txt", "doc02.txt"]
    with pytest.raises(OcrcleanError, match="no input files matching"):
        run_batch(raw, out, Config(), _serial(include=("zzz*",)))
    assert json.loads((out / "manifest.json").read_text()) == manifest  # nothing touched


def test_same_names_in_sub_folders_get_their_own_report_pages_and_ids(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _collection(raw / "a", 1)
    _collection(raw / "b", 1)
    (raw / "b" / "doc00.txt").write_text("A different text about the weather in tbe hills.\n")
    report = run_batch(raw, out, Config(), _serial(report=True))
    assert report.counts()["done"] == 2
    assert (out / "report" / "a__doc00.html").is_file() and (out / "report" / "b__doc00.html").is_file()
    ids = [json.loads((out / d / "doc00.jsonl").read_text())["id"] for d in ("a", "b")]
    assert ids == ["a/doc00", "b/doc00"]
    index = (out / "report" / "index.htm").read_text()
    assert "a__doc00.html" in index and "b__doc00.html" in index


def test_an_input_named_index_keeps_its_report_page_beside_the_run_index(tmp_path: Path) -> None:
    """``index.txt`` has the report page ``index.html``: the run's index must be another file (``index.htm``),
    and the index of an earlier version is removed only when no document owns that name."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    _collection(raw, 2)
    (raw / "index.txt").write_text("An index of tbe documents of the year.\n", encoding="utf-8")
    report = run_batch(raw, out, Config(), _serial(report=True))
    assert report.counts() == {"done": 3, "skipped": 0, "failed": 0}
    pages = out / "report"
    doc_page = (pages / "index.html").read_text(encoding="utf-8")
    assert "index.txt" in doc_page and "tbe" in doc_page and 'href="index.htm"' in doc_page
    run_index = (pages / "index.htm").read_text(encoding="utf-8")
    assert all(f'href="{stem}.html"' in run_index for stem in ("doc00", "doc01", "index"))
    entry = next(f for f in json.loads((out / "manifest.json").read_text())["files"] if f["file"] == "index.txt")
    assert "report/index.html" in entry["outputs"]
    # the index an earlier version wrote goes when no document owns its name
    (raw / "index.txt").unlink()
    other = tmp_path / "other"
    (other / "report").mkdir(parents=True)
    (other / "report" / "index.html").write_text("the index of an earlier version", encoding="utf-8")
    run_batch(raw, other, Config(), _serial(report=True))
    assert not (other / "report" / "index.html").exists() and (other / "report" / "index.htm").is_file()


def test_bad_bytes_with_the_report_on(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    data = "Café and one bad ".encode() + b"\xff here.\n"
    (raw / "bad.txt").write_bytes(data)
    report = run_batch(raw, out, Config(), _serial(report=True))
    assert report.counts() == {"done": 1, "skipped": 0, "failed": 0}, report.results[0].error
    assert "\ufffd" in (out / "report" / "bad.html").read_text(encoding="utf-8")
    view = json.loads((out / "report" / "bad.json").read_text(encoding="utf-8"))
    assert view["original"] == data.decode("utf-8", "surrogateescape")


def test_the_names_report_reads_sub_folders_as_run_does(tmp_path: Path) -> None:
    from pipeline.reports.names import collect_inputs

    raw = _collection(tmp_path / "raw" / "1921", 2)
    assert [p.name for p in collect_inputs([tmp_path / "raw"])] == ["doc00.txt", "doc01.txt"]
    assert raw.is_dir()


def test_progress_says_done_instead_of_an_eta_at_the_end() -> None:
    import io

    from pipeline.progress import Progress

    stream = io.StringIO()
    progress = Progress(2, 300, "log", stream)
    progress.document("a.txt", "ok", 100)
    assert "ETA" in progress.line()
    progress.document("b.txt", "ok", 200)
    last = stream.getvalue().splitlines()[-1]
    assert "2/2 documents" in last and "done in" in last and "ETA" not in last


def test_quiet_json_log_writes_the_summary_only(tmp_path: Path) -> None:
    """``--quiet --log-format json``: no line per document, the JSON summary kept (for scripts)."""
    raw, out = _collection(tmp_path / "raw", 2), tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(raw), str(out), "-j", "1", "-q",
                           "--log-format", "json", "--no-report"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["event"] == "summary" and json.loads(lines[0])["done"] == 2
