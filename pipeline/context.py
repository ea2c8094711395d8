"""Run settings and the context every stage receives (kept apart from the API to avoid cycles)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.document import Document, Proposal
from pipeline.lexicon import Lexicon


@dataclass
class Config:
    """Run settings. ``min_confidence``: below it a correction is only suggested, not applied."""

    min_confidence: float = 0.5
    normalize: bool = True
    disabled: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Context:
    """What a stage may use besides the document: settings and shared resources.

    ``corpus_text`` is the rest of the collection (other documents of a run, or the
    body a note belongs to): words seen intact there are evidence here too.
    """

    config: Config
    lexicon: Lexicon
    corpus_text: str = ""
    _cached: tuple[Document, Lexicon] | None = field(default=None, repr=False)

    def lexicon_for(self, doc: Document) -> Lexicon:
        """The lexicon with corpus counts of this document plus the collection.

        Built once per document, from its text when a stage first asks (after layout,
        so page furniture is not counted); later repairs change the counts too little
        to pay for a rebuild in every stage.
        """
        if self._cached is None or self._cached[0] is not doc:
            text = doc.text
            lex = self.lexicon.with_corpus(text + "\n\n" + self.corpus_text if self.corpus_text else text)
            self._cached = (doc, lex)
        return self._cached[1]

    def commit(self, doc: Document, stage: str, proposals: list[Proposal]) -> None:
        """Apply confident proposals; record the others as suggestions."""
        keep = [p for p in proposals if p.confidence >= self.config.min_confidence]
        weak = [p for p in proposals if p.confidence < self.config.min_confidence]
        if weak:
            doc.suggest(stage, weak)
        if keep:
            doc.apply(stage, keep)
