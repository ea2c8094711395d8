"""The reviewer's decisions: one JSON line per decided edit, in a file kept beside the corpus.

Why this shape: the file is what a project commits to git, so it must be readable and diff
well: one line per (document, edit id), sorted, with the edit's stage, rule and text repeated
so a line makes sense on its own, and who decided when. Saves rewrite the file through a
temporary name and a rename under a lock file, so concurrent saves (two browser tabs, two
reviewers) never interleave and a crash never leaves half a file.

A record::

    {"doc": "pamphlet", "edit": "e1ff10b8e7f", "decision": "reject", "by": "ana",
     "at": "2024-05-01T10:12:03Z", "stage": "characters", "rule": "corrector",
     "source": "arid", "after": "and"}

``decision`` is ``accept``, ``reject`` or ``correct`` (then ``text`` holds the reviewer's
reading of the edit's span of the original). A decision about a whole rule has ``"scope": "rule"``
and no edit id; its ``doc`` is a document's stem, or ``*`` for every document of the corpus::

    {"scope": "rule", "doc": "*", "stage": "punctuation", "rule": "space-before-punctuation",
     "decision": "reject", "by": "ana", "at": "2024-05-01T10:14:40Z"}

It covers every edit of that rule the run makes, those a later run makes for the first time
included; a decision about one edit wins over one about its rule, and a rule decision about one
document over one about the corpus. (``bulk``, naming a ``stage/rule``, marks per-edit
decisions that earlier versions wrote for a whole rule; they are still read.)
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from pipeline.errors import OcrcleanError

DECISIONS = ("accept", "reject", "correct")
#: Decisions a reviewer can make about a whole rule.
RULE_DECISIONS = ("accept", "reject")
#: The ``scope`` of a decision about every edit of one rule.
RULE_SCOPE = "rule"
#: The ``doc`` of a rule decision about every document of the corpus.
ALL_DOCUMENTS = "*"
#: The single file earlier versions kept for every output folder of a parent; still read (and
#: written) while an output folder has no file of its own (``reviews/NAME/decisions.jsonl``), so two
#: output folders with the same parent (``out/strict``, ``out/loose``) no longer share decisions.
SHARED_RELATIVE = Path("..") / "reviews" / "decisions.jsonl"
#: Seconds a save waits for another save's lock before giving up with an error.
LOCK_TIMEOUT = 10.0


def default_path(out_dir: Path) -> Path:
    """The decisions file of a run writing to ``out_dir``: ``OUT_DIR/../reviews/NAME/decisions.jsonl``
    (``NAME``: the output folder's name), or the shared ``OUT_DIR/../reviews/decisions.jsonl`` of
    earlier versions where only that one exists."""
    name = Path(os.path.abspath(out_dir)).name
    own = Path(os.path.normpath(out_dir / ".." / "reviews" / name / "decisions.jsonl"))
    shared = Path(os.path.normpath(out_dir / SHARED_RELATIVE))
    return shared if shared.is_file() and not own.is_file() else own


def now() -> str:
    """The current time in UTC, ISO 8601 to the second (``2024-05-01T10:12:03Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def reviewer() -> str:
    """The name decisions are recorded under by default: the login name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "reviewer"


@dataclass(frozen=True)
class Decision:
    """One decision about one edit of one document (``doc`` is the document's file stem), or, with
    ``scope == "rule"``, about every edit of ``stage``/``rule`` in ``doc`` (``*``: in every document;
    ``edit`` is then empty)."""

    doc: str
    edit: str
    decision: str
    by: str
    at: str
    stage: str = ""
    rule: str = ""
    source: str = ""
    after: str = ""
    text: str | None = None
    bulk: str | None = None
    scope: str | None = None

    @property
    def is_rule(self) -> bool:
        """Whether this decision is about a whole rule rather than one edit."""
        return self.scope == RULE_SCOPE

    @property
    def rule_key(self) -> str:
        """``stage/rule`` of the edit or rule decided on."""
        return f"{self.stage}/{self.rule}"

    @property
    def key(self) -> tuple[str, str]:
        """What a later decision replaces: (doc, edit id), or (doc, ``rule:stage/rule``) for a rule."""
        return (self.doc, rule_record_key(self.stage, self.rule) if self.is_rule else self.edit)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record (absent optional fields left out; a rule decision has no edit fields)."""
        record = {k: v for k, v in asdict(self).items() if v is not None}
        if self.is_rule:
            for name in ("edit", "source", "after"):
                record.pop(name, None)
        return record

    @classmethod
    def from_dict(cls, data: Any) -> Decision:
        """A decision from its record; ``ValueError`` saying what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("scope") is not None:
            return cls._rule_from_dict(data)
        for key in ("doc", "edit", "decision"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ValueError(f"missing {key!r}")
        if data["decision"] not in DECISIONS:
            raise ValueError(f"unknown decision {data['decision']!r} (known: {', '.join(DECISIONS)})")
        text = data.get("text")
        if data["decision"] == "correct" and not isinstance(text, str):
            raise ValueError("a correction needs its 'text'")
        bulk = data.get("bulk")
        return cls(doc=data["doc"], edit=data["edit"], decision=data["decision"], by=str(data.get("by", "")),
                   at=str(data.get("at", "")), stage=str(data.get("stage", "")), rule=str(data.get("rule", "")),
                   source=str(data.get("source", "")), after=str(data.get("after", "")),
                   text=text if data["decision"] == "correct" else None, bulk=str(bulk) if bulk else None)

    @classmethod
    def _rule_from_dict(cls, data: dict[str, Any]) -> Decision:
        if data["scope"] != RULE_SCOPE:
            raise ValueError(f"unknown scope {data['scope']!r} (known: {RULE_SCOPE})")
        for key in ("doc", "stage", "rule", "decision"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ValueError(f"missing {key!r}")
        if data["decision"] not in RULE_DECISIONS:
            raise ValueError(f"a rule decision is {' or '.join(RULE_DECISIONS)}, not {data['decision']!r}")
        return cls(doc=data["doc"], edit="", decision=data["decision"], by=str(data.get("by", "")),
                   at=str(data.get("at", "")), stage=data["stage"], rule=data["rule"], scope=RULE_SCOPE)


def rule_decision(doc: str, stage: str, rule: str, decision: str, by: str, at: str | None = None) -> Decision:
    """A decision about every edit of ``stage``/``rule`` in ``doc`` (``*``: the corpus)."""
    if decision not in RULE_DECISIONS:
        raise ValueError(f"a rule decision is {' or '.join(RULE_DECISIONS)}")
    return Decision(doc=doc, edit="", decision=decision, by=by, at=at or now(), stage=stage, rule=rule,
                    scope=RULE_SCOPE)


def rule_record_key(stage: str, rule: str) -> str:
    """The second half of a rule decision's key: ``rule:stage/rule`` (edit ids start with ``e``)."""
    return f"rule:{stage}/{rule}"


def parse(text: str, source: str = "decisions") -> dict[tuple[str, str], Decision]:
    """Decisions by :attr:`Decision.key` from the file's text; a later line wins over an earlier one.

    Raises :class:`OcrcleanError` naming the line of a malformed record.
    """
    out: dict[tuple[str, str], Decision] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            decision = Decision.from_dict(json.loads(line))
        except (json.JSONDecodeError, ValueError, TypeError) as exc:
            raise OcrcleanError(f"{source}:{number}: not a decision ({exc})") from None
        out[decision.key] = decision
    return out


def dumps(decisions: Iterable[Decision]) -> str:
    """The file's text: one sorted-key JSON line per decision, ordered by document and edit id."""
    ordered = sorted(decisions, key=lambda d: d.key)
    return "".join(json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for d in ordered)


class DecisionStore:
    """The decisions file at ``path`` (created on the first save, with its folder)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)

    def load(self) -> dict[tuple[str, str], Decision]:
        """Every decision (none when the file does not exist yet)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise OcrcleanError(f"{self.path}: cannot read decisions ({exc})") from None
        return parse(text, str(self.path))

    def update(self, decisions: Iterable[Decision] = (), clear: Iterable[tuple[str, str]] = ()) -> int:
        """Record ``decisions`` (replacing earlier ones for the same edits) and forget those in ``clear``.

        Read, change and write happen under the lock, the write through a temporary file, fsync
        and a rename. Returns the number of decisions in the file afterwards.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.lock:
                current = self.load()
                for key in clear:
                    current.pop(key, None)
                for decision in decisions:
                    current[decision.key] = decision
                self._write(dumps(current.values()))
                return len(current)
        except Timeout:
            raise OcrcleanError(f"{self.path}: another save holds the lock; try again") from None
        except OSError as exc:
            raise OcrcleanError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None

    def _write(self, text: str) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
