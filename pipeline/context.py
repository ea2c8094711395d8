"""Run settings and the context every stage receives (kept apart from the API to avoid cycles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.document import Document, Proposal
from pipeline.errors import OcrcleanError
from pipeline.lexicon import Lexicon

if TYPE_CHECKING:
    from pipeline.correction.corrector import Corrector
    from pipeline.names.match import FormIndex

#: Keys a config file may set (``[ocrclean]`` table or top level), and what each becomes.
CONFIG_KEYS = ("min_confidence", "normalize", "scheme", "authority", "disabled", "model", "adapt", "modern_names")


@dataclass
class Config:
    """Run settings.

    ``min_confidence``: below it a correction is only suggested, not applied.
    ``normalize``: write names in their target form (False: keep them as printed,
    still tagged in the TEI). ``scheme``: the target form, ``canonical`` (the
    authority's choice) or a romanization system (``lc``, ``popular``, ``pinyin``
    ...; see :data:`pipeline.names.romanize.SCHEMES`). ``authority``: user
    authority files layered, in order, over the shipped one. ``disabled``: stage
    names to skip. ``model``: a channel model file (``ocrclean train``) instead of the shipped one.
    ``adapt``: let the channel learn from each document's confident corrections.
    ``modern_names``: write other names of an entity (``Petrograd``, ``Port Arthur``) as the
    entity's canonical name too (default: only respellings are normalized, other names kept).
    """

    min_confidence: float = 0.5
    normalize: bool = True
    disabled: frozenset[str] = field(default_factory=frozenset)
    scheme: str = "canonical"
    authority: tuple[str, ...] = ()
    model: str = ""
    adapt: bool = True
    modern_names: bool = False


def check_scheme(scheme: str) -> str:
    """``scheme`` if it names a target form, else a one-line :class:`OcrcleanError`."""
    from pipeline.names.romanize import SCHEMES

    if scheme != "canonical" and scheme not in SCHEMES:
        raise OcrcleanError(f"unknown name scheme {scheme!r} (known: canonical, {', '.join(SCHEMES)})")
    return scheme


def load_config(path: Path, **overrides: Any) -> Config:
    """A :class:`Config` from a TOML file, then ``overrides`` (None values are ignored).

    Why a file: a project's choices (target scheme, its own authority file) belong
    with the project, not retyped on every command line. Authority paths are
    relative to the config file. Unknown keys are an error, not silently ignored.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OcrcleanError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OcrcleanError(f"{path}: cannot read config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise OcrcleanError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("ocrclean", data)
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise OcrcleanError(f"{path}: unknown config key {unknown[0]!r} (known: {', '.join(CONFIG_KEYS)})")
    values: dict[str, Any] = {}
    try:
        if "min_confidence" in table:
            values["min_confidence"] = float(table["min_confidence"])
            if not 0.0 <= values["min_confidence"] <= 1.0:
                raise ValueError("min_confidence must be between 0 and 1")
        if "normalize" in table:
            if not isinstance(table["normalize"], bool):
                raise ValueError("normalize must be true or false")
            values["normalize"] = table["normalize"]
        if "scheme" in table:
            values["scheme"] = check_scheme(str(table["scheme"]))
        if "authority" in table:
            files = table["authority"]
            files = [files] if isinstance(files, str) else list(files)
            values["authority"] = tuple(str(Path(path).parent / f) for f in files)
        if "adapt" in table:
            if not isinstance(table["adapt"], bool):
                raise ValueError("adapt must be true or false")
            values["adapt"] = table["adapt"]
        if "modern_names" in table:
            if not isinstance(table["modern_names"], bool):
                raise ValueError("modern_names must be true or false")
            values["modern_names"] = table["modern_names"]
        if "model" in table:
            values["model"] = str(Path(path).parent / str(table["model"]))
        if "disabled" in table:
            from pipeline.stages import check_disabled

            values["disabled"] = check_disabled(table["disabled"])
    except (TypeError, ValueError, OcrcleanError) as exc:
        raise OcrcleanError(f"{path}: {exc}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Config(**values)


@dataclass
class Context:
    """What a stage may use besides the document: settings and shared resources.

    ``lexicon`` may already count a collection (the other documents of a run, or the body
    a note belongs to): words seen intact there are evidence here too.
    """

    config: Config
    lexicon: Lexicon
    #: Facts about the document that stages establish once and fragments inherit
    #: (e.g. whether the document is in standard spelling).
    facts: dict[str, object] = field(default_factory=dict)
    _cached: tuple[Document, Lexicon] | None = field(default=None, repr=False)
    _corrector: tuple[Document, Lexicon, Corrector] | None = field(default=None, repr=False)
    #: The corrector of the previous window of the same long document (see :func:`pipeline.api.windows`):
    #: its noise estimate, adapted channel and decisions carry over, as they do within one document.
    previous_window: Corrector | None = field(default=None, repr=False)

    def lexicon_for(self, doc: Document) -> Lexicon:
        """The lexicon with corpus counts of this document plus the collection.

        Built once per document, from its text when a stage first asks (after layout,
        so page furniture is not counted); later repairs change the counts too little
        to pay for a rebuild in every stage.
        """
        if self._cached is None or self._cached[0] is not doc:
            self._cached = (doc, self.lexicon.with_corpus(doc.text))
        return self._cached[1]

    def corrector_for(self, doc: Document) -> Corrector:
        """The word corrector over :meth:`lexicon_for` and the configured channel model, built once per lexicon.

        Within one document the noise estimate and the decisions already taken carry over to the
        corrector of a refreshed lexicon (a later round decides only what its repairs changed)."""
        from pipeline.correction import corrector_for

        lex = self.lexicon_for(doc)
        if self._corrector is None or self._corrector[1] is not lex:
            corrector = corrector_for(lex, self.config.model)
            previous = self._corrector
            if previous is not None and previous[0] is doc:
                corrector.inherit(previous[2])
            elif self.previous_window is not None:
                corrector.inherit(self.previous_window)
            else:
                corrector.adapt(doc.text)
            self._corrector = (doc, lex, corrector)
        return self._corrector[2]

    def adapt_corrector(self, doc: Document, pairs: list[tuple[str, str]]) -> None:
        """Let the document's corrector learn from its confident corrections (see
        :meth:`pipeline.correction.corrector.Corrector.adapted`); later rounds use it."""
        corrector = self.corrector_for(doc)
        self._corrector = (doc, self._corrector[1] if self._corrector else self.lexicon_for(doc),
                           corrector.adapted(pairs))

    def name_index(self) -> FormIndex:
        """The name forms of the shipped authority plus the configured files, for the configured scheme.

        Loaded and indexed once per process and setting (the files' modification
        times are part of the cache key, so an edited authority is re-read).
        """
        from pipeline.names.authority import load_authority
        from pipeline.names.match import cached_index

        check_scheme(self.config.scheme)
        return cached_index(load_authority(self.config.authority), self.config.scheme)

    def refresh(self) -> None:
        """Forget the corpus lexicon, so the next stage counts the repaired text afresh."""
        self._cached = None

    def commit(self, doc: Document, stage: str, proposals: list[Proposal]) -> None:
        """Apply confident proposals; record the others as suggestions."""
        keep = [p for p in proposals if p.confidence >= self.config.min_confidence]
        weak = [p for p in proposals if p.confidence < self.config.min_confidence]
        if weak:
            doc.suggest(stage, weak)
        if keep:
            doc.apply(stage, keep)
