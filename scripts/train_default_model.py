"""Train the shipped default channel model from the development pairs of ../shared.

    python scripts/train_default_model.py [--shared ../shared]

Reads the OverProof SMH development articles, the ICDAR 2017 development monographs and
the pamphlet's development chunks (raw OCR beside hand-corrected text), counts their
letter confusions (pipeline/correction/channel.py) and writes
pipeline/correction/default_channel.json. Only counts of confusions are written, never
the texts. Exits with a one-line message when the shared folder is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.correction import DEFAULT_MODEL  # noqa: E402
from pipeline.correction.train import train  # noqa: E402

#: The development pairs, relative to the shared folder.
DEV_PAIRS = ("benchmarks/overproof-smh-dev", "benchmarks/icdar2017/eng_monograph_dev", "gold/pamphlet")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()
    if not args.shared.is_dir():
        print(f"{args.shared}: shared folder not found (the development pairs live there)", file=sys.stderr)
        return 2
    model = train([args.shared / p for p in DEV_PAIRS], source="shared development pairs: " + ", ".join(DEV_PAIRS))
    model.save(args.output)
    print(f"{args.output}: {model.pairs} word pairs, {model.errors} characters in confusions, "
          f"{len(model.confusions)} confusion types")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
