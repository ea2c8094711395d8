"""The evaluation measure under its original name; it lives in :mod:`pipeline.evaluation.measure`.

Kept so that existing callers (``benchmarks/peers.py``, user scripts) go on importing
``from pipeline.evaluate import score, combine, load_gold_dir, ...``.
"""

from pipeline.evaluation.measure import *  # noqa: F403
from pipeline.evaluation.measure import __all__ as _measure_all

__all__ = list(_measure_all)
