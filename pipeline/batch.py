"""Batch runs: a folder of scans in, a folder of outputs and a manifest out.

Why files are written through a temporary name: a run that fails half way must
never leave half a file behind, so each output is written beside its target and
renamed into place only when complete. One bad input is reported and skipped;
the others are still processed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.api import Config, clean_bytes
from pipeline.document import Document
from pipeline.errors import InputError, OcrcleanError, OutputError
from pipeline.export.jsonl import edits_jsonl, to_record
from pipeline.export.tei import to_tei
from pipeline.export.txt import to_txt
from pipeline.lexicon import Lexicon, get_lexicon
from pipeline.stages.decode import decode_bytes

if TYPE_CHECKING:
    from pipeline.review.apply import ReviewRun

#: Extensions of files a run treats as text inputs.
TEXT_SUFFIXES = (".txt",)


@dataclass
class FileResult:
    """What happened to one input of a run."""

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
    #: The review's summary of the document (counts, decisions obeyed; see :mod:`pipeline.review.apply`).
    review: dict[str, Any] = field(default_factory=dict)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename (never half a file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: Output formats and the file name suffix each is written under.
FORMATS = {"txt": ".txt", "tei": ".tei.xml", "edits": ".edits.jsonl", "jsonl": ".jsonl"}


def render(doc: Document, data: bytes, source_name: str, fmt: str) -> bytes:
    """One output format of one document, in memory."""
    if fmt == "txt":
        return to_txt(doc).encode("utf-8")
    digest = sha256_hex(data)
    if fmt == "tei":
        return to_tei(doc, source_name=source_name, sha256=digest, version=__version__)
    if fmt == "edits":
        return edits_jsonl(doc).encode("utf-8")
    if fmt == "jsonl":
        record = to_record(doc, source_name=source_name, sha256=digest)
        return (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")


def render_all(doc: Document, data: bytes, source_name: str) -> dict[str, bytes]:
    """Every output of one document, rendered in memory before anything is written."""
    stem = Path(source_name).stem
    return {stem + suffix: render(doc, data, source_name, fmt) for fmt, suffix in FORMATS.items()}


def list_inputs(raw_dir: Path) -> list[Path]:
    """The text files of a folder, sorted by name (so runs are deterministic)."""
    if not raw_dir.exists():
        raise InputError(f"{raw_dir}: no such folder")
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: not a folder")
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


def prepare_output(out_dir: Path) -> None:
    """Create the output folder and make sure it is writable, or raise :class:`OutputError`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out_dir, prefix=".probe", delete=True)
        probe.close()
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write output here ({exc.strerror or exc})") from None


def run_folder(raw_dir: Path, out_dir: Path, config: Config | None = None, *, report: bool = False,
               decisions: Path | None = None) -> list[FileResult]:
    """Clean every text file of ``raw_dir`` into ``out_dir``; write ``manifest.json``.

    ``report``: also write the HTML report into ``out_dir/report/``. ``decisions``: a review's
    decisions file to obey (see :mod:`pipeline.review.apply`); what became of each decision is in
    the manifest's ``review`` section.
    """
    inputs = list_inputs(raw_dir)
    if out_dir.resolve() == raw_dir.resolve():
        raise OutputError(f"{out_dir}: the output folder is the input folder (its <stem>.txt would overwrite "
                          "the inputs); choose another")
    prepare_output(out_dir)
    config = config or Config()
    review = start_review(out_dir, report, decisions)
    started = time.perf_counter()
    lexicon = get_lexicon()
    load_seconds = time.perf_counter() - started
    results = [_run_one(path, out_dir, config, doc_lexicon, review)
               for path, doc_lexicon in with_collection_evidence(inputs, lexicon)]
    manifest = _manifest(results, config, load_seconds, time.perf_counter() - started)
    finish_review(review, results, manifest)
    write_atomic(out_dir / "manifest.json",
                 (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    return results


def with_collection_evidence(inputs: list[Path], lexicon: Lexicon) -> Iterator[tuple[Path, Lexicon]]:
    """Each input with a lexicon that counts the rest of the collection as corpus evidence.

    The collection is counted once; each document then gets it without its own share
    (counting the others afresh for every document would be quadratic in the collection).
    """
    texts = _corpus_texts(inputs)
    collection = lexicon.with_corpus("\n\n".join(texts.values()))
    for path in inputs:
        own = texts.get(path.name)
        yield path, (collection.without_corpus_text(own) if own is not None else collection)


def _corpus_texts(inputs: list[Path]) -> dict[str, str]:
    """The decoded text of every readable input: each document is evidence for the others."""
    texts: dict[str, str] = {}
    for path in inputs:
        try:
            texts[path.name] = decode_bytes(path.read_bytes())[0]
        except (OSError, OcrcleanError):
            continue  # reported when the file itself is processed
    return texts


def start_review(out_dir: Path, report: bool, decisions: Path | None) -> ReviewRun | None:
    """The review's part of a run (report, decisions), or None when neither is asked for."""
    if not report and decisions is None:
        return None
    from pipeline.review.apply import ReviewRun

    return ReviewRun.start(out_dir, report=report, decisions=decisions)


def finish_review(review: ReviewRun | None, results: list[FileResult], manifest: dict[str, Any]) -> None:
    """After every document: the report's index; the decisions' outcomes go into the manifest."""
    if review is None:
        return
    section = review.finish([r.review for r in results if r.ok and r.review])
    if review.decisions_path is not None:
        manifest["review"] = section


def _run_one(path: Path, out_dir: Path, config: Config, lexicon: Any, review: ReviewRun | None = None) -> FileResult:
    t0 = time.perf_counter()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(path.name, False, f"cannot read ({exc.strerror})")
    summary: dict[str, Any] = {}
    try:
        doc = clean_bytes(data, path.name, config, lexicon,
                          decisions=review.for_document(path.name) if review is not None else None)
        outputs = render_all(doc, data, path.name)
        for name, blob in outputs.items():
            write_atomic(out_dir / name, blob)
        if review is not None:
            summary = review.document_done(doc, path.name)
    except OcrcleanError as exc:
        return FileResult(path.name, False, str(exc), sha256=sha256_hex(data))
    applied = doc.edits_by_stage()
    return FileResult(
        name=path.name, ok=True, sha256=sha256_hex(data), encoding=str(doc.meta.get("encoding", "")),
        seconds=time.perf_counter() - t0, edits=applied,
        suggestions=sum(1 for e in doc.edits if not e.applied), notes=len(doc.notes),
        captions=len(doc.captions), pages=1 + sum(1 for e in doc.edits if e.kind == "fw"
                                                 and e.data.get("type") == "pageNum"),
        chars_in=len(doc.original), chars_out=len(doc.text), review=summary)


def _manifest(results: list[FileResult], config: Config, load_seconds: float, total: float) -> dict[str, Any]:
    """The run's record. Timings are kept apart from the content so the rest is reproducible."""
    files = []
    for r in results:
        entry: dict[str, Any] = {"file": r.name, "ok": r.ok, "sha256": r.sha256}
        if r.ok:
            entry.update(encoding=r.encoding, edits=r.edits, suggestions=r.suggestions, notes=r.notes,
                         captions=r.captions, pages=r.pages, chars_in=r.chars_in, chars_out=r.chars_out)
        else:
            entry["error"] = r.error
        files.append(entry)
    return {
        "tool": "ocrclean",
        "version": __version__,
        "python": platform.python_version(),
        "config": {"min_confidence": config.min_confidence, "normalize": config.normalize,
                   "scheme": config.scheme, "authority": list(config.authority),
                   "disabled": sorted(config.disabled), "model": config.model or "shipped", "adapt": config.adapt},
        "files": files,
        "failed": sum(1 for r in results if not r.ok),
        "timings": {"lexicon_load_s": round(load_seconds, 1), "total_s": round(total, 1),
                    "per_file_s": {r.name: round(r.seconds, 1) for r in results}},
    }


def summary_table(results: list[FileResult]) -> str:
    """A fixed-width table for stderr: one row per file."""
    head = f"{'file':<42} {'status':<6} {'edits':>6} {'notes':>5} {'capt':>4} {'sec':>6}"
    rows = [head, "-" * len(head)]
    for r in results:
        if r.ok:
            rows.append(f"{r.name[:42]:<42} {'ok':<6} {sum(r.edits.values()):>6} {r.notes:>5} "
                        f"{r.captions:>4} {r.seconds:>6.2f}")
        else:
            rows.append(f"{r.name[:42]:<42} {'FAILED':<6} {r.error}")
    return "\n".join(rows)
