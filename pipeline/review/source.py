"""Where ``ocrclean diff`` finds its document: a finished run's review data, or an input cleaned now."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import OcrcleanError
from pipeline.review.view import DocView, load_view, view_of


def review_data(target: Path) -> Path | None:
    """``OUT_DIR/report/STEM.json`` for ``OUT_DIR/STEM`` or any output of it (``STEM.txt``, ``STEM.tei.xml``,
    ``STEM.edits.jsonl``: the suffixes of :data:`~pipeline.export.registry.EXPORTERS`), if it exists."""
    from pipeline.export.registry import EXPORTERS

    stem = target.name
    for suffix in sorted((e.suffix for e in EXPORTERS.values()), key=len, reverse=True):
        if stem.endswith(suffix) and (target.parent / "report" / f"{stem[:-len(suffix)]}.json").is_file():
            stem = stem[:-len(suffix)]
            break
    candidate = target.parent / "report" / f"{stem}.json"
    return candidate if candidate.is_file() else None


def view_for_target(target: Path) -> DocView:
    """The review view of ``target``: OUT_DIR/STEM of a run with a report, else an input file cleaned now.

    Raises :class:`OcrcleanError` in one line when it is neither."""
    data = review_data(target)
    if data is not None:
        return load_view(data)
    if target.is_file():
        from pipeline.api import clean_file

        return view_of(clean_file(target), target.name)
    if target.parent.is_dir() and (target.parent / "manifest.json").is_file():
        raise OcrcleanError(f"{target}: no review data in {target.parent / 'report'} (run `ocrclean run` with "
                            "--report, the default)")
    raise OcrcleanError(f"{target}: no such file, nor OUT_DIR/STEM of a run")
