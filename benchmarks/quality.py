"""Quality and speed of ocrclean on the development data of ``../shared``, side by side with OverProof.

Why this script exists: the targets of issue 8 (CER cut, files made worse, clean text left alone,
KB/s per core) must be measured the same way every time, by the measure the reference scorer
(``shared/tools/score.py``) defines, not by timed tests. Everything runs in this process through
the Python API (:mod:`pipeline.evaluation.runner`, :mod:`pipeline.evaluate`), with no subprocess per file.

Data sets (paths inside the shared folder):

* ``pamphlet``: ``gold/pamphlet/chunkN.raw.txt`` against the body of ``chunkN.gold.txt``, each
  cleaned alone, plain scoring (the reference's ``chunks`` mode);
* ``icdar``: the ICDAR 2017 files of ``benchmarks/icdar2017/eng_monograph_dev``, each aligned OCR
  side cleaned alone, ICDAR reading form (the reference's ``icdar`` mode);
* ``overproof``: ``benchmarks/overproof-smh-dev``, ``raw/`` cleaned as one collection (as
  ``ocrclean run``), hyphen-neutral scoring, OverProof's own output (``overproof/``) scored too
  (the reference's ``overproof`` mode).

Names are never normalized (``--no-normalize``, as the reference runs). Figures printed:

* quality: raw CER, ocrclean CER, cut (share of the raw character errors removed), files made
  worse than the raw OCR, and the same for OverProof where its output exists; CER micro-averaged;
* throughput: KB (1,000 bytes of UTF-8) of OverProof dev raw OCR cleaned per CPU second of this
  (single-threaded) process, i.e. per core, measured with ``time.process_time`` around cleaning
  the ``raw/`` folder as a run does (collection evidence included). Cold start is excluded and
  reported apart: imports, the lexicon and bigram loads and the first-use loads of the stages,
  forced by cleaning one short sentence that is not from the data. The throughput run comes
  first, before any data-set word can warm the pipeline's caches. Wall seconds are shown too;
  on a shared machine they are the less reliable figure;
* clean text left alone: the ground-truth texts (pamphlet gold bodies, ICDAR gold side,
  OverProof gold) are cleaned the way their raw side is; changed characters per 10,000 =
  Levenshtein distance between input and output, both in the data set's scoring form, divided by
  the input's characters in that form, times 10,000; "touched" counts documents with any change.
  The scoring form makes the gold's own conventions (ICDAR printed hyphens and spaced
  punctuation, OverProof line-end hyphens) neutral, as in the quality figures.

Usage (from the project root)::

    python benchmarks/quality.py                  # tables on stdout
    python benchmarks/quality.py --json           # the same as one JSON object
    python benchmarks/quality.py --shared /path/to/shared
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"

#: Data set name -> (folder inside the shared folder, label).
DATASETS: dict[str, tuple[str, str]] = {
    "pamphlet": ("gold/pamphlet", "pamphlet dev chunks"),
    "icdar": ("benchmarks/icdar2017/eng_monograph_dev", "ICDAR 2017 dev monographs"),
    "overproof": ("benchmarks/overproof-smh-dev", "OverProof SMH dev"),
}
PEER = "overproof"
WARM_UP = "Tbe quick brown fox jumped ovcr the lazy dog , near Dairen.\n"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _pct(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{100 * value:.{digits}f}%"


def cold_start() -> dict[str, float]:
    """Import the pipeline, load the lexicon and bigrams, and clean one short sentence (first-use
    loads of the stages); seconds of each part (``time.perf_counter``)."""
    t0 = time.perf_counter()
    from pipeline.api import Config, clean_text
    from pipeline.lexicon import get_lexicon

    t1 = time.perf_counter()
    get_lexicon().with_corpus("")  # the bigram list is read on first use of a corpus lexicon
    t2 = time.perf_counter()
    clean_text(WARM_UP, Config(normalize=False))
    t3 = time.perf_counter()
    return {"imports_s": t1 - t0, "lexicon_s": t2 - t1, "first_use_s": t3 - t2}


def throughput(shared: Path) -> dict[str, Any]:
    """KB of OverProof dev raw OCR per CPU second (per core) and per wall second, cold start excluded.

    Times :func:`pipeline.evaluation.runner.clean_sources` over the ``raw/`` folder (collection
    evidence built and every file cleaned, as ``ocrclean run`` does; no output written).
    """
    from pipeline.api import Config
    from pipeline.evaluate import load_gold_dir
    from pipeline.evaluation.runner import clean_sources

    folder = shared / DATASETS["overproof"][0] / "raw"
    sources = load_gold_dir(folder.parent)
    size = sum(len(p.read_bytes()) for p in sorted(folder.glob("*.txt")))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    clean_sources(sources, Config(normalize=False))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"files": len(sources), "kb": size / 1000, "cpu_s": cpu, "wall_s": wall,
            "kb_per_s_per_core": size / 1000 / cpu if cpu else None,
            "kb_per_s_wall": size / 1000 / wall if wall else None}


def quality(name: str, shared: Path) -> dict[str, Any]:
    """Raw, ocrclean and (where present) OverProof scores of one data set, as ``ocrclean eval`` gives them."""
    from pipeline.api import Config
    from pipeline.evaluate import load_gold_dir
    from pipeline.evaluation.runner import evaluate_with_pipeline

    result = evaluate_with_pipeline(load_gold_dir(shared / DATASETS[name][0]), Config(normalize=False))
    raw = result.raw_total
    row: dict[str, Any] = {
        "dataset": name, "files": len(result.documents), "scoring": "+".join(result.conventions),
        "raw_cer": raw.cer if raw else None, "ocrclean_cer": result.total.cer, "cut": result.cut,
        "files_worse": len(result.worse), "worse": result.worse,
        "overproof_cer": None, "overproof_cut": None, "overproof_files_worse": None}
    if PEER in result.peer_names:
        row.update(overproof_cer=result.peer_total(PEER).cer, overproof_cut=result.peer_cut(PEER),
                   overproof_files_worse=len(result.peer_worse(PEER)))
    return row


def left_alone(name: str, shared: Path) -> dict[str, Any]:
    """Changed characters per 10,000 when the ground truth of data set ``name`` is cleaned."""
    from rapidfuzz.distance import Levenshtein

    from pipeline.api import Config
    from pipeline.evaluate import GoldDoc, load_gold_dir, scoring_form
    from pipeline.evaluation.runner import clean_sources

    folder = shared / DATASETS[name][0]
    texts = []
    for source in load_gold_dir(folder):
        if source.kind == "overproof":  # gold/ cleaned as one collection, as `ocrclean run gold OUT` would
            gold_path = folder / "gold" / source.path.name
            texts.append(replace(source, raw=source.gold.body, path=gold_path, collection=gold_path.parent,
                                 peers={}))
        else:  # the gold body (pamphlet) or the gold side (ICDAR), cleaned alone from its text
            texts.append(replace(source, raw=source.gold.body, kind="text", gold=GoldDoc(body=source.gold.body)))
    cleaned = clean_sources(texts, Config(normalize=False))
    chars = changed = touched = 0
    for source, out in zip(texts, cleaned, strict=True):
        before, after = scoring_form(source.raw, source.conventions), scoring_form(out.body, source.conventions)
        distance = Levenshtein.distance(before, after)
        chars += len(before)
        changed += distance
        touched += distance > 0
    return {"dataset": name, "documents": len(texts), "chars": chars, "changed": changed,
            "per_10000": 10_000 * changed / max(1, chars), "touched": touched}


def format_report(report: dict[str, Any]) -> str:
    """The three tables of a report as fixed-width text."""
    def table(header: Sequence[str], rows: list[Sequence[str]]) -> list[str]:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        fmt = [lambda c, w: c.ljust(w)] + [lambda c, w: c.rjust(w)] * (len(header) - 1)
        lines = [[f(c, w) for f, c, w in zip(fmt, row, widths, strict=True)] for row in [header, *rows]]
        lines.insert(1, ["-" * w for w in widths])
        return ["  ".join(line).rstrip() for line in lines]

    out = ["quality (names as printed; CER micro-averaged; cut = share of raw character errors removed)"]
    rows = []
    for q in report["quality"]:
        files = q["files"]
        rows.append([DATASETS[q["dataset"]][1], str(files), q["scoring"], _pct(q["raw_cer"]), _pct(q["ocrclean_cer"]),
                     _pct(q["cut"], 1), f"{q['files_worse']}/{files}", _pct(q["overproof_cer"]),
                     _pct(q["overproof_cut"], 1),
                     "-" if q["overproof_files_worse"] is None else f"{q['overproof_files_worse']}/{files}"])
    out += table(["dataset", "files", "scoring", "raw CER", "ocrclean CER", "cut", "worse",
                  "OverProof CER", "OverProof cut", "OverProof worse"], rows)
    t, c = report["throughput"], report["cold_start"]
    if t is not None:
        out += ["", f"throughput on OverProof SMH dev raw OCR ({t['files']} files, {t['kb']:.1f} KB): "
                    f"{t['kb_per_s_per_core']:.1f} KB/s per core ({t['cpu_s']:.2f} CPU s), "
                    f"{t['kb_per_s_wall']:.1f} KB/s wall ({t['wall_s']:.2f} s)",
                f"cold start, excluded: imports {c['imports_s']:.2f} s, lexicon and bigrams {c['lexicon_s']:.2f} s, "
                f"first use of the stages {c['first_use_s']:.2f} s"]
    out += ["", "clean text left alone (ground truth through the pipeline, --no-normalize, in each data set's "
                "scoring form)"]
    rows = [[DATASETS[a["dataset"]][1], str(a["documents"]), str(a["chars"]), str(a["changed"]),
             f"{a['per_10000']:.2f}", f"{a['touched']}/{a['documents']}"] for a in report["left_alone"]]
    total_chars = sum(a["chars"] for a in report["left_alone"])
    total_changed = sum(a["changed"] for a in report["left_alone"])
    docs = sum(a["documents"] for a in report["left_alone"])
    rows.append(["all", str(docs), str(total_chars), str(total_changed),
                 f"{10_000 * total_changed / max(1, total_chars):.2f}",
                 f"{sum(a['touched'] for a in report['left_alone'])}/{docs}"])
    out += table(["dataset", "documents", "characters", "changed", "per 10,000", "touched"], rows)
    return "\n".join(out)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Quality (CER against ground truth, OverProof side by side), "
                                                 "throughput and clean text left alone, on the shared dev data.")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared folder (default: {DEFAULT_SHARED})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure everything and print it; exits with a one-line message when data are missing."""
    args = _parse_args(argv)
    shared: Path = args.shared.resolve()
    if not shared.is_dir():
        sys.exit(f"quality.py: shared folder not found at {shared} (give its location with --shared PATH)")
    for name, (folder, _) in DATASETS.items():
        if not (shared / folder).is_dir():
            sys.exit(f"quality.py: {name} data not found at {shared / folder}")
    report: dict[str, Any] = {"cold_start": cold_start()}
    report["throughput"] = throughput(shared)
    report["quality"] = [quality(name, shared) for name in DATASETS]
    report["left_alone"] = [left_alone(name, shared) for name in DATASETS]
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
