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
    _cache: dict[str, Lexicon] = field(default_factory=dict, repr=False)

    def lexicon_for(self, doc: Document) -> Lexicon:
        """The lexicon with corpus counts of this document plus the collection (cached per text)."""
        text = doc.text
        lex = self._cache.get(text)
        if lex is None:
            lex = self.lexicon.with_corpus(text + "\n\n" + self.corpus_text if self.corpus_text else text)
            self._cache.clear()
            self._cache[text] = lex
        return lex

    def commit(self, doc: Document, stage: str, proposals: list[Proposal]) -> None:
        """Apply confident proposals; record the others as suggestions."""
        keep = [p for p in proposals if p.confidence >= self.config.min_confidence]
        weak = [p for p in proposals if p.confidence < self.config.min_confidence]
        if weak:
            doc.suggest(stage, weak)
        if keep:
            doc.apply(stage, keep)
