"""Executors: where the documents of a run are cleaned (this process, a pool of processes, a Dask cluster).

A run has explicit phases (see :mod:`pipeline.batch`): read and count the collection, clean and
render each document, write outputs and the manifest. Only the middle phase is distributed: an
executor receives a :class:`Job` (settings and the collection's corpus counts, the same for every
document) and :class:`Task` values (one document each), and yields one :class:`Outcome` per task
as it finishes, in any order. A local executor's workers (this process, a process pool) write each
output as it is rendered to a temporary file in the output folder (:func:`pipeline.files.write_staged`)
and return its path; the calling process renames it into place, so no output is held whole in
memory nor sent between processes. A Dask worker returns the outputs as bytes and the calling process
writes them, so a cluster needs no shared file system.

Each worker loads the static resources (frequency lists, candidate index, error model) once and
builds the collection's lexicon once per job (:func:`_collection_lexicon`).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.context import Config
from pipeline.errors import OcrcleanError
from pipeline.export.jsonl import page_count
from pipeline.export.registry import Source, output_name, render, write_format
from pipeline.files import write_staged
from pipeline.lexicon import CorpusCounts, Lexicon, get_lexicon

if TYPE_CHECKING:
    from pipeline.document import Document
    from pipeline.review.apply import ReviewRun


@dataclass(frozen=True)
class Job:
    """What every document of a run shares: settings, the collection's corpus counts, the formats to
    render and the per-document memory budget in MB (``None``: no limit)."""

    config: Config
    counts: CorpusCounts
    formats: tuple[str, ...]
    max_memory_mb: int | None = None
    #: Identifies the job on a worker (cache key of its collection lexicon).
    token: str = ""
    #: The review's part of the run (decisions to obey, the HTML report to write), or None.
    review: ReviewRun | None = None
    #: The output folder, when the workers share the caller's file system (local executors): outputs are
    #: then written there to temporary files (:attr:`Outcome.staged`); None: returned as bytes.
    out_dir: str | None = None


@dataclass(frozen=True)
class Task:
    """One document: its name relative to the input folder (POSIX), the file to read and, for
    executors whose workers may not see that file, its bytes."""

    name: str
    path: str
    data: bytes | None = None


@dataclass
class Outcome:
    """What became of one document: its outputs (output file name -> bytes, or -> the temporary file
    holding them in the output folder, to be renamed into place) or the reason it failed."""

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
    outputs: dict[str, bytes] = field(default_factory=dict)
    #: Outputs written by the worker (:attr:`Job.out_dir`): output file name -> temporary file path.
    staged: dict[str, str] = field(default_factory=dict)
    #: The review's summary of the document (see :meth:`pipeline.review.apply.ReviewRun.document_done`).
    review: dict[str, Any] = field(default_factory=dict)


def make_job(config: Config, counts: CorpusCounts, formats: tuple[str, ...],
             max_memory_mb: int | None, review: ReviewRun | None = None, out_dir: str | None = None) -> Job:
    """A :class:`Job` with a fresh token (so workers never reuse another job's collection lexicon);
    ``out_dir``: see :attr:`Job.out_dir`."""
    return Job(config, counts, formats, max_memory_mb, uuid.uuid4().hex, review, out_dir)


# -- the work of one document (runs in a worker) --------------------------------------------

_COLLECTION: dict[str, Lexicon] = {}


def _collection_lexicon(job: Job) -> Lexicon:
    """The static lexicon plus the job's collection counts, built once per worker and job."""
    lex = _COLLECTION.get(job.token)
    if lex is None:
        _COLLECTION.clear()
        lex = _COLLECTION[job.token] = get_lexicon().with_counts(job.counts)
    return lex


@contextmanager
def memory_budget(megabytes: int | None) -> Iterator[None]:
    """Limit this process's address space to its present size plus ``megabytes`` while the block
    runs (``MemoryError`` beyond it), then lift the limit again. A no-op for ``None`` or where the
    platform has no ``RLIMIT_AS``."""
    if megabytes is None or not hasattr(resource, "RLIMIT_AS"):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux ``/proc``; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def process_document(task: Task, job: Job) -> Outcome:
    """Read, clean and render one document. Never raises: every failure becomes an :class:`Outcome`
    that says why (unreadable file, bad input, memory budget exceeded, an internal error)."""
    from pipeline.api import clean_bytes
    from pipeline.stages.decode import decode_bytes

    t0 = time.perf_counter()
    if task.data is not None:
        data = task.data
    else:
        try:
            with open(task.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            return Outcome(task.name, False, f"cannot read ({exc.strerror or exc})")
    source = Source.of(task.name, data)
    try:
        with memory_budget(job.max_memory_mb):
            collection = _collection_lexicon(job)
            decoded = decode_bytes(data)
            # the bytes are not needed once decoded and hashed: a long input's go before it is cleaned
            del data
            decisions = job.review.for_document(task.name) if job.review is not None else None
            # a long input's finished windows go to disk (the outputs and the report read them back one at
            # a time); with a review's decisions the document stays in memory (:func:`clean_bytes`)
            doc = clean_bytes(b"", task.name, job.config, collection.without_corpus_text(decoded[0]),
                              decisions=decisions, decoded=decoded, spill=True)
            outputs: dict[str, bytes] = {}
            staged: dict[str, str] = {}
            if job.out_dir is None:
                outputs = {output_name(task.name, fmt): render(doc, source, fmt) for fmt in job.formats}
            else:
                try:
                    staged = stage_outputs(doc, source, task.name, job.formats, Path(job.out_dir))
                except OSError as exc:
                    return Outcome(task.name, False, f"cannot write {exc.filename or 'an output'} "
                                                     f"({exc.strerror or exc})", sha256=source.sha256)
            # the report page is written here (on a Dask cluster: the worker's file system)
            review = job.review.document_done(doc, task.name) if job.review is not None else {}
    except OcrcleanError as exc:
        return Outcome(task.name, False, str(exc), sha256=source.sha256)
    except MemoryError:
        return Outcome(task.name, False, f"exceeded the memory budget of {job.max_memory_mb} MB "
                                         "(raise it with --max-memory)", sha256=source.sha256)
    except RecursionError:
        return Outcome(task.name, False, "internal error: recursion too deep (please report this file)",
                       sha256=source.sha256)
    except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the batch
        return Outcome(task.name, False, f"internal error ({type(exc).__name__}: {exc}); please report this file",
                       sha256=source.sha256)
    return Outcome(
        name=task.name, ok=True, sha256=source.sha256, encoding=str(doc.meta.get("encoding", "")),
        seconds=time.perf_counter() - t0, edits=doc.edits_by_stage(),
        suggestions=doc.suggestion_count(), notes=len(doc.notes),
        captions=len(doc.captions), pages=page_count(doc), chars_in=len(doc.original), chars_out=doc.text_length(),
        outputs=outputs, staged=staged, review=review)


def stage_outputs(doc: Document, source: Source, name: str, formats: tuple[str, ...], out_dir: Path) -> dict[str, str]:
    """Write each format of ``doc`` as it is rendered (:func:`pipeline.export.registry.write_format`) to a
    temporary file beside its output in ``out_dir`` (:func:`pipeline.files.write_staged`); output file
    name -> temporary path, in the order of ``formats``. Nothing is renamed into place. On any failure
    the temporary files made so far are removed and the exception propagates; an ``OSError`` then
    carries the output's name (relative to ``out_dir``) as its ``filename``."""
    staged: dict[str, str] = {}
    try:
        for fmt in formats:
            out = output_name(name, fmt)
            target = out_dir / out
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = write_staged(target, partial(write_format, doc, source, fmt))
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror or str(exc), out) from exc
            staged[out] = str(tmp)
    except BaseException:
        discard_staged(staged)
        raise
    return staged


def discard_staged(staged: dict[str, str]) -> None:
    """Remove temporary output files (those of a document that failed or was not written)."""
    for tmp in staged.values():
        Path(tmp).unlink(missing_ok=True)


# -- executors ---------------------------------------------------------------------------------

class Executor(Protocol):
    """Runs :func:`process_document` over tasks; yields outcomes as they finish (any order)."""

    #: Whether the workers share this process's file system (then they write outputs, :attr:`Job.out_dir`).
    local: bool

    def map(self, tasks: list[Task], job: Job) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Every document in this process, one after the other."""

    local = True

    def map(self, tasks: list[Task], job: Job) -> Iterator[Outcome]:
        for task in tasks:
            yield process_document(task, job)

    def close(self) -> None:
        pass


_WORKER_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that started it dies (``kill -9`` of a run must
    not leave workers behind, blocked on a pipe nobody reads). Elsewhere a no-op."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _run_in_worker(task: Task) -> Outcome:
    assert _WORKER_JOB is not None, "worker not initialised"
    return process_document(task, _WORKER_JOB)


def warm_up(config: Config) -> None:
    """Load the static resources (lexicon, candidate index, error model, name index) in this process,
    so that forked workers share them instead of each loading its own copy."""
    from pipeline.api import clean_text

    clean_text("Warm up the resources of the word corrector.\n", config)


class ProcessExecutor:
    """A pool of ``workers`` processes (forked where the platform allows, so they share the resources
    this process loaded). A worker that dies (killed by the kernel, a crash in a C library) fails
    only its own document: the documents in flight are retried one by one in fresh processes."""

    local = True

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def _pool(self, job: Job, workers: int) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(job,))

    def map(self, tasks: list[Task], job: Job) -> Iterator[Outcome]:
        warm_up(job.config)
        _collection_lexicon(job)  # built before the fork: every worker inherits it
        pending = deque(tasks)
        running: dict[Future[Outcome], Task] = {}
        pool = self._pool(job, self.workers)
        try:
            while pending or running:
                while pending and len(running) < 2 * self.workers:
                    task = pending.popleft()
                    running[pool.submit(_run_in_worker, task)] = task
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken: list[Task] = []
                for future in done:
                    task = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken.append(task)
                if broken:  # every document in flight is lost with the pool: retry them one by one
                    broken.extend(running.values())
                    running.clear()
                    pool.shutdown(wait=True, cancel_futures=True)
                    yield from self._isolated(broken, job)
                    pool = self._pool(job, self.workers)
        finally:
            pool.shutdown(cancel_futures=True)

    def _isolated(self, tasks: list[Task], job: Job) -> Iterator[Outcome]:
        """Each task in a process of its own: one that dies again is reported, not retried."""
        for task in tasks:
            with self._pool(job, 1) as pool:
                try:
                    yield pool.submit(_run_in_worker, task).result()
                except BrokenProcessPool:
                    yield Outcome(task.name, False, "the worker process died while cleaning this file "
                                                   "(out of memory or a crash); see --max-memory")

    def close(self) -> None:
        pass


def _dask_process(task: Task, job: Job) -> Outcome:
    return process_document(task, job)


class DaskExecutor:
    """Documents sent to ``dask.distributed`` workers: a local cluster of ``workers`` processes, or an
    existing cluster at ``scheduler`` (``tcp://host:8786``). Each task carries the document's bytes
    (workers need not see the input folder); the job is scattered to every worker once.
    Requires the optional dependency group ``ocrclean[dask]``."""

    local = False

    def __init__(self, workers: int, scheduler: str | None = None, processes: bool = True) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise OcrcleanError("the Dask executor needs dask.distributed: pip install 'ocrclean[dask]'") from None
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout="20s")
            else:
                self._cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=processes,
                                             host="127.0.0.1", dashboard_address=None)
                self._client = Client(self._cluster)
        except OSError as exc:
            raise OcrcleanError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None

    def map(self, tasks: list[Task], job: Job) -> Iterator[Outcome]:
        from dask.distributed import as_completed

        shared = self._client.scatter(job, broadcast=True)
        futures = {}
        for task in tasks:
            if task.data is None:
                try:
                    with open(task.path, "rb") as fh:
                        task = Task(task.name, task.path, fh.read())
                except OSError as exc:
                    yield Outcome(task.name, False, f"cannot read ({exc.strerror or exc})")
                    continue
            futures[self._client.submit(_dask_process, task, shared, pure=False)] = task
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its documents, not the run
                yield Outcome(task.name, False, f"the Dask worker failed ({type(exc).__name__}: {exc})")

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


#: The executors ``make_executor`` knows by name (``run --executor``'s choices).
EXECUTORS = ("local", "dask")


def make_executor(kind: str, workers: int, scheduler: str | None = None) -> Executor:
    """``local`` (serial for one worker, a process pool otherwise) or ``dask``; see :data:`EXECUTORS`."""
    if kind == "dask" or scheduler:
        return DaskExecutor(workers, scheduler)
    if kind != "local":
        raise OcrcleanError(f"unknown executor {kind!r} (choose local or dask)")
    return SerialExecutor() if workers <= 1 else ProcessExecutor(workers)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1

