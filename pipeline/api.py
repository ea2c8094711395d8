"""The plain Python API: everything the CLI does goes through these functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.document import Document, Proposal
from pipeline.lexicon import Lexicon, get_lexicon
from pipeline.stages import REPAIR_STAGES, decode


@dataclass
class Config:
    """Run settings. ``min_confidence``: below it a correction is only suggested."""

    min_confidence: float = 0.5
    normalize: bool = True
    disabled: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Context:
    """What a stage may use besides the document: settings and shared resources."""

    config: Config
    lexicon: Lexicon

    def commit(self, doc: Document, stage: str, proposals: list[Proposal]) -> None:
        """Apply confident proposals; record the others as suggestions."""
        keep = [p for p in proposals if p.confidence >= self.config.min_confidence]
        weak = [p for p in proposals if p.confidence < self.config.min_confidence]
        if weak:
            doc.suggest(stage, weak)
        if keep:
            doc.apply(stage, keep)


def clean_bytes(data: bytes, name: str = "-", config: Config | None = None,
                lexicon: Lexicon | None = None) -> Document:
    """Run every stage on one document's bytes and return the edited document."""
    config = config or Config()
    ctx = Context(config, lexicon or get_lexicon())
    doc = decode.load(data, name)
    for stage in REPAIR_STAGES:
        if stage.STAGE in config.disabled:
            continue
        stage.run(doc, ctx)
        if stage.STAGE not in doc.stages_run:
            doc.stages_run.append(stage.STAGE)
    return doc


def clean_text(text: str, config: Config | None = None) -> Document:
    """Convenience for callers that already hold text (tests, eval, other tools)."""
    return clean_bytes(text.encode("utf-8"), "-", config)


def clean_file(path: Path, config: Config | None = None) -> Document:
    """Read and clean one file; raises :class:`~pipeline.errors.InputError` on bad input."""
    from pipeline.errors import InputError

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return clean_bytes(data, path.name, config)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
