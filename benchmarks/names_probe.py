#!/usr/bin/env python3
"""Name cases checked as the tests check them: the development cases and the held-out probe.

Each line of ``tests/data/names_cases.tsv`` (development), ``tests/data/names_heldout.tsv``
(held out: written with the development cases; its two failures were later fixed by general
rules, so it is no longer strictly held out) and ``tests/data/names_historian.tsv`` (a second
probe of other periods and regions, expectations written before the first run) gives a sentence, the expected
default output, the expected ``--modern-names`` output and the entities that must be tagged.
This prints, per file and per kind, how many cases pass, and every failure with what came out.

  python benchmarks/names_probe.py [TSV ...]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.names_cases import check_case, read_cases  # noqa: E402


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or [ROOT / "tests" / "data" / f"names_{name}.tsv"
                                                for name in ("cases", "heldout", "historian")]
    for path in files:
        cases = read_cases(path)
        passed: Counter[str] = Counter()
        total: Counter[str] = Counter()
        failures = []
        for case in cases:
            problems = check_case(case)
            total[case.kind] += 1
            if problems:
                failures.append((case, problems))
            else:
                passed[case.kind] += 1
        print(f"{path.name}: {sum(passed.values())}/{len(cases)} cases pass")
        for kind in total:
            print(f"  {kind:<20} {passed[kind]}/{total[kind]}")
        for case, problems in failures:
            print(f"  FAIL [{case.kind}] {case.text}")
            for p in problems:
                print(f"       {p}")


if __name__ == "__main__":
    main()
