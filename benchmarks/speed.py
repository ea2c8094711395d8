#!/usr/bin/env python3
"""Throughput and memory of cleaning on one core, on a corpus made by repeating the development OCR.

Why a script and not a timed test: timings on a shared machine are noisy, so the figures are measured
here and quoted in notes; tests never time (``tests/test_bounds.py`` checks the bounds by memory and
operation counts instead).

The corpus (issue 9): copies of three groups, in this order, until the wanted size is reached:

* ``raw``: the project's ``raw/*.txt`` (a pamphlet, despatches), cleaned as one collection;
* ``icdar``: the aligned OCR side of the 40 ICDAR 2017 English monograph development files
  (``benchmarks/icdar2017/eng_monograph_dev`` of the shared folder), one document each, cleaned as one collection;
* ``newspaper``: the 80 OverProof SMH development articles (``benchmarks/overproof-smh-dev/raw``),
  cleaned as one collection.

Each group of each copy is cleaned as ``ocrclean run`` cleans a folder (every document with the others
of its group as corpus evidence) and rendered to all four outputs in memory (txt, TEI, edits, JSONL);
nothing is written. Measured: KB (1,000 bytes of UTF-8 input) per CPU second of this single-threaded
process (``time.process_time``: per core), overall and on the newspaper group alone, for the first copy
(no word of the text seen before: cold caches) and for the repeats (steady state: the process-wide
caches of the corrector already hold the words, as in a long run over similar text); and the peak
resident set (``ru_maxrss``). Cold start (imports, lexicon, vocabulary index, first use of the stages)
is excluded and printed apart.

  python benchmarks/speed.py                         # 20 MB corpus
  python benchmarks/speed.py --mb 2                  # a smaller one
  python benchmarks/speed.py --sizes 1,2,5,10,20     # size table: one fresh process per size
  python benchmarks/speed.py --json                  # one JSON object
  python benchmarks/speed.py --shared /path/to/shared
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
ICDAR = "benchmarks/icdar2017/eng_monograph_dev"
OVERPROOF = "benchmarks/overproof-smh-dev/raw"
WARM_UP = "Tbe quick brown fox jumped ovcr the lazy dog , near Dairen.\n"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Group:
    """One group of the corpus: documents (name, bytes) cleaned together as one collection."""

    name: str
    documents: list[tuple[str, bytes]]

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.documents)


@dataclass
class Tally:
    """Input bytes and CPU seconds, by group and by copy (first or repeat)."""

    bytes: dict[tuple[str, bool], int] = field(default_factory=dict)
    cpu: dict[tuple[str, bool], float] = field(default_factory=dict)

    def add(self, group: str, first: bool, size: int, cpu: float) -> None:
        key = (group, first)
        self.bytes[key] = self.bytes.get(key, 0) + size
        self.cpu[key] = self.cpu.get(key, 0.0) + cpu

    def rate(self, group: str | None = None, first: bool | None = None) -> tuple[float, float, float | None]:
        """(KB, CPU seconds, KB per CPU second) over the matching cells."""
        keys = [k for k in self.bytes if (group is None or k[0] == group) and (first is None or k[1] == first)]
        kb = sum(self.bytes[k] for k in keys) / 1000
        cpu = sum(self.cpu[k] for k in keys)
        return kb, cpu, (kb / cpu if cpu else None)


def load_groups(shared: Path) -> list[Group]:
    """The three groups of the corpus, read from the project and the shared folder."""
    from pipeline.evaluate import load_gold_dir

    for rel in (ICDAR, OVERPROOF):
        if not (shared / rel).is_dir():
            sys.exit(f"speed.py: {shared / rel}: not found (give --shared PATH)")
    raw = [(p.name, p.read_bytes()) for p in sorted((ROOT / "raw").glob("*.txt"))]
    icdar = [(f"{s.path.stem}.txt", s.raw.encode("utf-8")) for s in load_gold_dir(shared / ICDAR)]
    news = [(p.name, p.read_bytes()) for p in sorted((shared / OVERPROOF).glob("*.txt"))]
    return [Group("raw", raw), Group("icdar", icdar), Group("newspaper", news)]


def cold_start() -> float:
    """Seconds to import the pipeline, load its resources and clean one short sentence."""
    t0 = time.perf_counter()
    from pipeline.api import Config, clean_text
    from pipeline.lexicon import get_lexicon

    get_lexicon().with_corpus("")
    clean_text(WARM_UP, Config(normalize=False))
    return time.perf_counter() - t0


def clean_group(group: Group) -> float:
    """Clean and render every document of a group as one collection; CPU seconds taken."""
    from pipeline.api import Config, clean_bytes
    from pipeline.batch import render_all
    from pipeline.lexicon import get_lexicon
    from pipeline.stages.decode import decode_bytes

    config = Config()
    cpu0 = time.process_time()
    texts = {name: decode_bytes(data)[0] for name, data in group.documents}
    collection = get_lexicon().with_corpus("\n\n".join(texts.values()))
    for name, data in group.documents:
        lexicon = collection.without_corpus_text(texts[name])
        doc = clean_bytes(data, name, config, lexicon)
        render_all(doc, data, name)
    return time.process_time() - cpu0


def run_corpus(groups: list[Group], megabytes: float) -> dict[str, Any]:
    """Clean copies of the groups until ``megabytes`` MB of input are done; the figures as a dict."""
    start = cold_start()
    target = megabytes * 1_000_000
    tally = Tally()
    done = copies = 0
    wall0 = time.perf_counter()
    while done < target:
        for group in groups:
            if done >= target:
                break
            cpu = clean_group(group)
            tally.add(group.name, copies == 0, group.size, cpu)
            done += group.size
            print(f"  copy {copies + 1} {group.name:<9} {group.size / 1000:8.1f} KB {cpu:7.2f} CPU s "
                  f"{group.size / 1000 / cpu:7.1f} KB/s", file=sys.stderr)
        copies += 1
    wall = time.perf_counter() - wall0
    out: dict[str, Any] = {"mb": done / 1e6, "copies": copies, "cold_start_s": start, "wall_s": wall,
                           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    for label, group in (("overall", None), ("newspaper", "newspaper")):
        for when, first in (("all", None), ("first", True), ("repeats", False)):
            kb, cpu, rate = tally.rate(group, first)
            out[f"{label}_{when}"] = {"kb": kb, "cpu_s": cpu, "kb_per_s": rate}
    return out


def format_run(r: dict[str, Any]) -> str:
    lines = [f"corpus: {r['mb']:.1f} MB in {r['copies']} copies of raw/ + ICDAR dev + OverProof dev; "
             f"cold start {r['cold_start_s']:.2f} s (excluded); peak RSS {r['peak_rss_mb']:.0f} MB; "
             f"wall {r['wall_s']:.0f} s",
             f"{'KB/s per core':<16} {'all':>10} {'first copy':>11} {'repeats':>10}"]
    for label in ("overall", "newspaper"):
        cells = []
        for when in ("all", "first", "repeats"):
            rate = r[f"{label}_{when}"]["kb_per_s"]
            cells.append("-" if rate is None else f"{rate:.1f}")
        lines.append(f"{label:<16} {cells[0]:>10} {cells[1]:>11} {cells[2]:>10}")
    return "\n".join(lines)


def size_table(sizes: list[float], shared: Path) -> list[dict[str, Any]]:
    """One fresh process per size (so each peak RSS is its own); the figures of each."""
    rows = []
    for mb in sizes:
        cmd = [sys.executable, __file__, "--mb", str(mb), "--shared", str(shared), "--json"]
        done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
        rows.append(json.loads(done.stdout))
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'MB':>6} {'CPU s':>8} {'KB/s':>8} {'news KB/s':>10} {'peak RSS MB':>12}"]
    for r in rows:
        a, n = r["overall_all"], r["newspaper_all"]
        news = "-" if n["kb_per_s"] is None else f"{n['kb_per_s']:.1f}"
        lines.append(f"{r['mb']:>6.1f} {a['cpu_s']:>8.1f} {a['kb_per_s']:>8.1f} {news:>10} {r['peak_rss_mb']:>12.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--sizes", help="comma-separated sizes in MB: a table, one process per size")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.shared.is_dir():
        sys.exit(f"speed.py: {args.shared}: no such folder (give --shared PATH)")
    if args.sizes:
        rows = size_table([float(x) for x in args.sizes.split(",")], args.shared)
        print(json.dumps(rows, indent=2) if args.json else format_table(rows))
        return
    result = run_corpus(load_groups(args.shared), args.mb)
    print(json.dumps(result) if args.json else format_run(result))


if __name__ == "__main__":
    main()
