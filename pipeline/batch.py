"""Batch runs: a folder of scans in, a folder of outputs and a manifest out.

A run has four phases, each in one function:

1. **inputs** (:func:`find_inputs`): the text files under the input folder (recursively, relative
   paths kept), filtered by ``--include``/``--exclude``; names whose outputs would clash are failed.
2. **collection** (:func:`count_collection`): one streaming pass reads every input once, hashes it
   and adds its corpus counts to the collection's (each document is evidence for the others).
3. **clean + render** (:mod:`pipeline.executors`): documents whose key is unchanged since the last
   run are skipped; the others go to an executor (this process, a process pool, a Dask cluster).
4. **write**: each output through a temporary file and a rename, then ``manifest.json``.

**Incremental runs.** A document's key (``manifest.json``, ``files[].key``) is the SHA-256 of its
input bytes, the pipeline's fingerprint (version, source code, dictionaries, shipped model), the
settings (including the bytes of a ``--model`` and of ``--authority`` files) and the collection's
digest (the names and hashes of every input: a document's output depends on the others' words).
A document is skipped when its key and outputs are unchanged; ``--force`` redoes everything.

**Crash safety.** Outputs are whole or absent (:func:`pipeline.files.write_atomic`). Before the
first document is cleaned, the manifest is rewritten without the documents about to be redone, and
it is updated as documents finish; so after a ``kill -9`` the next run redoes exactly the documents
whose outputs may be stale and sweeps away the temporary files the killed run left.

**Determinism.** ``manifest.json`` holds no timings (they go to the summary): an unchanged rerun
leaves the output folder byte-identical, and outputs are the same for any number of workers.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pipeline
from pipeline import __version__
from pipeline.api import Config
from pipeline.errors import InputError, OcrcleanError, OutputError
from pipeline.executors import Outcome, Task, default_workers, discard_staged, make_executor, make_job
from pipeline.export.registry import EXPORTERS, Source, output_name
from pipeline.export.registry import render as render_format
from pipeline.files import commit_staged, sweep_temporaries, write_atomic
from pipeline.lexicon import CorpusCounts, Lexicon, get_lexicon
from pipeline.progress import Progress
from pipeline.reading import count_file
from pipeline.stages.decode import decode_bytes

if TYPE_CHECKING:
    from pipeline.review.apply import ReviewRun

__all__ = ["RunOptions", "RunReport", "FileResult", "run_batch", "run_folder", "find_inputs", "list_inputs",
           "render", "render_all", "write_atomic", "summary_table", "with_collection_evidence"]

#: Extensions of files a run treats as text inputs (case-insensitive).
TEXT_SUFFIXES = (".txt",)
#: Seconds between two interim writes of the manifest while documents finish.
MANIFEST_EVERY_S = 5.0


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs (the settings of the cleaning itself are :class:`~pipeline.context.Config`).

    ``workers``: processes (``None``: the cores available). ``executor``: ``local`` or ``dask``;
    ``scheduler``: address of an existing Dask cluster. ``force``: redo unchanged documents.
    ``formats``: export names to write (default all, see :mod:`pipeline.export.registry`).
    ``include``/``exclude``: glob patterns on the path relative to the input folder (a pattern without
    ``/`` is matched against the file name); default include ``*.txt``. ``recursive``: descend into
    sub-folders. ``max_memory_mb``: per-document memory budget (``None``: none).
    ``progress``: ``auto``, ``json``, ``summary`` (the JSON summary only) or ``quiet``.
    """

    workers: int | None = None
    executor: str = "local"
    scheduler: str | None = None
    force: bool = False
    formats: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    recursive: bool = True
    max_memory_mb: int | None = 4096
    progress: str = "quiet"
    #: Write the HTML report into ``OUT_DIR/report/`` (see :mod:`pipeline.review`).
    report: bool = False
    #: A review's decisions file to obey (see :mod:`pipeline.review.apply`).
    decisions: Path | None = None


@dataclass
class FileResult:
    """What happened to one input of a run: ``status`` is ``ok``, ``skipped`` (unchanged since the last
    run; counts are the last run's) or ``failed`` (``error`` says why)."""

    name: str
    ok: bool
    error: str = ""
    sha256: str = ""
    encoding: str = ""
    seconds: float = 0.0
    edits: dict[str, int] = field(default_factory=dict)
    suggestions: int = 0
    notes: int = 0
    captions: int = 0
    pages: int = 0
    chars_in: int = 0
    chars_out: int = 0
    status: str = "ok"
    key: str = ""
    outputs: list[str] = field(default_factory=list)
    #: The review's summary of the document (counts by rule, decisions obeyed), when a report or
    #: decisions file is part of the run.
    review: dict[str, Any] = field(default_factory=dict)

    def entry(self) -> dict[str, Any]:
        """The manifest's record of this file (no timings: the manifest is deterministic)."""
        entry: dict[str, Any] = {"file": self.name, "ok": self.ok, "sha256": self.sha256}
        if self.ok:
            entry.update(key=self.key, encoding=self.encoding, edits=self.edits, suggestions=self.suggestions,
                         notes=self.notes, captions=self.captions, pages=self.pages, chars_in=self.chars_in,
                         chars_out=self.chars_out, outputs=self.outputs)
            if self.review:
                entry["review"] = self.review
        else:
            entry["error"] = self.error
        return entry

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> FileResult:
        """A skipped file, with the counts the last run recorded."""
        return cls(name=entry["file"], ok=True, sha256=entry["sha256"], encoding=entry.get("encoding", ""),
                   edits=dict(entry.get("edits", {})), suggestions=entry.get("suggestions", 0),
                   notes=entry.get("notes", 0), captions=entry.get("captions", 0), pages=entry.get("pages", 0),
                   chars_in=entry.get("chars_in", 0), chars_out=entry.get("chars_out", 0), status="skipped",
                   key=entry.get("key", ""), outputs=list(entry.get("outputs", [])),
                   review=dict(entry.get("review", {})))


@dataclass
class RunReport:
    """A finished run: one result per input (sorted by name), wall time in seconds and bytes cleaned."""

    results: list[FileResult]
    seconds: float = 0.0
    bytes_cleaned: int = 0
    workers: int = 1
    swept: int = 0

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]

    def counts(self) -> dict[str, int]:
        """Documents done, skipped and failed."""
        done = sum(1 for r in self.results if r.status == "ok")
        skipped = sum(1 for r in self.results if r.status == "skipped")
        return {"done": done, "skipped": skipped, "failed": len(self.failed)}

    def edits_by_stage(self) -> dict[str, int]:
        """Applied edits per stage over the documents cleaned in this run."""
        total: dict[str, int] = {}
        for r in self.results:
            if r.status == "ok":
                for stage, n in r.edits.items():
                    total[stage] = total.get(stage, 0) + n
        return dict(sorted(total.items()))

    def summary(self) -> dict[str, Any]:
        """The run in figures: counts, edits per stage, seconds, bytes and KB/s, workers."""
        rate = self.bytes_cleaned / self.seconds / 1e3 if self.seconds else 0.0
        return {**self.counts(), "edits": self.edits_by_stage(), "seconds": round(self.seconds, 2),
                "bytes": self.bytes_cleaned, "kb_per_s": round(rate, 1), "workers": self.workers}


# -- phase 1: inputs ---------------------------------------------------------------------------

def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    name = PurePosixPath(rel).name
    return any(fnmatch.fnmatch(rel if "/" in p else name, p) for p in patterns)


def find_inputs(raw_dir: Path, *, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                recursive: bool = True, skip: Path | None = None) -> list[tuple[str, Path]]:
    """The inputs under ``raw_dir`` as ``(relative POSIX name, path)``, sorted by name.

    Hidden files and folders (``.git``) and the folder ``skip`` (an output folder inside the input
    folder) are never inputs. Raises :class:`InputError` when ``raw_dir`` is missing or not a folder.
    """
    if not raw_dir.exists():
        raise InputError(f"{raw_dir}: no such folder")
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: not a folder")
    skip_resolved = skip.resolve() if skip is not None else None
    found: list[tuple[str, Path]] = []

    def walk(folder: Path) -> None:
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir():
                if recursive and path.resolve() != skip_resolved:
                    walk(path)
                continue
            rel = path.relative_to(raw_dir).as_posix()
            wanted = _matches(rel, include) if include else path.suffix.lower() in TEXT_SUFFIXES
            if wanted and not _matches(rel, exclude) and path.is_file():
                found.append((rel, path))

    walk(raw_dir)
    return sorted(found)


def list_inputs(raw_dir: Path) -> list[Path]:
    """The ``.txt`` files directly in a folder, sorted by name (for ``eval`` and ``names``)."""
    return [path for _, path in find_inputs(raw_dir, recursive=False)]


def output_clashes(names: list[str], report: bool = False) -> dict[str, str]:
    """Inputs whose outputs would overwrite another's (``Doc.txt`` and ``Doc.TXT``; ``a.txt`` and
    ``a.TXT`` on a case-insensitive disk); with ``report``, also those whose report files would be one
    (``a/b.txt`` and ``a__b.txt`` both have ``report/a__b.html``: :func:`~pipeline.review.view.doc_key`).
    Each such name -> the name it clashes with."""
    keys: list[Callable[[str], str]] = [lambda name: str(PurePosixPath(name).with_suffix(""))]
    if report:
        from pipeline.review.view import doc_key

        keys.append(doc_key)
    clashes: dict[str, str] = {}
    for key in keys:
        first: dict[str, str] = {}
        for name in names:
            stem = key(name).casefold()
            if stem in first:
                clashes.setdefault(name, first[stem])
                clashes.setdefault(first[stem], name)
            else:
                first[stem] = name
    return clashes


# -- phase 2: the collection ------------------------------------------------------------------

@dataclass
class Collection:
    """What the streaming pass learned: each readable input's SHA-256 and size, the corpus counts of
    all of them, the digest of the whole collection, and the inputs that could not be read."""

    sha256: dict[str, str] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    counts: CorpusCounts = field(default_factory=CorpusCounts)
    unreadable: dict[str, str] = field(default_factory=dict)

    def digest(self) -> str:
        blob = json.dumps(sorted(self.sha256.items())).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()


def count_collection(inputs: list[tuple[str, Path]], lexicon: Lexicon) -> Collection:
    """Read each input (hash, decode, count its words), a chunk at a time (:func:`pipeline.reading.count_file`:
    neither the bytes nor the text of a long input are held whole); nothing of the texts is kept. An input
    that does not decode adds no counts (it is reported when the file itself is cleaned)."""
    collection = Collection()
    for rel, path in inputs:
        try:
            found = count_file(path, lexicon)
        except OSError as exc:
            collection.unreadable[rel] = f"cannot read ({exc.strerror or exc})"
            continue
        collection.sha256[rel] = found.sha256
        collection.size[rel] = found.size
        if found.counts is not None:
            collection.counts += found.counts
    return collection


def with_collection_evidence(inputs: list[Path], lexicon: Lexicon) -> Iterator[tuple[Path, Lexicon]]:
    """Each input with a lexicon that counts the rest of the collection as corpus evidence
    (the collection is counted once; each document gets it without its own share)."""
    collection = count_collection([(p.name, p) for p in inputs], lexicon)
    shared = lexicon.with_counts(collection.counts)
    for path in inputs:
        try:
            own = decode_bytes(path.read_bytes())[0]
        except (OSError, OcrcleanError):
            yield path, shared
            continue
        yield path, shared.without_corpus_text(own)


# -- keys ---------------------------------------------------------------------------------------

def _hash_files(digest: Any, paths: list[Path]) -> None:
    for path in sorted(paths):
        digest.update(str(path.name).encode("utf-8"))
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")


def pipeline_fingerprint(config: Config) -> str:
    """SHA-256 of what a document's outputs depend on besides its bytes and the collection: the
    version, the package's source and data files, the dictionaries and the settings (with the
    contents of the model and authority files they name)."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    package = Path(pipeline.__file__).resolve().parent
    _hash_files(digest, [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".tsv", ".txt")
                         and "__pycache__" not in p.parts])
    dictionaries = package.parent / "dictionaries"
    if dictionaries.is_dir():
        _hash_files(digest, [p for p in dictionaries.rglob("*") if p.is_file()])
    settings = asdict(config)
    settings["disabled"] = sorted(config.disabled)
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode("utf-8"))
    _hash_files(digest, [Path(p) for p in (*config.authority, *([config.model] if config.model else []))])
    return digest.hexdigest()


def document_key(fingerprint: str, collection_digest: str, sha256: str, extra: str = "") -> str:
    """The key a document is skipped by; ``extra``: anything else its outputs depend on (its review
    decisions, whether a report is written)."""
    return hashlib.sha256(f"{fingerprint}\n{collection_digest}\n{sha256}\n{extra}".encode()).hexdigest()


def _review_key(review: ReviewRun | None, rel: str) -> str:
    """What of the review a document's outputs depend on: the report switch and its decisions."""
    if review is None:
        return ""
    found = review.for_document(rel)
    decisions = [asdict(d) for d in found.decisions] if found is not None else []
    return json.dumps({"report": review.report, "decisions": decisions}, sort_keys=True, default=str)


def _review_outputs(review: ReviewRun | None, rel: str, summary: dict[str, Any] | None = None) -> list[str]:
    """The report files a document owns (``report/<stem>.html`` and ``.json``, and the further parts of a
    long document's report, as many as its review ``summary`` says)."""
    if review is None or not review.report:
        return []
    from pipeline.review.report import part_file
    from pipeline.review.view import doc_key

    stem = doc_key(rel)
    parts = int((summary or {}).get("parts", 1))
    return [f"report/{stem}.json", *(f"report/{part_file(stem, k)}" for k in range(1, parts + 1))]


# -- outputs --------------------------------------------------------------------------------------

def render(doc: Any, data: bytes, source_name: str, fmt: str) -> bytes:
    """One output format of one document, in memory."""
    return render_format(doc, Source.of(source_name, data), fmt)


def render_all(doc: Any, data: bytes, source_name: str) -> dict[str, bytes]:
    """Every output of one document, by output file name, rendered in memory before anything is written."""
    source = Source.of(source_name, data)
    return {output_name(source_name, fmt): render_format(doc, source, fmt) for fmt in EXPORTERS}


def prepare_output(out_dir: Path) -> None:
    """Create the output folder and make sure it is writable, or raise :class:`OutputError`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".ocrclean-tmp.probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write output here ({exc.strerror or exc})") from None


#: The journal of a run in progress: one manifest entry per finished document, appended and flushed
#: as each finishes; merged into the manifest by the next run if this one was killed, then removed.
JOURNAL = ".ocrclean-journal.jsonl"


class Journal:
    """An append-only file of manifest entries (JSON lines); a torn last line is ignored on reading."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return found
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the line a kill cut short
            if isinstance(entry, dict) and "file" in entry:
                found[str(entry["file"])] = entry
        return found

    def append(self, result: FileResult) -> None:
        try:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(result.entry(), ensure_ascii=True, sort_keys=True) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            pass  # the journal only saves work after a kill; the manifest is still written at the end

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _previous_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The last run's manifest entries by file name, with those of a killed run's journal on top
    (empty when there is none or it is unreadable)."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        entries = {e["file"]: e for e in data.get("files", []) if isinstance(e, dict) and "file" in e}
    except (OSError, ValueError, TypeError, AttributeError):
        entries = {}
    entries.update(Journal(out_dir / JOURNAL).entries())
    return entries


def _unchanged(entry: dict[str, Any] | None, key: str, out_dir: Path, outputs: list[str]) -> bool:
    return (entry is not None and entry.get("ok") is True and entry.get("key") == key
            and set(outputs) <= set(entry.get("outputs", [])) and all((out_dir / o).is_file() for o in outputs))


def _manifest(results: list[FileResult], config: Config, fingerprint: str, formats: tuple[str, ...],
              review: dict[str, Any] | None = None) -> dict[str, Any]:
    files = sorted((r.entry() for r in results), key=lambda e: e["file"])
    return {
        **({"review": review} if review is not None else {}),
        "tool": "ocrclean",
        "version": __version__,
        "fingerprint": fingerprint,
        "config": {"min_confidence": config.min_confidence, "normalize": config.normalize,
                   "scheme": config.scheme, "authority": list(config.authority),
                   "disabled": sorted(config.disabled), "model": config.model or "shipped", "adapt": config.adapt,
                   "modern_names": config.modern_names},
        "formats": list(formats),
        "files": files,
        "failed": sum(1 for f in files if not f["ok"]),
    }


def _write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    blob = (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    write_atomic(out_dir / "manifest.json", blob)


# -- the run ---------------------------------------------------------------------------------------

def run_batch(raw_dir: Path, out_dir: Path, config: Config | None = None,
              options: RunOptions | None = None) -> RunReport:
    """Clean every input under ``raw_dir`` into ``out_dir``; write ``manifest.json``.

    Raises :class:`InputError`/:class:`OutputError` only for the run as a whole (no input folder, an
    output folder that cannot be written); a bad document is a failed :class:`FileResult`.
    """
    config = config or Config()
    options = options or RunOptions()
    formats = options.formats or tuple(EXPORTERS)
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise OcrcleanError(f"unknown format {unknown[0]!r} (choose from {', '.join(EXPORTERS)})")
    started = time.perf_counter()
    if out_dir.resolve() == raw_dir.resolve() and "txt" in formats:
        raise OutputError(f"{out_dir}: the output folder is the input folder (its <stem>.txt would overwrite "
                          "the inputs); choose another")
    inputs = find_inputs(raw_dir, include=options.include, exclude=options.exclude, recursive=options.recursive,
                         skip=out_dir)
    if not inputs:
        what = " matching the --include/--exclude patterns" if options.include or options.exclude else ""
        raise InputError(f"{raw_dir}: no input files{what} (inputs are *.txt files, sub-folders included)")
    prepare_output(out_dir)
    swept = sweep_temporaries(out_dir)
    results: dict[str, FileResult] = {}
    clashes = output_clashes([rel for rel, _ in inputs], report=options.report)
    for rel, other in clashes.items():
        results[rel] = FileResult(rel, False, f"its outputs would overwrite those of {other} (rename one)",
                                  status="failed")
    inputs = [(rel, path) for rel, path in inputs if rel not in clashes]

    review = _start_review(out_dir, options)
    collection = count_collection(inputs, get_lexicon())
    for rel, reason in collection.unreadable.items():
        results[rel] = FileResult(rel, False, reason, status="failed")
    fingerprint = pipeline_fingerprint(config)
    digest = collection.digest()
    previous = _previous_manifest(out_dir)
    # documents of earlier runs that this run does not select (--include/--exclude, --no-recursive) and
    # whose input still exists keep their manifest entries
    selected = {rel for rel, _ in inputs} | set(clashes)
    for name, entry in previous.items():
        if name not in selected and (raw_dir / name).is_file():
            results[name] = FileResult.from_entry(entry)
    if options.force:
        previous = {}
    keys: dict[str, str] = {}
    tasks: list[Task] = []
    for rel, path in inputs:
        if rel in collection.unreadable:
            continue
        keys[rel] = document_key(fingerprint, digest, collection.sha256[rel], _review_key(review, rel))
        outputs = [output_name(rel, f) for f in formats] + _review_outputs(
            review, rel, (previous.get(rel) or {}).get("review"))
        if _unchanged(previous.get(rel), keys[rel], out_dir, outputs):
            results[rel] = FileResult.from_entry(previous[rel])
        else:
            tasks.append(Task(rel, str(path)))

    # The documents about to be redone leave the manifest before any of their outputs change; each one
    # finished is appended to the journal at once, so a killed run loses no finished document.
    _write_manifest(out_dir, _manifest(list(results.values()), config, fingerprint, formats))
    journal = Journal(out_dir / JOURNAL)
    journal.clear()
    workers = options.workers or default_workers()
    progress = Progress(len(tasks), sum(collection.size[t.name] for t in tasks), options.progress)
    for r in results.values():
        progress.document(r.name, r.status, collection.size.get(r.name, 0), error=r.error)
    report = RunReport([], workers=workers, swept=swept)
    if tasks:
        executor = make_executor(options.executor, min(workers, len(tasks)), options.scheduler)
        job = make_job(config, collection.counts, formats, options.max_memory_mb, review,
                       out_dir=str(out_dir) if executor.local else None)
        last_write = time.monotonic()
        try:
            for outcome in executor.map(tasks, job):
                result = _store(outcome, out_dir, keys.get(outcome.name, ""))
                if result.ok:
                    result.outputs = sorted(result.outputs + _review_outputs(review, result.name, result.review))
                results[result.name] = result
                if result.ok:
                    report.bytes_cleaned += collection.size.get(result.name, 0)
                journal.append(result)
                progress.document(result.name, result.status, collection.size.get(result.name, 0),
                                  result.seconds, result.error)
                if time.monotonic() - last_write >= MANIFEST_EVERY_S:
                    _write_manifest(out_dir, _manifest(list(results.values()), config, fingerprint, formats))
                    last_write = time.monotonic()
        finally:
            executor.close()
            progress.close()
    section = _finish_review(review, list(results.values()))
    _write_manifest(out_dir, _manifest(list(results.values()), config, fingerprint, formats, section))
    journal.clear()
    report.results = sorted(results.values(), key=lambda r: r.name)
    report.seconds = time.perf_counter() - started
    progress.event({"event": "summary", **report.summary()})
    return report


def _start_review(out_dir: Path, options: RunOptions) -> ReviewRun | None:
    """The review's part of a run (report, decisions), or None when neither is asked for; a bad
    decisions file fails here, before anything is cleaned."""
    if not options.report and options.decisions is None:
        return None
    from pipeline.review.apply import ReviewRun

    return ReviewRun.start(out_dir, report=options.report, decisions=options.decisions)


def _finish_review(review: ReviewRun | None, results: list[FileResult]) -> dict[str, Any] | None:
    """After every document: the report's index (skipped documents from their recorded summaries);
    returns the manifest's ``review`` section when a decisions file was obeyed."""
    if review is None:
        return None
    section = review.finish([r.review for r in sorted(results, key=lambda r: r.name) if r.ok and r.review])
    return section if review.decisions_path is not None else None


def _store(outcome: Outcome, out_dir: Path, key: str) -> FileResult:
    """Put one document's outputs in place, each whole or not at all (written here from bytes, or a
    worker's temporary file renamed: :func:`pipeline.files.commit_staged`), and make its result. After
    the first output that cannot be written, the rest are not written (their temporary files removed)."""
    names = sorted({*outcome.outputs, *outcome.staged})
    result = FileResult(name=outcome.name, ok=outcome.ok, error=outcome.error, sha256=outcome.sha256,
                        encoding=outcome.encoding, seconds=outcome.seconds, edits=outcome.edits,
                        suggestions=outcome.suggestions, notes=outcome.notes, captions=outcome.captions,
                        pages=outcome.pages, chars_in=outcome.chars_in, chars_out=outcome.chars_out,
                        status="ok" if outcome.ok else "failed", key=key, outputs=names,
                        review=outcome.review)
    pending = dict(outcome.staged)
    try:
        for name in [*outcome.outputs, *outcome.staged]:
            target = out_dir / name
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if name in pending:
                    commit_staged(Path(pending.pop(name)), target)
                else:
                    write_atomic(target, outcome.outputs[name])
            except OSError as exc:
                result.ok, result.status = False, "failed"
                result.error = f"cannot write {name} ({exc.strerror or exc})"
                break
    finally:
        discard_staged(pending)
    return result


def run_folder(raw_dir: Path, out_dir: Path, config: Config | None = None, options: RunOptions | None = None, *,
               report: bool = False, decisions: Path | None = None) -> list[FileResult]:
    """:func:`run_batch` (by default in this process), returning only the per-file results.
    ``report``/``decisions``: as in :class:`RunOptions`."""
    options = options or RunOptions(workers=1)
    if report or decisions is not None:
        from dataclasses import replace

        options = replace(options, report=report or options.report, decisions=decisions or options.decisions)
    return run_batch(raw_dir, out_dir, config, options).results


def summary_table(results: list[FileResult]) -> str:
    """A fixed-width table for stderr: one row per file."""
    head = f"{'file':<42} {'status':<7} {'edits':>6} {'notes':>5} {'capt':>4} {'sec':>6}"
    rows = [head, "-" * len(head)]
    for r in results:
        if r.ok:
            rows.append(f"{r.name[:42]:<42} {r.status:<7} {sum(r.edits.values()):>6} {r.notes:>5} "
                        f"{r.captions:>4} {r.seconds:>6.2f}")
        else:
            rows.append(f"{r.name[:42]:<42} {'FAILED':<7} {r.error}")
    return "\n".join(rows)


def summary_lines(report: RunReport) -> str:
    """The totals under the table: documents done/skipped/failed, edits per stage, throughput."""
    s = report.summary()
    edits = ", ".join(f"{stage} {n}" for stage, n in s["edits"].items()) or "none"
    return (f"{s['done']} cleaned, {s['skipped']} unchanged (skipped), {s['failed']} failed; "
            f"edits made in this run: {edits}\n"
            f"{s['bytes'] / 1e3:.0f} KB in {s['seconds']:.1f} s ({s['kb_per_s']:.0f} KB/s, "
            f"{s['workers']} worker{'s' if s['workers'] != 1 else ''})")
