"""Clean the raw side of a gold set with the pipeline, the way the reference scorer does.

``shared/tools/score.py`` cleans the pamphlet chunks and the ICDAR files one at a time
(``ocrclean clean FILE --format txt --no-normalize``) and an OverProof-layout folder with one
``ocrclean run RAW_DIR OUT --no-normalize``, where every document has the others of ``raw/`` as
corpus evidence. :func:`clean_sources` does the same in this process, so that ``ocrclean eval``
and ``benchmarks/quality.py`` give the reference's figures exactly, without a subprocess per file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.api import Config, clean_bytes
from pipeline.batch import list_inputs, with_collection_evidence
from pipeline.document import Document
from pipeline.evaluation.measure import DocumentInput, EvalInfo, Evaluation, GoldSource, evaluate_documents
from pipeline.export.txt import to_txt
from pipeline.lexicon import Lexicon, get_lexicon

__all__ = ["Cleaned", "clean_sources", "evaluate_with_pipeline"]


@dataclass
class Cleaned:
    """The pipeline's output for one source: body as ``ocrclean clean --format txt`` prints it,
    the text of its notes and captions, and the edited document itself."""

    body: str
    notes: list[str]
    captions: list[str]
    document: Document


def _cleaned(doc: Document) -> Cleaned:
    return Cleaned(body=to_txt(doc), notes=[n.text for n in doc.notes],
                   captions=[c.text for c in doc.captions], document=doc)


def clean_sources(sources: Sequence[GoldSource], config: Config,
                  lexicon: Lexicon | None = None) -> list[Cleaned]:
    """Clean the raw text of every source; results in the order of ``sources``.

    A source without ``collection`` is cleaned alone: the raw file of a pair (kind ``"pamphlet"``)
    from its bytes (as ``ocrclean clean FILE``), any other source from its ``raw`` text (an ICDAR
    file's aligned OCR side, as the reference pipes it in).
    Sources with a ``collection`` folder are cleaned as ``ocrclean run`` cleans that folder: from
    the file's bytes, each with a lexicon counting every other ``.txt`` file of the folder (also
    those without gold) as corpus evidence. ``lexicon``: the base lexicon (default: the shared one,
    loaded on first use). Raises :class:`~pipeline.errors.OcrcleanError` for a raw file the
    pipeline cannot read.
    """
    base = lexicon or get_lexicon()
    results: dict[int, Cleaned] = {}
    collections: dict[Path, dict[Path, int]] = {}
    for index, source in enumerate(sources):
        if source.collection is None and source.kind == "pamphlet":  # a raw file, as `ocrclean clean FILE` reads it
            results[index] = _cleaned(clean_bytes(source.path.read_bytes(), source.path.name, config, base))
        elif source.collection is None:  # e.g. an ICDAR file's aligned OCR side, piped in as text
            results[index] = _cleaned(clean_bytes(source.raw.encode("utf-8"), "-", config, base))
        else:
            collections.setdefault(source.collection, {})[source.path.resolve()] = index
    for folder, members in collections.items():
        for path, doc_lexicon in with_collection_evidence(list_inputs(folder), base):
            member = members.get(path.resolve())
            if member is not None:
                results[member] = _cleaned(clean_bytes(path.read_bytes(), path.name, config, doc_lexicon))
        for path, index in members.items():
            if index not in results:  # not a .txt file, which a run skips: cleaned alone instead
                results[index] = _cleaned(clean_bytes(path.read_bytes(), path.name, config, base))
    return [results[i] for i in range(len(sources))]


def evaluate_with_pipeline(sources: Sequence[GoldSource], config: Config,
                           lexicon: Lexicon | None = None) -> Evaluation:
    """Clean ``sources`` (:func:`clean_sources`) and score the output against their gold."""
    cleaned = clean_sources(sources, config, lexicon)
    docs = [DocumentInput(name=s.name, pred=c.body, gold=s.gold, notes=c.notes, captions=c.captions, raw=s.raw,
                          conventions=s.conventions, peers=dict(s.peers))
            for s, c in zip(sources, cleaned, strict=True)]
    how = []
    if any(s.collection is None for s in sources):
        how.append("each document cleaned on its own (as `ocrclean clean FILE`)")
    for folder in dict.fromkeys(s.collection for s in sources if s.collection is not None):
        how.append(f"{folder} cleaned as one collection (as `ocrclean run`)")
    return evaluate_documents(docs, EvalInfo(normalize=config.normalize, predictions="cleaned now",
                                             cleaning="; ".join(how)))
