"""``ocrclean review OUT_DIR``: a local web app over a finished run that records a reviewer's decisions.

Why the standard library's server: the app serves one person on one machine - a few pages and
small JSON posts - so :mod:`http.server` is enough and adds nothing to install or keep up.

Safety: the server binds to ``127.0.0.1`` by default; a request must name this server in its
``Host`` header (so a web page cannot reach it through DNS rebinding); a request that changes
decisions must be JSON and carry the session's token (``X-Review-Token``), printed nowhere but
in the pages this server renders; documents are looked up by name among the run's review data,
and static files are served only from inside ``OUT_DIR/report/``; all text is escaped by the
templates (:func:`pipeline.review.report.environment`).

Routes: ``GET /`` (documents), ``GET /doc/<stem>?order=position|confidence|rule&layout=1``,
``GET /report/<file>`` (the static report), ``GET /api/decisions?doc=<stem>``,
``POST /api/decide`` (``{"doc", "edit", "decision": "accept"|"reject"|"correct"|"clear", "text"}``),
``POST /api/bulk`` (``{"doc": <stem> or "*", "rule": "stage/rule", "decision": "accept"|"reject"|"clear"}``).

A bulk decision is saved as one decision about the rule (``"scope": "rule"``), so it also covers
edits of that rule a later run makes for the first time; it replaces the decisions about single
edits of that rule in its scope. Rejecting (accepting, undoing) the lifting-out of a note or
caption does the same for the other lines of that item.
"""

from __future__ import annotations

import hmac
import json
import mimetypes
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.errors import OcrcleanError
from pipeline.export.jsonl import json_line
from pipeline.review.apply import ITEM_KINDS
from pipeline.review.decisions import ALL_DOCUMENTS, Decision, DecisionStore, now, rule_decision
from pipeline.review.diff import context_after, context_before
from pipeline.review.report import environment, rule_key
from pipeline.review.view import LAYOUT_KINDS, DocView, load_view

#: Largest request body accepted (bytes).
MAX_BODY = 1 << 20
#: States of an edit whose text the run made (see :class:`~pipeline.review.view.DocView`).
APPLIED_STATES = ("final", "inner")
#: Orders the document page offers.
ORDERS = ("position", "confidence", "rule")


@dataclass
class ReviewApp:
    """The app's state: the run's report folder, the decisions file, who is reviewing, the session token."""

    out_dir: Path
    decisions: Path
    reviewer: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    _views: dict[str, tuple[float, DocView]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.report_dir = (self.out_dir / "report").resolve()
        self.store = DecisionStore(self.decisions)
        if not self.stems():
            raise OcrcleanError(f"{self.out_dir}: no review data (report/<stem>.json); run `ocrclean run` with "
                                "--report (the default) into this folder first")

    # ------------------------------------------------------------------ data
    def stems(self) -> list[str]:
        """The documents of the run (those with review data), sorted."""
        if not self.report_dir.is_dir():
            return []
        return sorted(p.stem for p in self.report_dir.glob("*.json") if p.is_file())

    def view(self, stem: str) -> DocView | None:
        """The review data of a document named exactly ``stem`` (None for any other name)."""
        if stem not in self.stems():
            return None
        path = self.report_dir / f"{stem}.json"
        mtime = path.stat().st_mtime
        with self._lock:
            cached = self._views.get(stem)
            if cached is None or cached[0] != mtime:
                cached = (mtime, load_view(path))
                self._views[stem] = cached
        return cached[1]

    def decisions_for(self, stem: str, stored: dict[tuple[str, str], Decision] | None = None
                      ) -> dict[str, dict[str, Any]]:
        """The decision in force for each decided edit of a document, by edit id: the edit's own, else
        its rule's in this document, else its rule's in the corpus (a rule's ``accept`` covers applied
        edits only). Records of rule decisions keep their ``scope`` and ``doc`` (``*``: the corpus)."""
        view = self.view(stem)
        if view is None:
            return {}
        stored = self.store.load() if stored is None else stored
        rules: dict[str, Decision] = {}
        for d in stored.values():
            if d.is_rule and d.doc in (ALL_DOCUMENTS, stem) and (d.rule_key not in rules or d.doc == stem):
                rules[d.rule_key] = d
        out: dict[str, dict[str, Any]] = {}
        for e in view.edits:
            edit_id = str(e["id"])
            own = stored.get((stem, edit_id))
            if own is not None:
                out[edit_id] = own.to_dict()
                continue
            rule = rules.get(rule_key(e))
            if rule is not None and (rule.decision == "reject" or e.get("state") in APPLIED_STATES):
                out[edit_id] = rule.to_dict()
        return out

    def static_file(self, relative: str) -> Path | None:
        """A file inside the report folder, or None for anything outside it (``..``, absolute paths, links)."""
        if "\x00" in relative:
            return None
        candidate = (self.report_dir / relative.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.report_dir) or not candidate.is_file():
            return None
        return candidate

    # ------------------------------------------------------------------ pages
    def index_page(self) -> str:
        stored = self.store.load()
        docs = []
        for stem in self.stems():
            view = self.view(stem)
            if view is None:
                continue
            applied = sum(1 for e in view.edits if e.get("state") in ("final", "inner"))
            docs.append({"stem": stem, "name": view.name, "applied": applied,
                         "words": sum(1 for e in view.edits if e.get("kind") not in LAYOUT_KINDS),
                         "decided": len(self.decisions_for(stem, stored))})
        return environment().get_template("app_index.html.j2").render(
            docs=docs, token=self.token, decisions=str(self.decisions), reviewer=self.reviewer)

    def document_page(self, stem: str, order: str, layout: bool) -> str | None:
        view = self.view(stem)
        if view is None:
            return None
        decisions = self.decisions_for(stem)
        rows: list[dict[str, Any]] = []
        for e in view.edits:
            if not layout and e.get("kind") in LAYOUT_KINDS:
                continue
            start, end = int(e["start"]), int(e["end"])
            rows.append({"edit": e, "rule": rule_key(e), "before": context_before(view.original, start),
                         "after": context_after(view.original, end), "decision": decisions.get(str(e["id"]))})
        if order == "confidence":
            rows.sort(key=lambda r: (float(r["edit"].get("confidence", 1.0)), int(r["edit"]["start"])))
        elif order == "rule":
            rows.sort(key=lambda r: (r["rule"], int(r["edit"]["start"])))
        groups: list[tuple[str, list[dict[str, Any]]]] = []
        for row in rows:
            key = row["rule"] if order == "rule" else ""
            if not groups or groups[-1][0] != key:
                groups.append((key, []))
            groups[-1][1].append(row)
        return environment().get_template("app_doc.html.j2").render(
            view=view, groups=groups, order=order, orders=ORDERS, layout=layout, token=self.token,
            reviewer=self.reviewer, decided=len(decisions), total=len(rows))

    # ------------------------------------------------------------------ decisions
    def decide(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Record one decision; ``ValueError`` for a request that names no such edit or decision."""
        stem, edit_id, kind = str(payload.get("doc", "")), str(payload.get("edit", "")), payload.get("decision")
        view = self.view(stem)
        edit = view.edit_map().get(edit_id) if view is not None else None
        if edit is None:
            raise ValueError("no such document or edit")
        also = _siblings(view, edit) if kind in ("accept", "reject", "clear") else []  # type: ignore[arg-type]
        if kind == "clear":
            self.store.update(clear=[(stem, edit_id)] + [(stem, str(e["id"])) for e in also])
            return {"doc": stem, "edit": edit_id, "decision": None, "also": [str(e["id"]) for e in also]}
        text = payload.get("text")
        if kind == "correct":
            if not isinstance(text, str) or "\n" in text or len(text) > 1000:
                raise ValueError("a correction needs a 'text' of one line")
        elif kind not in ("accept", "reject"):
            raise ValueError("decision must be accept, reject, correct or clear")
        decision = self._decision(stem, edit, str(kind), text if kind == "correct" else None)
        self.store.update([decision] + [self._decision(stem, e, str(kind), None) for e in also])
        return dict(decision.to_dict(), also=[str(e["id"]) for e in also])

    def bulk(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One decision about a rule, in one document or (``doc: "*"``) the whole run (``clear``: none).

        Saved as a rule decision (see the module docstring); decisions about single edits of the rule
        in that scope (and, for the corpus, the documents' own rule decisions) are forgotten.
        Returns the decision, the rule, and the edits it now covers (``count``, ``edits``: ``doc/id``).
        ``ValueError`` for an unknown decision, document or rule."""
        stem, rule, kind = str(payload.get("doc", "")), str(payload.get("rule", "")), payload.get("decision")
        if kind not in ("accept", "reject", "clear"):
            raise ValueError("a bulk decision is accept, reject or clear")
        stage, sep, name = rule.partition("/")
        if not (stage and sep and name):
            raise ValueError("name the rule as stage/rule")
        corpus = stem == ALL_DOCUMENTS
        if not corpus and self.view(stem) is None:
            raise ValueError("no such document")
        covered: list[tuple[str, str]] = []
        for doc in self.stems() if corpus else [stem]:
            view = self.view(doc)
            for e in view.edits if view is not None else []:
                if rule_key(e) == rule and (kind != "accept" or e.get("state") in APPLIED_STATES):
                    covered.append((doc, str(e["id"])))
        if not covered:
            raise ValueError("no edit of that rule" + ("" if corpus else " in this document"))
        replaced = [key for key, d in self.store.load().items() if d.rule_key == rule and (corpus or d.doc == stem)]
        made = [] if kind == "clear" else [rule_decision(stem, stage, name, str(kind), self.reviewer)]
        self.store.update(made, clear=replaced + covered)
        return {"decision": kind, "rule": rule, "doc": stem, "count": len(covered),
                "edits": [f"{d}/{e}" for d, e in covered]}

    def _decision(self, stem: str, edit: dict[str, Any], kind: str, text: str | None,
                  bulk: str | None = None) -> Decision:
        return Decision(doc=stem, edit=str(edit["id"]), decision=kind, by=self.reviewer, at=now(),
                        stage=str(edit.get("stage", "")), rule=str(edit.get("rule", "")),
                        source=str(edit.get("source", "")), after=str(edit.get("after", "")), text=text, bulk=bulk)


def _siblings(view: DocView, edit: dict[str, Any]) -> list[dict[str, Any]]:
    """The other edits lifting out the same note or caption as ``edit`` (none for other edits)."""
    kind = edit.get("kind")
    item = (edit.get("data") or {}).get(kind) if kind in ITEM_KINDS else None
    if item is None:
        return []
    return [e for e in view.edits if e is not edit and e.get("kind") == kind
            and (e.get("data") or {}).get(kind) == item]


class Handler(BaseHTTPRequestHandler):
    """Routes requests to the :class:`ReviewApp` on the server (see the module docstring)."""

    server: ReviewServer
    server_version = "ocrclean-review"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    # ------------------------------------------------------------------ replies
    def reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                         "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def html(self, text: str) -> None:
        self.reply(HTTPStatus.OK, text.encode("utf-8"), "text/html; charset=utf-8")

    def json(self, status: int, data: Any) -> None:
        self.reply(status, json_line(data).encode("utf-8"), "application/json; charset=utf-8")

    def error(self, status: int, message: str) -> None:
        self.json(status, {"error": message})

    def host_ok(self) -> bool:
        """Whether the Host header names this server (refuses requests a DNS-rebinding page relays)."""
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        return host in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"{self.server.host}:{port}"}

    # ------------------------------------------------------------------ methods
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self.host_ok():
            self.error(HTTPStatus.FORBIDDEN, "unknown host")
            return
        app = self.server.app
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        try:
            if path == "/":
                self.html(app.index_page())
            elif path.startswith("/doc/"):
                order = query.get("order", ["position"])[0]
                page = app.document_page(path[len("/doc/"):], order if order in ORDERS else "position",
                                         query.get("layout", ["0"])[0] == "1")
                if page is None:
                    self.error(HTTPStatus.NOT_FOUND, "no such document")
                else:
                    self.html(page)
            elif path.startswith("/report/"):
                file = app.static_file(path[len("/report/"):])
                if file is None:
                    self.error(HTTPStatus.NOT_FOUND, "no such file in the report")
                else:
                    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                    charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
                    self.reply(HTTPStatus.OK, file.read_bytes(), kind + charset)
            elif path == "/api/decisions":
                stem = query.get("doc", [""])[0]
                if app.view(stem) is None:
                    self.error(HTTPStatus.NOT_FOUND, "no such document")
                else:
                    self.json(HTTPStatus.OK, app.decisions_for(stem))
            else:
                self.error(HTTPStatus.NOT_FOUND, "not found")
        except OcrcleanError as exc:
            self.error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        if not self.host_ok():
            self.error(HTTPStatus.FORBIDDEN, "unknown host")
            return
        token = self.headers.get("X-Review-Token", "")
        if not hmac.compare_digest(token.encode("utf-8"), self.server.app.token.encode("utf-8")):
            self.error(HTTPStatus.FORBIDDEN, "missing or wrong session token")
            return
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large or length missing")
            return
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(payload, dict):
                raise ValueError("send a JSON object")
            route = urlsplit(self.path).path
            if route == "/api/decide":
                self.json(HTTPStatus.OK, self.server.app.decide(payload))
            elif route == "/api/bulk":
                self.json(HTTPStatus.OK, self.server.app.bulk(payload))
            else:
                self.error(HTTPStatus.NOT_FOUND, "not found")
        except (ValueError, UnicodeDecodeError) as exc:
            self.error(HTTPStatus.BAD_REQUEST, str(exc))
        except OcrcleanError as exc:
            self.error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))


class ReviewServer(ThreadingHTTPServer):
    """The HTTP server of one review session."""

    daemon_threads = True

    def __init__(self, app: ReviewApp, host: str = "127.0.0.1", port: int = 0, verbose: bool = False) -> None:
        self.app = app
        self.host = host
        self.verbose = verbose
        try:
            super().__init__((host, port), Handler)
        except OSError as exc:
            raise OcrcleanError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/"


def make_server(out_dir: Path, decisions: Path, reviewer: str, *, host: str = "127.0.0.1", port: int = 0,
                verbose: bool = False) -> ReviewServer:
    """A review server over ``out_dir`` saving into ``decisions`` (port 0: a free port; see ``server.url``)."""
    if not out_dir.is_dir():
        raise OcrcleanError(f"{out_dir}: no such folder")
    return ReviewServer(ReviewApp(out_dir, decisions, reviewer), host, port, verbose)
