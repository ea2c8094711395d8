"""Held-out measure of the learned word corrector: train the channel model on some documents of
the development pairs, correct the others, count what it fixes and what it breaks.

    python benchmarks/crossval.py [--shared ../shared] [--folds 2] [--json]

For each fold the channel model is fitted on the OverProof SMH development articles outside the
fold plus the ICDAR and pamphlet development pairs, and the corrector (pipeline.correction) decides
every word of the fold's articles whose OCR line and ground-truth line have as many words (so
each OCR word has its ground-truth word), beside its OCR neighbours. Reported per fold and in
total: word errors before, words fixed, words made wrong that were right, net characters gained,
and the same corrector on the ground-truth lines themselves (clean text: every change is harm).
Line-end fragments of hyphenated words are skipped (the hyphenation stage joins them first).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.correction import Corrector, WordModel, vocabulary_index  # noqa: E402
from pipeline.correction.pairs import Segment, core, read_segments  # noqa: E402
from pipeline.correction.train import fit_segments  # noqa: E402
from pipeline.lexicon import get_lexicon  # noqa: E402

OVERPROOF = "benchmarks/overproof-smh-dev"
OTHER_PAIRS = ("benchmarks/icdar2017/eng_monograph_dev", "gold/pamphlet")


def by_document(segments: Sequence[Segment]) -> dict[str, list[Segment]]:
    docs: dict[str, list[Segment]] = {}
    for s in segments:
        docs.setdefault(s.source.rsplit(":", 1)[0], []).append(s)
    return docs


def score_side(corrector: Corrector, segments: Sequence[Segment], clean: bool) -> Counter[str]:
    """Counts for one document: ``errors`` (OCR words not equal to gold), ``fixed``, ``broke``
    (a right word made wrong), ``changed`` and ``gain`` (characters of edit distance removed)."""
    counts: Counter[str] = Counter()
    corrector.adapt("\n".join(s.printed if clean else s.scanned for s in segments))
    for s in segments:
        scanned = (s.printed if clean else s.scanned).split()
        printed = s.printed.split()
        if len(scanned) != len(printed):
            continue
        words = [(core(a), core(b)) for a, b in zip(scanned, printed)]
        for k, (o, g) in enumerate(words):
            if k == 0 or scanned[k].endswith("-") or not corrector.eligible(o):
                continue
            counts["errors"] += o != g
            # as the stage reads them: no neighbour across a sentence end
            left = "" if scanned[k - 1][-1:] in ".!?:" else words[k - 1][0]
            right = words[k + 1][0] if k + 1 < len(words) and scanned[k][-1:] not in ".!?:" else ""
            d = corrector.decide(o, left, right)
            if d.reading == o or d.posterior < 0.5:
                continue
            counts["changed"] += 1
            counts["fixed"] += d.reading == g
            counts["broke"] += o == g
            counts["gain"] += Levenshtein.distance(o, g) - Levenshtein.distance(d.reading, g)
    return counts


def crossval(shared: Path, folds: int = 2, limit: int | None = None) -> list[dict[str, object]]:
    """One result per fold (see the module docstring); ``limit``: at most this many test articles per fold."""
    news = by_document(read_segments([shared / OVERPROOF]))
    other = read_segments([shared / p for p in OTHER_PAIRS])
    names = sorted(news)
    lexicon = get_lexicon()
    out: list[dict[str, object]] = []
    for fold in range(folds):
        test = [n for k, n in enumerate(names) if k % folds == fold][:limit]
        train = [s for k, n in enumerate(names) if k % folds != fold for s in news[n]] + list(other)
        corrector = Corrector(fit_segments(train), WordModel(lexicon), vocabulary_index(lexicon))
        noisy: Counter[str] = Counter()
        clean: Counter[str] = Counter()
        for name in test:
            noisy += score_side(corrector, news[name], clean=False)
            clean += score_side(corrector, news[name], clean=True)
        out.append({"fold": fold, "articles": len(test), "ocr": dict(noisy), "gold": dict(clean)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.shared / OVERPROOF).is_dir():
        print(f"{args.shared}: shared folder with the development pairs not found", file=sys.stderr)
        return 2
    results = crossval(args.shared, args.folds)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("fold  articles  word errors  fixed  changed  broke  net chars  | on gold: changed  broke")
    for r in results:
        o, g = r["ocr"], r["gold"]
        assert isinstance(o, dict) and isinstance(g, dict)
        print(f"{r['fold']:>4}  {r['articles']:>8}  {o.get('errors', 0):>11}  {o.get('fixed', 0):>5}  "
              f"{o.get('changed', 0):>7}  {o.get('broke', 0):>5}  {o.get('gain', 0):>9}  | "
              f"{g.get('changed', 0):>16}  {g.get('broke', 0):>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
