#!/usr/bin/env python3
"""What name normalization costs: `ocrclean run` on the whole corpus with and without the names stage.

Why fresh processes: a user pays for everything a run loads (lexicon, authority,
romanization libraries), so each run is a new `ocrclean run RAW OUT` process,
pinned to one core with `taskset` when available; the two settings alternate so
that drift on a shared machine hits both alike, and the median of several runs
is reported. "Without" switches the stage off through a config file
(``disabled = ["names"]``), the same switch a user has.

  python benchmarks/names_overhead.py [RAW_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(raw: Path, config: Path | None) -> float:
    exe = shutil.which("ocrclean")
    cmd = [exe] if exe else [sys.executable, "-m", "pipeline"]
    with tempfile.TemporaryDirectory() as out:
        cmd = [*cmd, "run", str(raw), out]
        if config is not None:
            cmd += ["--config", str(config)]
        if shutil.which("taskset"):
            cmd = ["taskset", "-c", "0", *cmd]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="?", type=Path, default=ROOT / "raw")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        off = Path(tmp) / "no-names.toml"
        off.write_text('disabled = ["names"]\n', encoding="utf-8")
        one_run(args.raw, None)  # warm the file cache and the romanization cache once
        with_names: list[float] = []
        without: list[float] = []
        for _ in range(args.runs):
            without.append(one_run(args.raw, off))
            with_names.append(one_run(args.raw, None))
    files = sorted(args.raw.glob("*.txt"))
    size = sum(p.stat().st_size for p in files)
    a, b = statistics.median(without), statistics.median(with_names)
    print(f"corpus: {args.raw} ({len(files)} files, {size / 1024:.0f} KiB); {args.runs} runs each, fresh processes")
    print(f"without names stage: median {a:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in without)})")
    print(f"with names stage:    median {b:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in with_names)})")
    print(f"overhead: {b - a:+.2f} s = {100 * (b - a) / a:+.1f}%  (target: < 20%)")


if __name__ == "__main__":
    main()
