"""Held-out CER cut of the whole pipeline on the OverProof development articles: the shipped channel model is
trained on every development pair, those articles among them, so ``quality.py`` scores it on text it has seen.

    python benchmarks/heldout.py [--shared ../shared] [--folds 2] [--json]

Why this script exists: the hidden evaluation data are other articles of the same kind, cleaned with the model
trained on all the development pairs. How much of the development figure comes from having seen the articles
is measured here: the OverProof articles are cut into ``--folds`` folds (every k-th article by name); for each,
a channel model is fitted (:func:`pipeline.correction.train.fit_segments`) on the development pairs without
that fold's articles (the other OverProof articles, the ICDAR 2017 monographs and the pamphlet chunks), the
whole ``raw/`` folder is cleaned with it as ``ocrclean run --model MODEL --no-normalize`` cleans it (collection
evidence from every article), and only the fold's articles are scored, hyphen-neutral, as ``quality.py`` scores
them. Printed per fold and in total: raw character errors, errors after cleaning, cut, files made worse; then
the same articles scored with the shipped model (in-sample) for the gap.

It cleans the 80 articles ``folds + 1`` times: about 4 minutes a run on this machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.api import Config  # noqa: E402
from pipeline.correction.pairs import Segment, read_segments  # noqa: E402
from pipeline.correction.train import fit_segments  # noqa: E402
from pipeline.evaluate import load_gold_dir  # noqa: E402
from pipeline.evaluation.measure import DocumentInput, GoldSource, evaluate_documents  # noqa: E402
from pipeline.evaluation.runner import Cleaned, clean_sources  # noqa: E402

OVERPROOF = "benchmarks/overproof-smh-dev"
OTHER_PAIRS = ("benchmarks/icdar2017/eng_monograph_dev", "gold/pamphlet")


def _article(segment: Segment) -> str:
    """The OverProof article a training segment comes from (its raw file's stem), or ``""``."""
    path = Path(segment.source.rsplit(":", 1)[0])
    return path.stem if path.parent.name == "raw" and path.parent.parent.name == Path(OVERPROOF).name else ""


def _score(sources: Sequence[GoldSource], cleaned: Sequence[Cleaned], names: set[str]) -> dict[str, Any]:
    docs = [DocumentInput(name=s.name, pred=c.body, gold=s.gold, notes=c.notes, captions=c.captions, raw=s.raw,
                          conventions=s.conventions) for s, c in zip(sources, cleaned, strict=True) if s.name in names]
    result = evaluate_documents(docs)
    raw = result.raw_total
    return {"articles": len(docs), "raw_errors": raw.char_edits if raw else 0,
            "errors_after": result.total.char_edits, "files_worse": len(result.worse)}


def _cut(row: dict[str, Any]) -> float:
    return 1 - row["errors_after"] / row["raw_errors"] if row["raw_errors"] else 0.0


def heldout(shared: Path, folds: int) -> dict[str, Any]:
    """Per-fold and total held-out scores, and the in-sample scores of the same articles."""
    overproof = shared / OVERPROOF
    segments = read_segments([overproof, *(shared / p for p in OTHER_PAIRS)])
    sources = load_gold_dir(overproof)
    names = sorted(s.name for s in sources)
    config = Config(normalize=False)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            held = {n for k, n in enumerate(names) if k % folds == fold}
            training = [s for s in segments if _article(s) not in held]
            model = fit_segments(training, f"development pairs without fold {fold + 1} of {folds}")
            path = Path(tmp) / f"fold{fold}.json"
            model.save(path)
            cleaned = clean_sources(sources, Config(normalize=False, model=str(path)))
            row = {"fold": fold + 1, "training_segments": len(training), **_score(sources, cleaned, held)}
            rows.append(row)
            print(f"fold {row['fold']}: {row['articles']} articles, channel from {len(training)} segments: "
                  f"cut {100 * _cut(row):.2f}%, {row['files_worse']} worse", file=sys.stderr, flush=True)
    total = {k: sum(r[k] for r in rows) for k in ("articles", "raw_errors", "errors_after", "files_worse")}
    shipped = _score(sources, clean_sources(sources, config), set(names))
    return {"folds": rows, "heldout": {**total, "cut": _cut(total)}, "in_sample": {**shipped, "cut": _cut(shipped)}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (args.shared / OVERPROOF).is_dir():
        print(f"{args.shared / OVERPROOF}: not found (the OverProof development articles live there)",
              file=sys.stderr)
        return 2
    if args.folds < 2:
        print("--folds must be 2 or more", file=sys.stderr)
        return 2
    result = heldout(args.shared, args.folds)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{'model':<42} {'articles':>8} {'raw errors':>10} {'after':>7} {'cut':>7} {'worse':>6}")
    for row in result["folds"]:
        print(f"{'held out, fold ' + str(row['fold']):<42} {row['articles']:>8} {row['raw_errors']:>10} "
              f"{row['errors_after']:>7} {100 * _cut(row):>6.2f}% {row['files_worse']:>6}")
    for label, row in (("held out, all folds", result["heldout"]), ("shipped model (trained on these too)",
                                                                    result["in_sample"])):
        print(f"{label:<42} {row['articles']:>8} {row['raw_errors']:>10} {row['errors_after']:>7} "
              f"{100 * row['cut']:>6.2f}% {row['files_worse']:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
