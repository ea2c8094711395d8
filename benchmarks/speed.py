#!/usr/bin/env python3
"""Speed benchmark: wall time of `ocrclean clean` on the whole pamphlet, cold, on one core.

Why a script and not a timed test: timings on a shared machine are noisy, so the
figure is measured here, several runs, and quoted in notes; tests never time.
Each run is a fresh process (dictionary loading included) pinned to one core
with `taskset` when available. Also prints per-stage timings measured in-process,
throughput, and peak memory (max RSS of the child, from getrusage).

  python benchmarks/speed.py [FILE] [--runs N] [--format txt|tei|jsonl]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "raw" / "japanese-intervention-pamphlet.txt"


def cold_runs(path: Path, runs: int, fmt: str) -> tuple[list[float], float]:
    """Wall seconds of each fresh-process run, and the largest child max RSS in MB."""
    exe = shutil.which("ocrclean")
    cmd = [exe] if exe else [sys.executable, "-m", "pipeline"]
    cmd += ["clean", str(path), "--format", fmt]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return times, rss_mb


def stage_times(path: Path) -> list[tuple[str, float]]:
    """In-process seconds per stage (lexicon load separate), one warm run."""
    sys.path.insert(0, str(ROOT))
    from pipeline.api import Config, Context
    from pipeline.lexicon import get_lexicon
    from pipeline.stages import REPAIR_STAGES, decode

    t0 = time.perf_counter()
    lex = get_lexicon()
    out = [("lexicon load", time.perf_counter() - t0)]
    data = path.read_bytes()
    t0 = time.perf_counter()
    doc = decode.load(data, path.name)
    out.append(("decode", time.perf_counter() - t0))
    ctx = Context(Config(), lex)
    for stage in REPAIR_STAGES:
        t0 = time.perf_counter()
        stage.run(doc, ctx)
        out.append((stage.STAGE, time.perf_counter() - t0))
    from pipeline.batch import render_all

    t0 = time.perf_counter()
    render_all(doc, data, path.name)
    out.append(("render txt+tei+jsonl+edits", time.perf_counter() - t0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--format", default="txt", choices=["txt", "tei", "jsonl"])
    args = ap.parse_args()
    if not args.file.is_file():
        sys.exit(f"speed.py: {args.file}: no such file")
    size = args.file.stat().st_size
    times, rss = cold_runs(args.file, args.runs, args.format)
    print(f"file: {args.file.name} ({size / 1024:.1f} KiB), format {args.format}, {args.runs} cold runs on one core")
    print(f"wall s: min {min(times):.3f}  median {statistics.median(times):.3f}  max {max(times):.3f}")
    print(f"throughput (median): {size / 1024 / statistics.median(times):.1f} KiB/s")
    print(f"peak RSS of a run: {rss:.0f} MB")
    print("in-process stage timings (s):")
    for name, sec in stage_times(args.file):
        print(f"  {name:<28} {sec:7.3f}")


if __name__ == "__main__":
    main()
