"""Where ``ocrclean diff`` finds its document: a finished run's review data, or an input cleaned now."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import OcrcleanError
from pipeline.review.view import DocView, load_view, view_of


def review_data(target: Path) -> Path | None:
    """``OUT_DIR/report/KEY.json`` for ``OUT_DIR/STEM`` or any output of it (``STEM.txt``,
    ``STEM.tei.xml``, ``STEM.edits.jsonl``: the suffixes of :data:`~pipeline.export.registry.EXPORTERS`),
    if it exists. A document of a sub-folder is found by its output path (``OUT_DIR/1921/june/p3``)
    as by its report key (``OUT_DIR/1921__june__p3``, see :func:`~pipeline.review.view.doc_key`): the
    nearest folder above it with a ``report`` folder is OUT_DIR."""
    from pipeline.export.registry import EXPORTERS

    suffixes = sorted((e.suffix for e in EXPORTERS.values()), key=len, reverse=True)
    for root in target.parents:
        if not (root / "report").is_dir():
            continue
        parts = target.relative_to(root).parts
        stem = "__".join(parts)
        for suffix in suffixes:
            if stem.endswith(suffix) and (root / "report" / f"{stem[:-len(suffix)]}.json").is_file():
                return root / "report" / f"{stem[:-len(suffix)]}.json"
        candidate = root / "report" / f"{stem}.json"
        return candidate if candidate.is_file() else None
    return None


def view_for_target(target: Path) -> DocView:
    """The review view of ``target``: OUT_DIR/STEM of a run with a report, else an input file cleaned now.

    Raises :class:`OcrcleanError` in one line when it is neither."""
    data = review_data(target)
    if data is not None:
        return load_view(data)
    if target.is_file():
        from pipeline.api import clean_file

        return view_of(clean_file(target), target.name)
    run_root = next((root for root in target.parents if (root / "manifest.json").is_file()), None)
    if run_root is not None and (run_root / "report").is_dir():
        raise OcrcleanError(f"{target}: no such document in {run_root / 'report'} (a document of a sub-folder "
                            "is OUT_DIR/SUB/STEM)")
    if run_root is not None:
        raise OcrcleanError(f"{target}: no review data in {run_root / 'report'} (run `ocrclean run` with "
                            "--report, the default)")
    raise OcrcleanError(f"{target}: no such file, nor OUT_DIR/STEM of a run")
