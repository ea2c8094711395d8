#!/usr/bin/env python3
"""Batch benchmark: `ocrclean run` on a corpus of a given size, with 1 and 2 workers, then again
unchanged (incremental), plus the cold start of a one-line `ocrclean clean`.

The corpus is made by repeating the documents of raw/, the OverProof SMH development OCR and
the ICDAR 2017 development files (when ../shared is present) under new names until it reaches
--mb megabytes. Each run is a fresh process; peak memory is the largest max RSS of any process
of the run (getrusage of the children, which includes the workers). Prints one table.

  python benchmarks/batch.py [--mb 2] [--workers 1,2]

With --single-file MB[,MB...] it measures instead one file of each size (the same documents repeated
into one file, so it is cleaned in windows): `ocrclean run` on a folder holding only that file, one
fresh process per size, its wall seconds and its own peak RSS (wait4), in a table.

  python benchmarks/batch.py --single-file 1,2,5
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks"


def sources() -> list[Path]:
    """The documents the corpus repeats: raw/, then the shared development OCR where present."""
    files = sorted((ROOT / "raw").glob("*.txt"))
    files += sorted((SHARED / "overproof-smh-dev" / "raw").glob("*.txt"))
    icdar = SHARED / "icdar2017"
    files += sorted(p for p in icdar.rglob("*.txt") if "gold" not in p.name.lower()) if icdar.is_dir() else []
    return files


def build_corpus(folder: Path, megabytes: float) -> int:
    """Copies of :func:`sources` under numbered names until ``megabytes``; returns the bytes written."""
    total, k = 0, 0
    files = sources()
    while total < megabytes * 1e6:
        src = files[k % len(files)]
        data = src.read_bytes()
        (folder / f"{k:05d}-{src.stem[:40]}.txt").write_bytes(data)
        total += len(data)
        k += 1
    return total


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds of a command and the largest max RSS (MB) of any child process so far."""
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def build_file(path: Path, megabytes: float, files: Sequence[Path] | None = None) -> int:
    """``files`` (default: :func:`sources`) concatenated in order and repeated into one file of ``megabytes``
    (each file's trailing line ends replaced by one blank line; cut after the last line end within the size);
    returns the bytes written."""
    limit = int(megabytes * 1e6)
    chunks, total = [], 0
    files = sources() if files is None else list(files)
    if not files:
        raise SystemExit("build_file: no source files to repeat")
    k = 0
    while total < limit:
        data = files[k % len(files)].read_bytes().rstrip(b"\n") + b"\n\n"
        chunks.append(data)
        total += len(data)
        k += 1
    blob = b"".join(chunks)[:limit]
    blob = blob[:blob.rfind(b"\n") + 1]
    path.write_bytes(blob)
    return len(blob)


def timed_alone(cmd: list[str], timeout: float) -> tuple[float, float, bool]:
    """Wall seconds of a command, its own peak RSS (MB, from wait4) and whether it finished in ``timeout``
    seconds (else it is killed and the figures are those until then)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finished = True
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            finished = False
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if finished and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {proc.returncode}")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, finished


def single_files(base: list[str], sizes: list[float], timeout: float) -> None:
    """The --single-file table: one file per size, each cleaned by a fresh `ocrclean run`."""
    print(f"{'file MB':>8} {'seconds':>8} {'KB/s':>7} {'peak RSS MB':>12} {'RSS bytes/input byte':>21}")
    for mb in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw"
            raw.mkdir()
            size = build_file(raw / "long.txt", mb)
            seconds, rss, done = timed_alone([*base, "run", str(raw), str(Path(tmp) / "out"), "-j", "1", "-q",
                                              "--no-report"], timeout)
            note = "" if done else f"  (killed after {timeout:.0f} s, not finished)"
            print(f"{size / 1e6:>8.1f} {seconds:>8.1f} {size / 1e3 / seconds:>7.1f} {rss:>12.0f} "
                  f"{rss * 2**20 / size:>21.0f}{note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--single-file", metavar="MB[,MB...]", default="",
                        help="measure one file of each size instead of a corpus")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a --single-file run is stopped")
    args = parser.parse_args()
    exe = shutil.which("ocrclean") or ""
    base = [exe] if exe else [sys.executable, "-m", "pipeline"]
    if args.single_file:  # this interpreter and this checkout's pipeline, whatever `ocrclean` is on PATH
        single_files([sys.executable, "-m", "pipeline"], [float(x) for x in args.single_file.split(",")], args.timeout)
        return
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        size = build_corpus(raw, args.mb)
        tiny = Path(tmp) / "tiny.txt"
        tiny.write_text("The quick brown fox.\n")
        cold, _ = timed([*base, "clean", str(tiny)])
        print(f"corpus: {size / 1e6:.1f} MB in {len(list(raw.iterdir()))} files; cold start of "
              f"`ocrclean clean` on one line: {cold:.2f} s")
        print(f"{'run':<28} {'seconds':>8} {'KB/s':>8} {'max RSS MB':>11}")
        for n in (int(w) for w in args.workers.split(",")):
            out = Path(tmp) / f"out{n}"
            seconds, rss = timed([*base, "run", str(raw), str(out), "-j", str(n), "-q"])
            print(f"{f'{n} worker(s)':<28} {seconds:>8.1f} {size / 1e3 / seconds:>8.1f} {rss:>11.0f}")
            seconds, rss = timed([*base, "run", str(raw), str(out), "-j", str(n), "-q"])
            print(f"{f'{n} worker(s), unchanged rerun':<28} {seconds:>8.1f} {'':>8} {rss:>11.0f}")


if __name__ == "__main__":
    main()
