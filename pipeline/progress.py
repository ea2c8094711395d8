"""Progress of a batch run: a bar on a terminal, periodic lines in a log, JSON lines for machines.

The bar is tqdm's (documents done of all, characters, rate, ETA). When stderr is not a
terminal, one plain line is written every :data:`LOG_EVERY_S` seconds instead; with
``--log-format json`` every document is one JSON object per line (``event``, ``file``,
``status``, ``seconds``, ``bytes``, ``error``), and the run's summary is the last line; with
``--quiet`` as well (mode ``summary``) only that summary line is written.
"""

from __future__ import annotations

import json
import sys
import time
from typing import IO, Any

from tqdm import tqdm

#: Seconds between two plain progress lines when stderr is not a terminal.
LOG_EVERY_S = 10.0


class Progress:
    """Reports documents as they finish. ``mode``: ``auto`` (bar on a terminal, periodic lines
    otherwise), ``json``, ``summary`` (the JSON summary line only) or ``quiet``; ``total_bytes`` is
    the input size of the documents to clean."""

    def __init__(self, total_docs: int, total_bytes: int, mode: str = "auto", stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.mode = mode
        if mode == "auto":
            self.mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "log"
        self.total_docs, self.total_bytes = total_docs, total_bytes
        self.docs = self.bytes = 0
        self.started = self._last = time.monotonic()
        self._bar: tqdm[Any] | None = None
        if self.mode == "bar" and total_docs:
            self._bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, file=self.stream,
                             desc="ocrclean", dynamic_ncols=True, leave=False)

    def event(self, record: dict[str, Any]) -> None:
        """A JSON line (``json`` mode; in ``summary`` mode only the ``summary`` event)."""
        if self.mode == "json" or (self.mode == "summary" and record.get("event") == "summary"):
            self.stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            self.stream.flush()

    def document(self, name: str, status: str, size: int, seconds: float = 0.0, error: str = "") -> None:
        """One document finished: ``status`` is ``ok``, ``skipped`` or ``failed``; ``size`` its input bytes."""
        self.event({"event": "document", "file": name, "status": status, "bytes": size,
                    "seconds": round(seconds, 3), **({"error": error} if error else {})})
        if status == "skipped":
            return
        self.docs += 1
        self.bytes += size
        if self._bar is not None:
            self._bar.update(size)
            self._bar.set_postfix_str(f"{self.docs}/{self.total_docs} docs", refresh=False)
        elif self.mode == "log":
            now = time.monotonic()
            if now - self._last >= LOG_EVERY_S or self.docs == self.total_docs:
                self._last = now
                self.stream.write(self.line() + "\n")
                self.stream.flush()

    def line(self) -> str:
        """``ocrclean: 12/80 documents, 0.4/3.1 MB, 52 KB/s, ETA 59 s``; once every document is done,
        ``..., done in 61 s`` instead of the ETA."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.bytes / elapsed
        if self.docs >= self.total_docs:
            when = f"done in {elapsed:.0f} s"
        else:
            when = f"ETA {(self.total_bytes - self.bytes) / rate if rate else 0.0:.0f} s"
        return (f"ocrclean: {self.docs}/{self.total_docs} documents, {self.bytes / 1e6:.1f}/"
                f"{self.total_bytes / 1e6:.1f} MB, {rate / 1e3:.0f} KB/s, {when}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
