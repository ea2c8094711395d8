#!/usr/bin/env python3
"""How far name normalization moves the default output from the page: the pamphlet's ground truth.

For every ``<stem>.raw.txt`` + ``<stem>.gold.txt`` pair (default: ``../shared/gold/pamphlet``)
the raw side is cleaned twice, as ``ocrclean clean`` does by default (names normalized) and with
``--no-normalize``, and both are scored against the gold with the project's measure (the gold
prints names as the page does). Then every name edit that changed the text is undone in the
default output: if the result equals the ``--no-normalize`` output, the whole difference
between the two is those respellings, which are listed with their rule and relation.

  python benchmarks/names_fidelity.py [GOLD_DIR]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.api import Config, clean_bytes  # noqa: E402
from pipeline.document import Document  # noqa: E402
from pipeline.evaluate import combine, parse_gold, score  # noqa: E402
from pipeline.export import to_txt  # noqa: E402


def changed_names(doc: Document) -> list:
    """The applied name edits that changed the text."""
    return [e for e in doc.edits if e.stage == "names" and e.applied and e.before != e.after]


def undone(doc: Document) -> str:
    """The document's text with every name edit that changed it put back as it was printed."""
    changed = {id(e) for e in changed_names(doc)}
    return "".join(p.edit.before if p.edit is not None and id(p.edit) in changed and p.text == p.edit.after
                   else p.text for p in doc.pieces)


def main() -> None:
    gold_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "gold" / "pamphlet"
    pairs = sorted(gold_dir.glob("*.raw.txt"))
    if not pairs:
        sys.exit(f"{gold_dir}: no <stem>.raw.txt files")
    default_scores, plain_scores = [], []
    respellings: Counter[tuple[str, str, str, str]] = Counter()
    all_equal = True
    print(f"{'document':<10} {'default CER':>11} {'--no-normalize CER':>19} {'respelled':>9} {'chars':>5}  "
          "only respellings differ")
    for raw in pairs:
        gold = parse_gold(raw.with_name(raw.name.replace(".raw.txt", ".gold.txt")).read_text(encoding="utf-8")).body
        data = raw.read_bytes()
        doc = clean_bytes(data, raw.name, Config())
        plain = clean_bytes(data, raw.name, Config(normalize=False))
        d, p = score(to_txt(doc), gold), score(to_txt(plain), gold)
        default_scores.append(d)
        plain_scores.append(p)
        edits = changed_names(doc)
        chars = sum(Levenshtein.distance(e.before, e.after) for e in edits)
        for e in edits:
            respellings[(e.before, e.after, e.rule, str(e.data.get("relation", "")))] += 1
        equal = undone(doc) == plain.text
        all_equal &= equal
        stem = raw.name.removesuffix(".raw.txt")
        print(f"{stem:<10} {d.cer:>10.2%} {p.cer:>19.2%} {len(edits):>9} {chars:>5}  {equal}")
    d, p = combine(default_scores), combine(plain_scores)
    print(f"{'TOTAL':<10} {d.cer:>10.2%} {p.cer:>19.2%} {sum(respellings.values()):>9}"
          f" {d.char_edits - p.char_edits:>+5}  {all_equal}")
    print(f"default is {d.char_edits - p.char_edits:+d} character edits ({d.cer - p.cer:+.2%} CER) from "
          f"--no-normalize against the page, all of them in these respellings:")
    for (before, after, rule, relation), n in respellings.most_common():
        print(f"  {n} x {before} -> {after}  ({rule}, {relation})")


if __name__ == "__main__":
    main()
