"""Evaluation against ground truth: the measure (:mod:`.measure`) and the runs that feed it (:mod:`.runner`).

:mod:`pipeline.evaluation.measure` is a plain API with no dependency on the cleaner (it scores texts
it is given); :mod:`pipeline.evaluation.runner` cleans the raw side of a gold set with the pipeline
the way the reference scorer (``shared/tools/score.py``) does, for ``ocrclean eval`` and the benchmarks.
Everything public of ``measure`` is re-exported here and by the older module name ``pipeline.evaluate``.
"""

from pipeline.evaluation.measure import *  # noqa: F403
from pipeline.evaluation.measure import __all__ as _measure_all

__all__ = list(_measure_all)
