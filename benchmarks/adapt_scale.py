#!/usr/bin/env python3
"""Time of adapting a document's channel (``Corrector.adapted``) against the size of its collection.

A document whose confident corrections teach the channel (``characters._adapt_to_document``) measures its own
rates of the confusions over the words it prints intact, which are counted with the collection's
(``document_rates``). This script builds collections of N distinct dictionary words (a synthetic text of
words drawn from the curated dictionary, fixed seed), derives a document's lexicon from each as a run does
(the collection less the document, plus the document as read now) and times ``adapted`` for one set of
corrections: the best and mean of 5 documents, the first of each collection included in the mean. No output.

  python benchmarks/adapt_scale.py                  # this checkout
  python benchmarks/adapt_scale.py --root OTHER     # another checkout (before/after)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

PAIRS = [("fhould", "should"), ("fhall", "shall"), ("tbe", "the"), ("aud", "and"), ("fuch", "such"),
         ("Tlie", "The"), ("weU", "well")]
DOCUMENT = "the harbour was fhut and the fhip fhould fail tbe aud fuch weU " * 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout whose pipeline is timed (default: this one)")
    parser.add_argument("--sizes", default="10000,40000,80000", help="distinct words per collection")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    from pipeline.correction import corrector_for, retire
    from pipeline.lexicon import get_lexicon

    base = get_lexicon()
    words = sorted(w for w in base.dictionary if w.isalpha())
    rng = random.Random(1)
    print(f"{'N':>8}  {'best ms':>8}  {'mean ms':>8}")
    for n in (int(x) for x in args.sizes.split(",")):
        collection = base.with_corpus(" ".join(rng.sample(words, min(n, len(words)))))
        times = []
        for k in range(5):
            text = DOCUMENT + f" extra{k}"
            lex = collection.without_corpus_text(text).with_corpus(text)
            corrector = corrector_for(lex)
            start = time.process_time()
            adapted = corrector.adapted(PAIRS)
            times.append(time.process_time() - start)
            retire(adapted)
        print(f"{n:>8}  {1000 * min(times):>8.1f}  {1000 * sum(times) / len(times):>8.1f}")


if __name__ == "__main__":
    main()
