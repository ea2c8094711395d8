#!/usr/bin/env python3
"""What each static resource costs in resident memory: VmRSS after each load, in this fresh process.

  python benchmarks/resources.py

Each step's figure is the growth of VmRSS (``/proc/self/status``, Linux) after it and a ``gc.collect()``;
the wall seconds are the load's (from the resource cache once it is built).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def rss_mb() -> float:
    """This process's resident set in MB (Linux ``/proc``)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    rows: list[tuple[str, float, float, float]] = []
    keep: list[object] = []

    def step(name: str, load: Callable[[], object]) -> None:
        gc.collect()
        before, t0 = rss_mb(), time.perf_counter()
        keep.append(load())
        gc.collect()
        rows.append((name, rss_mb() - before, rss_mb(), time.perf_counter() - t0))

    step("imports (pipeline.api)", lambda: __import__("pipeline.api"))
    from pipeline import lexicon

    step("lexicon (wordfreq list, curated dictionary, user lists)", lexicon.get_lexicon)
    step("static words (membership view)", lexicon.get_lexicon().static_words)
    step("bigram table", lexicon.bigram_counts)
    from pipeline.api import clean_text

    step("first clean (deletion index, channel, letter model, names)",
         lambda: clean_text("Warm up the resources of the word corrector.\n"))
    for name, grew, total, seconds in rows:
        print(f"{name:<60} +{grew:7.1f} MB  RSS {total:7.1f} MB  {seconds:5.2f} s")


if __name__ == "__main__":
    main()
