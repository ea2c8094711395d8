"""The registry of output formats: one place that knows every export.

An exporter is a name (what ``--format`` and ``run --formats`` accept), the file name
suffix its output is written under, and ``render(doc, source)`` returning bytes; a format that can be
written as it is made also has ``write(doc, source, sink)`` (:func:`write_format`), which the large
outputs (TEI, edits, txt) use so that no whole tree or second copy is held. The CLI
choices and the files ``ocrclean run`` writes derive from :data:`EXPORTERS`, so a new
format is one :func:`register` call (see ``docs/ARCHITECTURE.md``).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from pipeline import __version__
from pipeline.document import Document
from pipeline.export.jsonl import write_edits_jsonl, write_jsonl_record
from pipeline.export.txt import write_txt
from pipeline.tei.writer import write_tei


@dataclass(frozen=True)
class Source:
    """What the exports say about the input: its file name (relative to the run's input folder,
    POSIX separators) and the SHA-256 of its bytes (hex)."""

    name: str
    sha256: str

    @classmethod
    def of(cls, name: str, data: bytes) -> Source:
        return cls(name, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Exporter:
    """One output format: ``render(doc, source)`` -> the file's bytes, written as ``<stem><suffix>``;
    ``write(doc, source, sink)``, when given, writes the same bytes to a binary file as they are made."""

    name: str
    suffix: str
    render: Callable[[Document, Source], bytes]
    help: str = ""
    write: Callable[[Document, Source, BinaryIO], None] | None = None


#: Every output format by name, in the order ``run`` writes them.
EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Add a format; a second one of the same name or suffix is a programming error."""
    for other in EXPORTERS.values():
        if exporter.name == other.name or exporter.suffix == other.suffix:
            raise ValueError(f"export {exporter.name!r} ({exporter.suffix}) clashes with {other.name!r}")
    EXPORTERS[exporter.name] = exporter
    return exporter


def format_names() -> list[str]:
    """The names of every format, for CLI choices."""
    return list(EXPORTERS)


def format_help() -> str:
    """Every format with what it holds (``txt: the clean body text; ...``), for CLI help."""
    return "; ".join(f"{e.name}: {e.help}" for e in EXPORTERS.values())


def output_name(source_name: str, fmt: str) -> str:
    """The output file of one format of one input, relative to the output folder (``a/b.txt`` ->
    ``a/b.tei.xml``); the input's sub-folders are kept."""
    path = PurePath(source_name)
    return str(path.with_name(path.stem + EXPORTERS[fmt].suffix).as_posix())


def render(doc: Document, source: Source, fmt: str) -> bytes:
    """One format of one document, in memory; ``KeyError`` for an unknown format name."""
    return EXPORTERS[fmt].render(doc, source)


def write_format(doc: Document, source: Source, fmt: str, sink: BinaryIO) -> None:
    """One format of one document written to the binary file ``sink`` (as it is made where the format
    can be, else rendered first); ``KeyError`` for an unknown format name. ``OSError`` of ``sink``
    propagates: write to a temporary file and rename it (:func:`pipeline.files.write_atomic`)."""
    exporter = EXPORTERS[fmt]
    if exporter.write is None:
        sink.write(exporter.render(doc, source))
    else:
        exporter.write(doc, source, sink)


def _rendered(write: Callable[[Document, Source, BinaryIO], None]) -> Callable[[Document, Source], bytes]:
    """``render`` of a format from its ``write``: the bytes written to memory."""
    def render_one(doc: Document, source: Source) -> bytes:
        sink = io.BytesIO()
        write(doc, source, sink)
        return sink.getvalue()
    return render_one


def _write_txt(doc: Document, source: Source, sink: BinaryIO) -> None:
    write_txt(doc, sink)


def _write_tei(doc: Document, source: Source, sink: BinaryIO) -> None:
    write_tei(doc, sink, source_name=source.name, sha256=source.sha256, version=__version__)


def _write_edits(doc: Document, source: Source, sink: BinaryIO) -> None:
    write_edits_jsonl(doc, sink)


def _write_record(doc: Document, source: Source, sink: BinaryIO) -> None:
    write_jsonl_record(doc, sink, source_name=source.name, sha256=source.sha256)


register(Exporter("txt", ".txt", _rendered(_write_txt), "the clean body text", _write_txt))
register(Exporter("tei", ".tei.xml", _rendered(_write_tei), "TEI P5 with every edit, restorable byte for byte",
                  _write_tei))
register(Exporter("edits", ".edits.jsonl", _rendered(_write_edits), "one JSON line per edit", _write_edits))
register(Exporter("jsonl", ".jsonl", _rendered(_write_record), "one JSON record for corpus tools", _write_record))
