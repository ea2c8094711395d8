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
reading of the edit's span of the original); ``bulk`` names the ``stage/rule`` when the
decision was made for a whole rule at once.
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
#: Where the decisions file is looked for, relative to the output folder of a run.
DEFAULT_RELATIVE = Path("..") / "reviews" / "decisions.jsonl"
#: Seconds a save waits for another save's lock before giving up with an error.
LOCK_TIMEOUT = 10.0


def default_path(out_dir: Path) -> Path:
    """The decisions file of a run writing to ``out_dir``: ``OUT_DIR/../reviews/decisions.jsonl``."""
    return Path(os.path.normpath(out_dir / DEFAULT_RELATIVE))


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
    """One decision about one edit of one document (``doc`` is the document's file stem)."""

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

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc, self.edit)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record (absent optional fields left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: Any) -> Decision:
        """A decision from its record; ``ValueError`` saying what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
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


def parse(text: str, source: str = "decisions") -> dict[tuple[str, str], Decision]:
    """Decisions by (document, edit id) from the file's text; a later line wins over an earlier one.

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
