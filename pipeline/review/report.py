"""The HTML report of a run: one page per document (raw and clean side by side) and an index.

Why static pages: a report must open from the output folder in any browser, offline, years
later; so each page carries its own CSS and the few lines of script for the filters, and
links only to its neighbours. Every piece of OCR text reaches the page through Jinja2 with
autoescaping on, never by string concatenation, so a scan that contains ``<script>`` is
shown, not run.

Files written into ``OUT_DIR/report/``: ``index.html``, and per document ``<stem>.html``
and ``<stem>.json`` (the :class:`~pipeline.review.view.DocView` that ``ocrclean diff`` and
``ocrclean review`` read). Pages hold no timestamps, so re-running on the same input writes
the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.document import EditKind, FwType
from pipeline.errors import OutputError
from pipeline.files import write_atomic
from pipeline.review.view import FURNITURE_KINDS, LAYOUT_KINDS, DocView

#: What the report calls each kind of furniture (``fw`` types have their own names).
FURNITURE_NAMES: dict[str, str] = {EditKind.NOTE: "note", EditKind.CAPTION: "caption", EditKind.NOISE: "scanner noise",
                   EditKind.CONTROL: "control character", EditKind.FW: "furniture"}
FW_NAMES = {FwType.PAGE_NUM: "page number", FwType.HEADER: "running head", "footer": "running foot",
            "sig": "signature mark", "catch": "catchword"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the report and the review app: autoescaping on for every template."""
    env = Environment(loader=PackageLoader("pipeline.review", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["conf"] = lambda value: f"{float(value):.2f}"
    return env


@dataclass
class Span:
    """A run of text in one column: ``cls`` is its CSS class ('' for unchanged text)."""

    text: str
    cls: str = ""
    edit: str = ""
    label: str = ""
    anchor: str = ""


@dataclass
class Row:
    """A block of the document: the original (``left``) beside the clean text (``right``), or a page break."""

    left: list[Span] = field(default_factory=list)
    right: list[Span] = field(default_factory=list)
    page: int | None = None


def rule_key(edit: dict[str, Any]) -> str:
    return f"{edit.get('stage')}/{edit.get('rule')}"


def furniture_name(edit: dict[str, Any]) -> str:
    """A reader's name for lifted-out furniture: ``page number 12``, ``note 3``, ``caption``."""
    kind = str(edit.get("kind", ""))
    data = edit.get("data") or {}
    if kind == EditKind.FW:
        name = FW_NAMES.get(str(data.get("type", "")), "furniture")
        n = str(data.get("n", "") or "")
        return f"{name} {n}".strip()
    return FURNITURE_NAMES.get(kind, kind)


def rows_of(view: DocView) -> list[Row]:
    """The document as side-by-side rows, one per block of the clean text, with page breaks between."""
    edits = view.edit_map()
    items = {str(i["id"]): i for i in view.items}
    rows: list[Row] = []
    row = Row()
    page = 1
    anchored: set[str] = set()

    def flush() -> None:
        nonlocal row
        if row.left or row.right:
            rows.append(row)
        row = Row()

    for seg in view.segments:
        original = view.original[seg.start:seg.end]
        edit = edits.get(seg.edit) if seg.edit else None
        if edit is None:
            row.left.append(Span(original))
            row.right.append(Span(seg.text))
        else:
            kind = str(edit.get("kind", ""))
            anchor = "" if seg.edit in anchored else f"c-{seg.edit}"
            anchored.add(str(seg.edit))
            common = {"edit": str(seg.edit)}
            if kind in FURNITURE_KINDS and seg.text == "":
                name = furniture_name(edit)
                row.left.append(Span(original, f"furn k-{kind}", **common))
                data = edit.get("data") or {}
                item = items.get(str(data.get("note") or data.get("caption") or ""))
                shown = f"[{name}: {item['text']}]" if item else f"[{name}]"
                row.right.append(Span(shown, f"furn k-{kind}", anchor=anchor, **common))
            elif kind == EditKind.PARBREAK and seg.text == "\n\n":
                row.left.append(Span(original, "chg k-parbreak", **common))
                flush()
            else:
                lay = kind in LAYOUT_KINDS
                old, new = ("same", "same") if seg.text == original else ("del", "ins")
                row.left.append(Span(original, f"chg {old} k-{kind}", **common))
                row.right.append(Span(seg.text, f"chg {new} k-{kind}", anchor=anchor,
                                      label="" if lay else f"{edit.get('rule')} {float(edit.get('confidence', 1)):.2f}",
                                      **common))
        if seg.page_break:
            flush()
            page += 1
            rows.append(Row(page=page))
    flush()
    return rows


def summarize(view: DocView) -> dict[str, Any]:
    """Counts of one document for the index and the manifest: edits by state, by stage and by rule."""
    states = Counter(str(e.get("state")) for e in view.edits)
    applied = [e for e in view.edits if e.get("state") in ("final", "inner")]
    return {
        "name": view.name,
        "stem": view.stem,
        "applied": len(applied),
        "suggested": states.get("suggested", 0),
        "rejected": states.get("rejected", 0),
        "by_stage": dict(sorted(Counter(str(e["stage"]) for e in applied).items())),
        "by_rule": dict(sorted(Counter(rule_key(e) for e in applied).items())),
        "items": len(view.items),
    }


def rule_table(view: DocView) -> list[dict[str, Any]]:
    """Per stage and rule: applied, suggested and rejected counts, in the order the stages ran."""
    order = {s: i for i, s in enumerate(view.stages)}
    table: dict[str, dict[str, Any]] = {}
    for e in view.edits:
        row = table.setdefault(rule_key(e), {"stage": e["stage"], "rule": e["rule"], "key": rule_key(e),
                                             "applied": 0, "suggested": 0, "rejected": 0})
        state = str(e.get("state"))
        row["applied" if state in ("final", "inner") else state] += 1
    return sorted(table.values(), key=lambda r: (order.get(r["stage"], len(order)), r["stage"], r["rule"]))


def render_document(view: DocView, decisions: list[dict[str, Any]] | None = None) -> str:
    """The report page of one document (HTML text)."""
    return environment().get_template("report_doc.html.j2").render(
        view=view, rows=rows_of(view), rules=rule_table(view), summary=summarize(view),
        edits=view.edits, items=view.items, decisions=decisions or [])


def render_index(summaries: list[dict[str, Any]], review: dict[str, Any] | None = None) -> str:
    """The index page (HTML text): every document with its counts, and the run's totals by stage and rule."""
    totals: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    for s in summaries:
        totals.update(s.get("by_rule", {}))
        stages.update(s.get("by_stage", {}))
    return environment().get_template("report_index.html.j2").render(
        summaries=summaries, totals=sorted(totals.items()), stages=sorted(stages.items()),
        review=review or {"not_applied": [], "applied": 0, "decisions": None})


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a byte of the input that did not decode is a lone surrogate in the text: shown as U+FFFD
        write_atomic(path, _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None


def write_document_report(view: DocView, report_dir: Path, decisions: list[dict[str, Any]] | None = None) -> Path:
    """Write ``<stem>.html`` and ``<stem>.json`` into ``report_dir``; returns the page's path."""
    page = report_dir / f"{view.stem}.html"
    _write(report_dir / f"{view.stem}.json", view.to_json() + "\n")
    _write(page, render_document(view, decisions))
    return page


def write_index(report_dir: Path, summaries: list[dict[str, Any]], review: dict[str, Any] | None = None) -> Path:
    """Write ``index.html`` into ``report_dir``; returns its path."""
    page = report_dir / "index.html"
    _write(page, render_index(summaries, review))
    return page
