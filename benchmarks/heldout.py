"""Held-out CER cut of the whole pipeline on the development data: the shipped channel model is trained on every
development pair, so ``quality.py`` scores it on text it has seen.

    python benchmarks/heldout.py [--shared ../shared] [--folds 2] [--sets overproof icdar] [--json]

Why this script exists: the hidden evaluation data are other documents of the same kinds, cleaned with the model
trained on all the development pairs. How much of the development figure comes from having seen the documents
is measured here. The documents of a data set (the OverProof SMH articles, the ICDAR 2017 monographs) are cut
into ``--folds`` folds (every k-th document by name); for each fold a channel model is fitted
(:func:`pipeline.correction.train.fit_segments`) on all the development pairs except that fold's documents,
the data set is cleaned with it as ``quality.py`` cleans it (``--model MODEL --no-normalize``; the OverProof
``raw/`` folder as one collection, as ``ocrclean run`` cleans it; an ICDAR file alone), and only the fold's
documents are scored, in the data set's scoring form (hyphen-neutral, ICDAR reading form). Printed per fold and
in total: raw character errors, errors after cleaning, cut, files made worse; then the same documents scored
with the shipped model (in-sample) for the gap.

It cleans each data set ``folds + 1`` times: about 5 minutes for the OverProof articles on this machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.quality import DATASETS as QUALITY_SETS  # noqa: E402
from pipeline.api import Config  # noqa: E402
from pipeline.correction.pairs import Segment, read_segments  # noqa: E402
from pipeline.correction.train import fit_segments  # noqa: E402
from pipeline.evaluate import load_gold_dir  # noqa: E402
from pipeline.evaluation.measure import DocumentInput, GoldSource, evaluate_documents  # noqa: E402
from pipeline.evaluation.runner import Cleaned, clean_sources  # noqa: E402

#: Data set name -> its folder in the shared folder (those of ``quality.py`` that a held-out fold makes sense of).
DATASETS = {name: QUALITY_SETS[name][0] for name in ("overproof", "icdar")}


def _dev_pairs() -> tuple[str, ...]:
    """The development pairs the shipped model is trained on, as ``scripts/train_default_model.py`` lists them."""
    spec = importlib.util.spec_from_file_location("train_default_model", ROOT / "scripts" / "train_default_model.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.DEV_PAIRS)


#: Every development pair the shipped model is trained on.
DEV_PAIRS = _dev_pairs()


def _source_file(segment: Segment) -> Path:
    """The file a training segment was read from (a line segment's source ends in ``:LINE``)."""
    head, _, tail = segment.source.rpartition(":")
    return Path(head if head and tail.isdigit() else segment.source).resolve()


def _score(sources: Sequence[GoldSource], cleaned: Sequence[Cleaned], names: set[str]) -> dict[str, Any]:
    docs = [DocumentInput(name=s.name, pred=c.body, gold=s.gold, notes=c.notes, captions=c.captions, raw=s.raw,
                          conventions=s.conventions) for s, c in zip(sources, cleaned, strict=True) if s.name in names]
    result = evaluate_documents(docs)
    raw = result.raw_total
    return {"articles": len(docs), "raw_errors": raw.char_edits if raw else 0,
            "errors_after": result.total.char_edits, "files_worse": len(result.worse)}


def _cut(row: dict[str, Any]) -> float:
    return 1 - row["errors_after"] / row["raw_errors"] if row["raw_errors"] else 0.0


def heldout(shared: Path, dataset: str, folds: int) -> dict[str, Any]:
    """Per-fold and total held-out scores of one data set, and the in-sample scores of the same documents."""
    segments = read_segments([shared / p for p in DEV_PAIRS])
    sources = load_gold_dir(shared / DATASETS[dataset])
    names = sorted(s.name for s in sources)
    files = {s.name: s.path.resolve() for s in sources}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            held = {n for k, n in enumerate(names) if k % folds == fold}
            held_files = {files[n] for n in held}
            training = [s for s in segments if _source_file(s) not in held_files]
            model = fit_segments(training, f"development pairs without fold {fold + 1} of {folds} of {dataset}")
            path = Path(tmp) / f"fold{fold}.json"
            model.save(path)
            cleaned = clean_sources(sources, Config(normalize=False, model=str(path)))
            row = {"fold": fold + 1, "training_segments": len(training), **_score(sources, cleaned, held)}
            rows.append(row)
            print(f"{dataset} fold {row['fold']}: {row['articles']} documents, channel from {len(training)} "
                  f"of {len(segments)} segments: cut {100 * _cut(row):.2f}%, {row['files_worse']} worse",
                  file=sys.stderr, flush=True)
    total = {k: sum(r[k] for r in rows) for k in ("articles", "raw_errors", "errors_after", "files_worse")}
    shipped = _score(sources, clean_sources(sources, Config(normalize=False)), set(names))
    return {"dataset": dataset, "folds": rows, "heldout": {**total, "cut": _cut(total)},
            "in_sample": {**shipped, "cut": _cut(shipped)}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--sets", nargs="+", choices=sorted(DATASETS), default=["overproof", "icdar"])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    missing = [p for p in DEV_PAIRS if not (args.shared / p).exists()]
    if missing:
        print(f"{args.shared / missing[0]}: not found (the development pairs live there)", file=sys.stderr)
        return 2
    if args.folds < 2:
        print("--folds must be 2 or more", file=sys.stderr)
        return 2
    results = [heldout(args.shared, name, args.folds) for name in args.sets]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'data set':<10} {'model':<38} {'documents':>9} {'raw errors':>10} {'after':>7} {'cut':>7} {'worse':>6}")
    for result in results:
        lines = [(f"held out, fold {row['fold']}", row) for row in result["folds"]]
        lines += [("held out, all folds", result["heldout"]), ("shipped (trained on these too)", result["in_sample"])]
        for label, row in lines:
            print(f"{result['dataset']:<10} {label:<38} {row['articles']:>9} {row['raw_errors']:>10} "
                  f"{row['errors_after']:>7} {100 * _cut(row):>6.2f}% {row['files_worse']:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
