"""Outputs written by the worker as they are rendered (temporary files renamed into place by the run).

A local executor's worker writes each output straight to a temporary file in the output folder and
sends back only its path: the bytes must be those rendered in memory, nothing may travel back whole,
and a document that fails, or whose output cannot be put in place, leaves no temporary file.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pipeline.batch import RunOptions, _store, run_batch
from pipeline.context import Config
from pipeline.executors import Task, make_job, process_document
from pipeline.export.registry import EXPORTERS
from pipeline.files import TEMP_PREFIX
from pipeline.lexicon import CorpusCounts

PAGE = ("The steamer arrived at the wharf on Tuesday, and tho passengers were landed without delay.\n"
        "Mr. Smith said that the Council had resolved to widen the road betwcen the two bridges.\n\n")


def _job(out_dir: Path | None):  # type: ignore[no-untyped-def]
    return make_job(Config(), CorpusCounts(), tuple(EXPORTERS), None, out_dir=None if out_dir is None else str(out_dir))


def _temporaries(folder: Path) -> list[Path]:
    return list(folder.rglob(f"{TEMP_PREFIX}*"))


def test_staged_outputs_are_the_rendered_bytes_and_only_paths_travel(tmp_path: Path) -> None:
    src = tmp_path / "in" / "sub" / "page.txt"
    src.parent.mkdir(parents=True)
    src.write_text(PAGE * 40, encoding="utf-8")
    task = Task("sub/page.txt", str(src))
    in_memory = process_document(task, _job(None))
    out = tmp_path / "out"
    out.mkdir()
    staged = process_document(task, _job(out))
    assert in_memory.ok and staged.ok and not staged.outputs
    assert set(staged.staged) == set(in_memory.outputs) == {"sub/page.txt", "sub/page.tei.xml",
                                                            "sub/page.edits.jsonl", "sub/page.jsonl"}
    for name, tmp in staged.staged.items():
        path = Path(tmp)
        assert path.parent == (out / name).parent and path.name.startswith(TEMP_PREFIX)
        assert path.read_bytes() == in_memory.outputs[name], name
        assert not (out / name).exists()  # nothing in place until the run renames it
    # what goes back to the parent no longer grows with the outputs
    assert len(pickle.dumps(staged)) < sum(map(len, in_memory.outputs.values())) / 4
    result = _store(staged, out, "key")
    assert result.ok and result.outputs == sorted(in_memory.outputs)
    assert {n: (out / n).read_bytes() for n in result.outputs} == in_memory.outputs
    assert not _temporaries(out)


def test_an_output_that_cannot_be_put_in_place_leaves_no_temporary_file(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    outcome = process_document(Task("page.txt", str(src)), _job(out))
    (out / "page.tei.xml").mkdir()  # a folder where an output should go
    result = _store(outcome, out, "key")
    assert not result.ok and "cannot write page.tei.xml" in result.error
    assert not _temporaries(out)


def test_a_document_failing_while_its_outputs_are_written_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "page.txt"
    src.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    from pipeline.export import registry

    real = registry.write_format

    def full_disk(doc, source, fmt, sink):  # type: ignore[no-untyped-def]
        if fmt == "edits":
            raise OSError(28, "No space left on device")
        real(doc, source, fmt, sink)

    monkeypatch.setattr("pipeline.executors.write_format", full_disk)
    outcome = process_document(Task("page.txt", str(src)), _job(out))
    assert not outcome.ok and "cannot write page.edits.jsonl (No space left on device)" in outcome.error
    assert not outcome.staged and not list(out.iterdir())


def test_a_run_writes_through_its_workers_the_same_folder_as_in_memory(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    for k in range(3):
        (raw / "a" / f"p{k}.txt").write_text(f"No. {k}\n\n" + PAGE * (k + 1), encoding="utf-8")
    report = run_batch(raw, tmp_path / "out", Config(), RunOptions(workers=1))
    assert report.counts() == {"done": 3, "skipped": 0, "failed": 0}
    for k in range(3):
        task = Task(f"a/p{k}.txt", str(raw / "a" / f"p{k}.txt"))
        # the collection's counts make each document evidence for the others: compare with a job of them
        from pipeline.batch import count_collection
        from pipeline.lexicon import get_lexicon

        collection = count_collection([(f"a/p{j}.txt", raw / "a" / f"p{j}.txt") for j in range(3)], get_lexicon())
        job = make_job(Config(), collection.counts, tuple(EXPORTERS), None)
        for name, blob in process_document(task, job).outputs.items():
            assert (tmp_path / "out" / name).read_bytes() == blob, name
    assert not _temporaries(tmp_path / "out")
