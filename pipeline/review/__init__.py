"""Review of a run's corrections: diffs, the HTML report, the review app and the decisions it saves.

* :mod:`~pipeline.review.view`: a cleaned document as a reviewer sees it (kept as ``report/<stem>.json``);
* :mod:`~pipeline.review.diff`: the labelled word diff and the unified diff (``ocrclean diff``);
* :mod:`~pipeline.review.report`: the static HTML report ``ocrclean run`` writes into ``OUT_DIR/report/``;
* :mod:`~pipeline.review.decisions`: the decisions file (``reviews/OUT_NAME/decisions.jsonl`` beside the output folder);
* :mod:`~pipeline.review.apply`: how the next run obeys the decisions, and the batch run's hook;
* :mod:`~pipeline.review.app`: ``ocrclean review OUT_DIR``, a local web app that records decisions.
"""
