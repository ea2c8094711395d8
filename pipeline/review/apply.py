"""Decisions obeyed on the next run, and the review's part of a batch run.

How each decision acts (see :mod:`pipeline.review.decisions` for the file):

* ``reject``: the edit's id is put in :attr:`Document.rejected` before the repair stages run,
  so when a stage proposes that edit again it is recorded as not applied (``data["review"] ==
  "rejected"``) and the text stays as it was: the change is in no output, later stages see the
  text without it, and the edits file still lists it.
* ``correct``: after the stages, the span of the original the edit covered is given the
  reviewer's text, as an edit of stage ``review`` (rule ``typed``) over the edit's output.
* ``accept``: an applied edit is marked ``data["review"] = "accepted"`` (the TEI then names the
  reviewer in ``resp`` and gives ``cert="high"``); an accepted suggestion (below the
  confidence threshold) is applied as an edit of stage ``review`` (rule ``accepted-suggestion``).
* a decision about a whole rule (``"scope": "rule"``, in one document or ``*`` the corpus) acts on
  every edit of that rule the run makes, new ones included: ``reject`` vetoes them as above (by
  :attr:`Document.rejected_rules`), ``accept`` marks the applied ones reviewed. A decision about
  one edit wins over its rule's (the edit is in :attr:`Document.kept`).
* a note or caption whose lifting-out is rejected is back in the body, so it is dropped from
  ``doc.notes``/``doc.captions`` (its text would otherwise be in the outputs twice).

A decision whose edit the run no longer makes (the input or the code changed), or that cannot
act (a decode repair is made before decisions are read; a correction over text a later stage
rewrote) is reported with its reason: :attr:`Outcome.status` ``stale`` or ``failed``, never dropped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.document import Document, Edit, EditKind, Proposal
from pipeline.errors import OcrcleanError
from pipeline.review.decisions import ALL_DOCUMENTS, Decision, DecisionStore

#: The stage name of edits a reviewer made (typed corrections, accepted suggestions).
REVIEW_STAGE = "review"
#: Stages whose edits are made before decisions are read (they cannot be rejected).
EARLY_STAGES = frozenset({"decode"})


@dataclass(frozen=True)
class Outcome:
    """What one decision did in a run: ``status`` is ``applied``, ``stale`` (no such edit now) or
    ``failed`` (the edit is there, but the decision could not act; ``reason`` says why).

    ``scope`` is ``edit`` (one edit), ``document`` (every edit of ``stage/rule`` in ``doc``) or
    ``corpus`` (every edit of the rule in every document; ``doc`` is then the document it acted
    in, or ``*``); ``count`` is the number of edits a rule decision acted on."""

    doc: str
    edit: str
    decision: str
    status: str
    reason: str = ""
    stage: str = ""
    rule: str = ""
    source: str = ""
    after: str = ""
    scope: str = "edit"
    count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """One line for stderr: ``doc: reject e12ab (characters/corrector 'arid' -> 'and'): reason``."""
        if self.scope != "edit":
            where = " in the corpus" if self.scope == "corpus" else ""
            what = f"every {self.stage}/{self.rule} edit{where}"
            return f"{self.doc}: {self.decision} {what}: {self.reason or self.status}"
        what = f"{self.stage}/{self.rule} {self.source!r} -> {self.after!r}" if self.stage else "unknown edit"
        return f"{self.doc}: {self.decision} {self.edit} ({what}): {self.reason or self.status}"


@dataclass(frozen=True)
class DocDecisions:
    """The decisions about one document (plain data: it can travel to a worker process).

    ``decisions`` holds those about its edits and about whole rules, in this document or (``doc ==
    "*"``) in the corpus. Precedence: a decision about an edit wins over one about its rule, and a
    rule decision about this document over one about the corpus."""

    doc: str
    decisions: tuple[Decision, ...] = ()

    @property
    def edit_decisions(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if not d.is_rule)

    @property
    def rule_decisions(self) -> dict[tuple[str, str], Decision]:
        """The rule decision in force for each (stage, rule): this document's, else the corpus's."""
        out: dict[tuple[str, str], Decision] = {}
        for d in sorted((d for d in self.decisions if d.is_rule), key=lambda d: d.doc == self.doc):
            out[(d.stage, d.rule)] = d
        return out

    @property
    def rejected(self) -> frozenset[str]:
        return frozenset(d.edit for d in self.edit_decisions if d.decision == "reject")

    def prepare(self, doc: Document) -> None:
        """Before the repair stages: make rejected edits and the edits of rejected rules vetoed."""
        doc.rejected |= set(self.rejected)
        doc.rejected_rules |= {key for key, d in self.rule_decisions.items() if d.decision == "reject"}
        doc.kept |= {d.edit for d in self.edit_decisions if d.decision != "reject"}

    def apply(self, doc: Document) -> list[Outcome]:
        """After the stages: corrections and acceptances act; every decision gets an :class:`Outcome`.

        Notes and captions whose lifting-out is not applied (rejected, or only suggested) are dropped
        from ``doc.notes``/``doc.captions``: their text is in the body. The outcomes are also kept in
        ``doc.meta["review"]`` (a list of dicts) for the report; a corpus-wide rule decision has an
        outcome here only when it acted on this document (:meth:`ReviewRun.finish` reports the rest).
        """
        by_id = {e.id: e for e in doc.edits}
        outcomes = [self._one(doc, d, by_id.get(d.edit)) for d in self.edit_decisions]
        decided = {d.edit for d in self.edit_decisions}
        for d in self.rule_decisions.values():
            outcome = self._rule(doc, d, decided)
            if outcome is not None:
                outcomes.append(outcome)
        partial = drop_items_put_back(doc)
        outcomes = [_partial(o, partial[o.edit]) if o.edit in partial else o for o in outcomes]
        doc.meta["review"] = [o.to_dict() for o in outcomes]
        return outcomes

    def _rule(self, doc: Document, d: Decision, decided: set[str]) -> Outcome | None:
        """Acceptance of every applied edit of a rule; the count of a rule's vetoed edits."""
        scope = "corpus" if d.doc == ALL_DOCUMENTS else "document"
        mine = [e for e in doc.edits if (e.stage, e.rule) == (d.stage, d.rule) and e.id not in decided]

        def result(status: str, reason: str = "", count: int = 0) -> Outcome:
            return Outcome(self.doc, "", d.decision, status, reason, d.stage, d.rule, scope=scope, count=count)

        if d.decision == "reject":
            made = [e for e in mine if e.applied]
            vetoed = [e for e in mine if e.data.get("review") == "rejected"]
            if made and d.stage in EARLY_STAGES:
                return result("failed", f"{d.stage} repairs are made before decisions are read", len(made))
            if made:
                return result("failed", f"{len(made)} edits of the rule made although rejected", len(made))
            if vetoed:
                return result("applied", f"{len(vetoed)} edits rejected", len(vetoed))
        else:
            made = [e for e in mine if e.applied]
            for e in made:
                e.data = dict(e.data, review="accepted", reviewed_by=d.by, reviewed_at=d.at)
            if made:
                return result("applied", f"{len(made)} edits accepted", len(made))
        if scope == "corpus":
            return None
        return result("stale", "this run makes no edit of this rule in this document")

    def _one(self, doc: Document, d: Decision, edit: Edit | None) -> Outcome:
        def result(status: str, reason: str = "") -> Outcome:
            known = edit or d
            return Outcome(self.doc, d.edit, d.decision, status, reason, known.stage, known.rule,
                           known.source, known.after)

        if edit is None:
            return result("stale", "this run makes no such edit (the input or the pipeline changed)")
        if d.decision == "reject":
            if edit.data.get("review") == "rejected":
                return result("applied")
            if edit.stage in EARLY_STAGES:
                return result("failed", f"{edit.stage} repairs are made before decisions are read")
            if not edit.applied:
                return result("applied", "a suggestion only: nothing to undo")
            return result("failed", "the edit was made although rejected")
        if d.decision == "accept":
            if edit.applied:
                edit.data = dict(edit.data, review="accepted", reviewed_by=d.by, reviewed_at=d.at)
                return result("applied")
            if edit.data.get("review") == "rejected":
                return result("failed", "the same edit is rejected")
            return _replace(doc, edit, edit.after, "accepted-suggestion", d, result)
        # a typed correction
        return _replace(doc, edit, d.text or "", "typed", d, result)


#: Kinds of layout edit that lift a note or caption out of the body (:attr:`Edit.item` names the item).
ITEM_KINDS = {EditKind.NOTE: "notes", EditKind.CAPTION: "captions"}


def drop_items_put_back(doc: Document) -> dict[str, str]:
    """Drop from ``doc.notes``/``doc.captions`` every item one of whose lifting-out edits is not applied.

    Such an item's printed text stays in the body (a reviewer rejected its removal, or the removal was
    only suggested), so keeping the item would put its text in the outputs twice. Returns, for the
    not-applied removal edits of an item some of whose lines are still lifted out, why the item is
    only partly back in the body.
    """
    partial: dict[str, str] = {}
    for kind, attr in ITEM_KINDS.items():
        removals: dict[str, list[Edit]] = {}
        for e in doc.edits:
            if e.kind == kind and e.item is not None:
                removals.setdefault(e.item, []).append(e)
        kept = []
        for item in getattr(doc, attr):
            edits = removals.get(item.id, [])
            back = [e for e in edits if not e.applied]
            if not back:
                kept.append(item)
                continue
            still = [e.id for e in edits if e.applied]
            if still:
                for e in back:
                    partial[e.id] = (f"the other lines of this {kind} stay lifted out ({', '.join(still)}); "
                                     "reject them too")
        setattr(doc, attr, kept)
    return partial


def _partial(outcome: Outcome, reason: str) -> Outcome:
    return replace(outcome, status="failed", reason=reason) if outcome.decision == "reject" else outcome


def _replace(doc: Document, edit: Edit, text: str, rule: str, d: Decision, result: Any) -> Outcome:
    span = current_span(doc, edit)
    if span is None:
        return result("failed", "a later edit rewrote the text around this span; decide on that edit instead")
    made = doc.apply(REVIEW_STAGE, [Proposal(span[0], span[1], text, rule, 1.0, EditKind.CORRECTION,
                                             {"review": rule, "edit": edit.id, "by": d.by, "at": d.at})])
    return result("applied") if made else result("failed", "the span could not be replaced")


def current_span(doc: Document, edit: Edit) -> tuple[int, int] | None:
    """Where the original span of ``edit`` is in the current text, or None if it no longer maps there.

    An edit whose text is in the output: the span of its pieces. Otherwise the original span must begin
    and end in unedited text or at the boundaries of edited pieces.
    """
    segments = doc.segments()
    own = [seg for seg in segments if seg.edit is edit]
    if own:
        return own[0].start, own[-1].end
    a, b = edit.start, edit.end
    start: int | None = None
    for seg in segments:
        if start is None:
            if seg.src_start == a:
                start = seg.start
            elif seg.src_start < a < seg.src_end:
                if seg.edit is not None:
                    return None
                start = seg.start + (a - seg.src_start)
        if start is not None:
            if seg.src_end == b and seg.src_start <= b:
                return start, seg.end
            if seg.src_start < b < seg.src_end:
                return (start, seg.start + (b - seg.src_start)) if seg.edit is None else None
            if seg.src_start > b:
                return None
    return None


# ---------------------------------------------------------------------- the batch run's part
@dataclass
class ReviewRun:
    """The review's part of a batch run: decisions in, the HTML report out.

    ``decisions`` are grouped by document stem; ``report`` switches the report
    (``OUT_DIR/report/``: one page and one review-data file per document, plus the index ``index.htm``).
    Plain data, so it can travel to worker processes.
    """

    out_dir: Path
    report: bool = False
    decisions_path: Path | None = None
    decisions: dict[str, tuple[Decision, ...]] = field(default_factory=dict)

    @classmethod
    def start(cls, out_dir: Path, *, report: bool = False, decisions: Path | None = None) -> ReviewRun:
        """Read the decisions file (if given) before any document is cleaned; a bad file fails here in one line."""
        grouped: dict[str, list[Decision]] = {}
        if decisions is not None:
            if not Path(decisions).is_file():
                raise OcrcleanError(f"{decisions}: no such decisions file")
            for d in DecisionStore(decisions).load().values():
                grouped.setdefault(d.doc, []).append(d)
        return cls(out_dir, report, decisions, {k: tuple(v) for k, v in grouped.items()})

    def for_document(self, source_name: str) -> DocDecisions | None:
        """The decisions about one input (by :func:`~pipeline.review.view.doc_key`), or None when there are none."""
        from pipeline.review.view import doc_key

        stem = doc_key(source_name)
        found = self.decisions.get(stem, ()) + self.decisions.get(ALL_DOCUMENTS, ())
        return DocDecisions(stem, found) if found else None

    def document_done(self, doc: Document, source_name: str) -> dict[str, Any]:
        """After a document's outputs are written: its report pages and review data, written window by
        window (:class:`~pipeline.review.view.StreamView`: a spilled document is never loaded whole);
        returns its summary for the index."""
        from pipeline.review.report import summarize, write_document_report
        from pipeline.review.view import StreamView

        view = StreamView(doc, source_name)
        decisions = list(doc.meta.get("review", []))
        summary = write_document_report(view, self.out_dir / "report", decisions) if self.report else summarize(view)
        summary["decisions"] = decisions
        return summary

    def finish(self, summaries: list[dict[str, Any]]) -> dict[str, Any]:
        """After every document: the index page, and the decisions no document of the run took up.

        Returns the manifest's ``review`` section: the decisions file, counts, and every decision
        not applied (``stale``/``failed``, with its reason)."""
        from pipeline.review.report import write_index

        seen = {str(s.get("stem")) for s in summaries}
        outcomes = [o for s in summaries for o in s.get("decisions", [])]
        unmatched = [Outcome(doc, d.edit, d.decision, "stale", "no document of this name in the run", d.stage,
                             d.rule, d.source, d.after, "document" if d.is_rule else "edit").to_dict()
                     for doc, group in sorted(self.decisions.items()) if doc not in seen and doc != ALL_DOCUMENTS
                     for d in group]
        acted = {(o.get("decision"), o.get("stage"), o.get("rule")) for o in outcomes if o.get("scope") == "corpus"}
        unmatched += [Outcome(ALL_DOCUMENTS, "", d.decision, "stale", "no document of the run has edits of this rule "
                              "(or each has a decision of its own about it)", d.stage, d.rule, scope="corpus").to_dict()
                      for d in self.decisions.get(ALL_DOCUMENTS, ()) if (d.decision, d.stage, d.rule) not in acted]
        outcomes += unmatched
        section = {
            "decisions": str(self.decisions_path) if self.decisions_path else None,
            "applied": sum(1 for o in outcomes if o["status"] == "applied"),
            "not_applied": [o for o in outcomes if o["status"] != "applied"],
        }
        if self.report:
            write_index(self.out_dir / "report", summaries, section)
        return section
