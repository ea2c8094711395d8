"""The corpus report behind ``ocrclean names``: what the authority found, and what it missed.

Why a report: an authority file grows by review. A historian needs to see, for
the whole corpus, every entity found with each printed spelling, how often and
where (to check that the variants really are one entity), which spellings were
unified into another, which other names of the entity (renamings, translations)
were linked and kept, which OCR-damaged near matches were repaired or only
suggested, the occurrences left alone as ambiguous, and the capitalized words
that look like names but matched no entry: the candidates for the next entries. The report runs the whole
pipeline (names are found after OCR repair) with the same corpus evidence as
``ocrclean run``, and reads the ``names`` edits.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.api import clean_bytes, name_index
from pipeline.batch import find_inputs, with_collection_evidence
from pipeline.context import Config
from pipeline.document import Document
from pipeline.errors import InputError
from pipeline.lexicon import Lexicon, get_lexicon
from pipeline.names.match import TOKEN, FormIndex, _sentence_initial, key

#: A capitalized word of the body below this Zipf frequency (as a lowercase English word) looks like a name.
CANDIDATE_ZIPF = 3.0


@dataclass
class EntityRow:
    """One entity found in the corpus, with its printed spellings."""

    ref: str
    type: str
    reg: str
    spellings: Counter[str] = field(default_factory=Counter)
    documents: Counter[str] = field(default_factory=Counter)
    #: spelling -> documents printing it, with counts
    where: dict[str, Counter[str]] = field(default_factory=dict)
    #: spelling -> what it was written as and its relation (``spelling``, ``short``, ``name``),
    #: and why it was kept as printed when it was
    written: dict[str, Counter[tuple[str, str, str]]] = field(default_factory=dict)
    #: other names of the entity printed: name -> its dates in the authority
    names: dict[str, str] = field(default_factory=dict)
    #: near matches accepted: printed -> the spelling it was repaired to
    near: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return sum(self.spellings.values())


@dataclass
class NamesReport:
    entities: dict[str, EntityRow] = field(default_factory=dict)
    #: (printed spelling, candidate ids) -> documents with counts
    ambiguous: dict[tuple[str, tuple[str, ...]], Counter[str]] = field(default_factory=dict)
    #: name-like spelling -> documents with counts
    candidates: dict[str, Counter[str]] = field(default_factory=dict)
    #: near matches only suggested: (printed, nearest spelling, candidate ids) -> documents with counts
    near_suggested: dict[tuple[str, str, tuple[str, ...]], Counter[str]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)


def collect_inputs(args: list[Path]) -> list[Path]:
    """Text files named on the command line; a folder stands for its ``*.txt`` files, sub-folders
    included (as ``ocrclean run`` reads it)."""
    out: list[Path] = []
    for arg in args:
        if arg.is_dir():
            out.extend(path for _, path in find_inputs(arg))
        elif arg.is_file():
            out.append(arg)
        else:
            raise InputError(f"{arg}: no such file or folder")
    if not out:
        raise InputError("no .txt files to report on (folders are searched with their sub-folders)")
    return out


def names_report(paths: list[Path], config: Config | None = None) -> NamesReport:
    """Clean every file (each with the others as corpus evidence) and gather the name edits."""
    config = config or Config()
    lexicon = get_lexicon()
    index = name_index(config)
    cue_keys = {k for cues in index.cues.values() for cue in cues for k in cue}
    report = NamesReport()
    for path, doc_lexicon in with_collection_evidence(paths, lexicon):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            doc = clean_bytes(data, path.name, config, doc_lexicon)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        name = path.name
        report.documents.append(name)
        for edit in doc.edits:
            if edit.stage != "names":
                continue
            printed = str(edit.data.get("orig", edit.before))
            if edit.data.get("ref"):
                row = report.entities.setdefault(str(edit.data["ref"]), EntityRow(
                    str(edit.data["ref"]), str(edit.data.get("type", "")),
                    str(edit.data.get("canonical", edit.data.get("reg", "")))))
                row.spellings[printed] += 1
                row.documents[name] += 1
                row.where.setdefault(printed, Counter())[name] += 1
                written = str(edit.after) if config.normalize else str(edit.data.get("reg", edit.after))
                row.written.setdefault(printed, Counter())[(written, str(edit.data.get("relation", "")),
                                                            str(edit.data.get("kept", "")))] += 1
                if edit.data.get("relation") == "name":
                    row.names[printed] = str(edit.data.get("dates", ""))
                if edit.rule == "near-match":
                    row.near[(printed, str(edit.data.get("spelling", edit.after)))] += 1
            elif edit.data.get("candidates"):
                if edit.data.get("near"):
                    slot3 = (printed, str(edit.after), tuple(edit.data["candidates"]))
                    report.near_suggested.setdefault(slot3, Counter())[name] += 1
                    continue
                slot = (printed, tuple(edit.data["candidates"]))
                report.ambiguous.setdefault(slot, Counter())[name] += 1
        _candidates(doc, index, cue_keys, lexicon, report, name)
    return report


def _candidates(doc: Document, index: FormIndex, cue_keys: set[str], lexicon: Lexicon, report: NamesReport,
                name: str) -> None:
    """Capitalized, rare, mid-sentence words outside every name found: spellings worth an entry."""
    text = doc.text
    tagged = [(seg.start, seg.end) for seg in doc.segments() if seg.edit is not None and seg.edit.stage == "names"]
    spans = iter(tagged)
    current = next(spans, None)
    for m in TOKEN.finditer(text):
        while current is not None and current[1] <= m.start():
            current = next(spans, None)
        if current is not None and current[0] <= m.start() < current[1]:
            continue
        word = m.group()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if len(word) < 3 or not word[0].isupper() or word.isupper() or _sentence_initial(text, m.start()):
            continue
        k = key(word)
        if k in cue_keys or (k,) in index.forms:
            continue
        if lexicon.zipf(word.lower()) >= CANDIDATE_ZIPF:
            continue
        report.candidates.setdefault(word, Counter())[name] += 1


def _docs(counter: Counter[str]) -> str:
    return "; ".join(f"{doc} ({n})" for doc, n in sorted(counter.items()))


def format_table(report: NamesReport) -> str:
    """The report as fixed-width text: entities, ambiguous occurrences, candidates."""
    lines = [f"ENTITIES ({len(report.entities)} in {len(report.documents)} documents)",
             f"{'id':<28} {'type':<6} {'normalized':<28} {'n':>4}  spellings (count) / documents"]
    for row in sorted(report.entities.values(), key=lambda r: (-r.count, r.ref)):
        spellings = ", ".join(f"{s} ({n})" for s, n in row.spellings.most_common())
        lines.append(f"{row.ref[:28]:<28} {row.type:<6} {row.reg[:28]:<28} {row.count:>4}  {spellings}")
        lines.append(f"{'':<70}{_docs(row.documents)}")
        unified = sorted({f"{p} -> {w}" for p, c in row.written.items() for (w, rel, _k) in c
                          if w != p and rel != "name"})
        if unified:
            lines.append(f"{'':<70}unified: {', '.join(unified)}")
        if row.names:
            linked = [f"{n} ({d})" if d else n for n, d in sorted(row.names.items())]
            lines.append(f"{'':<70}other names, linked: {', '.join(linked)}")
        if row.near:
            lines.append(f"{'':<70}near matches repaired: "
                         + ", ".join(f"{p} -> {s} ({n})" for (p, s), n in row.near.most_common()))
    lines.append("")
    lines.append(f"NEAR MATCHES, only suggested ({len(report.near_suggested)})")
    for (printed, spelling, cands), docs in sorted(report.near_suggested.items()):
        lines.append(f"  {printed:<26} near {spelling} ({', '.join(cands)})  in {_docs(docs)}")
    lines.append("")
    lines.append(f"AMBIGUOUS, left as printed ({len(report.ambiguous)})")
    for (printed, cands), docs in sorted(report.ambiguous.items()):
        lines.append(f"  {printed:<26} could be {', '.join(cands)}  in {_docs(docs)}")
    lines.append("")
    lines.append(f"CANDIDATES: name-like spellings no entry matched ({len(report.candidates)})")
    for word, docs in sorted(report.candidates.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        lines.append(f"  {word:<26} {sum(docs.values()):>4}  {_docs(docs)}")
    return "\n".join(lines) + "\n"


def to_csv(report: NamesReport) -> str:
    """One row per (entity, spelling), ambiguous spelling and candidate, with the documents that print
    it (``name (count)`` joined by ``;``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", "type", "normalized", "spelling", "count", "documents", "written", "relation"])
    for row in sorted(report.entities.values(), key=lambda r: r.ref):
        for spelling, n in row.spellings.most_common():
            written = row.written.get(spelling, Counter())
            out_forms = " | ".join(sorted({w for w, _r, _k in written}))
            relations = " | ".join(sorted({r + (f" (kept: {k})" if k else "") for _w, r, k in written}))
            writer.writerow(["entity", row.ref, row.type, row.reg, spelling, n, _docs(row.where[spelling]),
                             out_forms, relations])
    for (printed, cands), docs in sorted(report.ambiguous.items()):
        writer.writerow(["ambiguous", " ".join(cands), "", "", printed, sum(docs.values()), _docs(docs), "", ""])
    for (printed, spelling, cands), docs in sorted(report.near_suggested.items()):
        writer.writerow(["near", " ".join(cands), "", "", printed, sum(docs.values()), _docs(docs), spelling, ""])
    for word, docs in sorted(report.candidates.items()):
        writer.writerow(["candidate", "", "", "", word, sum(docs.values()), _docs(docs), "", ""])
    return out.getvalue()
