#!/usr/bin/env python3
"""The HTML report and review data of one long document, alone: time and memory against its length.

Why apart from `ocrclean run`: cleaning costs 100-150 s per MB of noisy OCR, so a run at 16 MB takes most of
an hour; the report's own cost is measured here on documents made from one cleaned document. The source
(default: 1 MB of `raw/*.txt` and the OverProof SMH development OCR, repeated and cut at a line end) is cleaned
once, held in memory; for each K of ``--copies`` a fresh process builds a spilled document of K copies of it
(windows of about 250,000 characters on disk, as a run's worker has them, edit ids suffixed per copy, spans
moved) and writes its report (`write_document_report` of a `StreamView`: `<stem>.json` and the pages).
Measured: CPU and wall seconds of writing, the tracemalloc peak while writing (what the report itself holds:
the document's original text, built before, is not counted), and the sizes written.

  python benchmarks/report_scale.py                       # copies 1,4,8,16
  python benchmarks/report_scale.py --copies 1,2 --source FILE
"""

from __future__ import annotations

import argparse
import gc
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks" / "overproof-smh-dev" / "raw"
#: Characters of the original per window of the built document (as :data:`pipeline.api.WINDOW_CHARS`).
WINDOW = 250_000

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.batch import build_file  # noqa: E402


def build_source(path: Path, megabytes: float) -> int:
    """``raw/*.txt`` and the OverProof dev OCR concatenated and repeated to ``megabytes``, cut after a line end
    (:func:`benchmarks.batch.build_file` of these files); returns the bytes written."""
    return build_file(path, megabytes, sorted((ROOT / "raw").glob("*.txt")) + sorted(SHARED.glob("*.txt")))


def clean_once(source: Path, pickled: Path) -> None:
    from pipeline.api import clean_bytes

    t0 = time.perf_counter()
    doc = clean_bytes(source.read_bytes(), source.name)
    print(f"cleaned {source} ({len(doc.original):,} characters) in {time.perf_counter() - t0:.0f} s", flush=True)
    pickled.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))


def measure(pickled: Path, copies: int, out: Path) -> str:
    """Build the spilled document of ``copies`` copies and write its report; one line of figures."""
    from pipeline.document import SpilledDocument, Window, WindowStore
    from pipeline.review.report import write_document_report
    from pipeline.review.view import StreamView

    doc = pickle.loads(pickled.read_bytes())
    n = len(doc.original)
    windows, chunk = [], []
    for piece in doc.pieces:
        chunk.append(piece)
        if piece.src_end - chunk[0].src_start >= WINDOW:
            windows.append(chunk)
            chunk = []
    if chunk:
        windows.append(chunk)
    spans = [(w[0].src_start, w[-1].src_end) for w in windows]
    store = WindowStore()
    for copy in range(copies):
        for (lo, hi), pieces in zip(spans, windows):
            edits = [e for e in doc.edits if lo <= e.start < hi or e.start == hi == n]
            fresh_pieces, fresh_edits = pickle.loads(pickle.dumps((pieces, edits)))  # pieces keep their edits
            for e in fresh_edits:
                e.start, e.end, e.id = e.start + copy * n, e.end + copy * n, f"{e.id}-c{copy}"
            for p in fresh_pieces:
                p.src_start, p.src_end = p.src_start + copy * n, p.src_end + copy * n
            store.append(Window(fresh_pieces, fresh_edits, []))
    big = SpilledDocument(doc.name, dict(doc.meta), store)
    big.original = doc.original * copies
    big.stages_run = list(doc.stages_run)
    del doc, windows, chunk
    gc.collect()
    tracemalloc.start()
    c0, t0 = time.process_time(), time.perf_counter()
    summary = write_document_report(StreamView(big, "long.txt"), out)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    html = sum(p.stat().st_size for p in out.rglob("*.html")) / 1e6
    edits = int(summary["applied"]) + int(summary["suggested"]) + int(summary["rejected"])
    return (f"{n * copies / 1e6:>6.1f} {edits:>9,} {summary.get('parts', 1):>6} {cpu:>8.1f} {wall:>8.1f} "
            f"{peak:>11.1f} {(out / 'long.json').stat().st_size / 1e6:>8.0f} {html:>8.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", default="1,4,8,16")
    ap.add_argument("--source", type=Path, help="the document to clean and repeat (default: 1 MB built)")
    ap.add_argument("--measure", nargs=2, metavar=("PICKLE", "COPIES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        with tempfile.TemporaryDirectory() as tmp:
            print(measure(Path(args.measure[0]), int(args.measure[1]), Path(tmp) / "report"), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source
        if source is None:
            source = Path(tmp) / "long.txt"
            build_source(source, 1.0)
        pickled = Path(tmp) / "doc.pickle"
        clean_once(source, pickled)
        print("    MB     edits  parts    CPU s   wall s  traced MB  JSON MB  HTML MB")
        for k in (int(c) for c in args.copies.split(",")):
            done = subprocess.run([sys.executable, __file__, "--measure", str(pickled), str(k)], check=True,
                                  stdout=subprocess.PIPE, text=True)
            print(done.stdout.rstrip(), flush=True)
        shutil.rmtree(Path(tmp) / "report", ignore_errors=True)


if __name__ == "__main__":
    main()
