"""Run settings and the context every stage receives.

A low layer: it knows the document and the lexicon, not the stages, the names package or the API.
Reading settings from a file (and checking them against the stages) is :mod:`pipeline.config`;
the resources a stage needs from higher up (the name index) are handed in by :mod:`pipeline.api`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.document import Document, Proposal
from pipeline.errors import OcrcleanError
from pipeline.lexicon import Lexicon

if TYPE_CHECKING:
    from pipeline.correction.corrector import Corrector
    from pipeline.names.match import FormIndex

@dataclass
class Config:
    """Run settings.

    ``min_confidence``: below it a correction is only suggested, not applied.
    ``normalize``: write names in their target form (False: keep them as printed,
    still tagged in the TEI). ``scheme``: the target form, ``canonical`` (the
    authority's choice) or a romanization system (``lc``, ``popular``, ``pinyin``
    ...; see :data:`pipeline.names.romanize.SCHEMES`). ``authority``: user
    authority files layered, in order, over the shipped one. ``disabled``: stage
    names to skip, and ``stage/rule`` names of single rules switched off. ``model``: a channel
    model file (``ocrclean train``) instead of the shipped one.
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

    def rules_off(self, stage: str) -> frozenset[str]:
        """The rules of ``stage`` switched off by ``stage/rule`` entries of :attr:`disabled`."""
        return frozenset(rule for name, _, rule in (n.partition("/") for n in self.disabled) if name == stage and rule)


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
    #: Builds the name index for a :class:`Config` (the names stage asks through :meth:`name_index`).
    name_forms: Callable[[Config], FormIndex] | None = None
    _cached: tuple[Document, Lexicon] | None = field(default=None, repr=False)
    #: The last lexicon counted for a document, with the text it counted and the lexicon it was built on:
    #: taken again after :meth:`refresh` when neither changed since (the counts would be the same).
    _counted: tuple[Document, str, Lexicon, Lexicon] | None = field(default=None, repr=False)
    _corrector: tuple[Document, Lexicon, Corrector] | None = field(default=None, repr=False)
    #: The corrector of the previous window of the same long document (see :func:`pipeline.api.windows`):
    #: its noise estimate, adapted channel and decisions carry over, as they do within one document.
    previous_window: Corrector | None = field(default=None, repr=False)
    #: The text whose noise the corrector is scaled to (see :meth:`~pipeline.correction.corrector.Corrector.adapt`):
    #: the whole input when it is cleaned in windows, so every window reads it alike; by default the
    #: document's original text.
    noise_text: str | None = field(default=None, repr=False)

    def lexicon_for(self, doc: Document) -> Lexicon:
        """The lexicon with corpus counts of this document plus the collection.

        Built once per document, from its text when a stage first asks (after layout,
        so page furniture is not counted); later repairs change the counts too little
        to pay for a rebuild in every stage.
        """
        if self._cached is None or self._cached[0] is not doc:
            last, text = self._counted, doc.text
            if last is not None and last[0] is doc and last[3] is self.lexicon and last[1] == text:
                lex = last[2]  # nothing changed since it was counted
            else:
                lex = self.lexicon.with_corpus(text)
                self._counted = (doc, text, lex, self.lexicon)
            self._cached = (doc, lex)
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
                corrector.adapt(doc.original if self.noise_text is None else self.noise_text)
            self._corrector = (doc, lex, corrector)
        return self._corrector[2]

    def adapt_corrector(self, doc: Document, pairs: list[tuple[str, str]]) -> None:
        """Let the document's corrector learn from its confident corrections (see
        :meth:`pipeline.correction.corrector.Corrector.adapted`); later rounds use it."""
        from pipeline.correction import retire

        corrector = self.corrector_for(doc)
        self._corrector = (doc, self._corrector[1] if self._corrector else self.lexicon_for(doc),
                           corrector.adapted(pairs))
        if self._corrector[2].channel is not corrector.channel:
            retire(corrector)  # its channel is superseded: free its memo tables

    def release(self) -> None:
        """Free what this context's corrector memoised (see :func:`pipeline.correction.retire`) once the
        document (or window) is done; a long input's next window inherits the corrector all the same."""
        if self._corrector is not None:
            from pipeline.correction import retire

            retire(self._corrector[2])

    def name_index(self) -> FormIndex:
        """The name forms for the run's settings, from the factory the API handed in
        (:func:`pipeline.api.name_index`); :class:`OcrcleanError` when there is none."""
        if self.name_forms is None:
            raise OcrcleanError("this Context was given no name index (see pipeline.api.name_index)")
        return self.name_forms(self.config)

    def refresh(self) -> None:
        """Forget the corpus lexicon, so the next stage counts the repaired text afresh (an unchanged text
        keeps its lexicon: the same counts, and what was derived from them)."""
        self._cached = None

    def suggest(self, doc: Document, stage: str, proposals: list[Proposal]) -> None:
        """Record proposals that are only ever suggestions, whatever their confidence (an ambiguous
        name: the reader must choose)."""
        if proposals:
            doc.suggest(stage, proposals)

    def hold(self, doc: Document, stage: str, proposals: list[Proposal], reason: str) -> None:
        """Record proposals that a guard of ``stage`` keeps out of the text as suggestions, whatever their
        confidence, with ``reason`` in their data (``held``), so a reviewer sees what was not done and why.
        Proposals of a rule switched off are dropped, as :meth:`commit` drops them."""
        off = self.config.rules_off(stage)
        kept = [replace(p, data={**(p.data or {}), "held": reason}) for p in proposals if p.rule not in off]
        if kept:
            doc.suggest(stage, kept)

    def commit(self, doc: Document, stage: str, proposals: list[Proposal]) -> None:
        """Apply confident proposals; record the others as suggestions. Proposals of a rule switched
        off (``disabled`` holds ``stage/rule``) are dropped: the rule does not run."""
        off = self.config.rules_off(stage)
        if off:
            proposals = [p for p in proposals if p.rule not in off]
        keep = [p for p in proposals if p.confidence >= self.config.min_confidence]
        weak = [p for p in proposals if p.confidence < self.config.min_confidence]
        if weak:
            doc.suggest(stage, weak)
        if keep:
            doc.apply(stage, keep)
