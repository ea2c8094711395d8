"""Review: the diffs, the HTML report, the decisions file, the review app, and the next run obeying decisions."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import invoke, item, need

from pipeline.batch import run_folder
from pipeline.cli import main
from pipeline.document import Document, Proposal
from pipeline.errors import OcrcleanError
from pipeline.review.app import make_server
from pipeline.review.apply import DocDecisions
from pipeline.review.decisions import Decision, DecisionStore, now, rule_decision
from pipeline.review.diff import EditFilter, filtered_text, unified_diff, word_diff
from pipeline.review.report import render_document, render_index, summarize
from pipeline.review.view import DocView, Segment, load_view, view_of

#: A short scan with misreadings the characters stage repairs, line breaks layout joins, a page number,
#: and markup that must be shown, never run.
SCAN = ("THE INTERVENTION <script>alert(1)</script>\n\n"
        "The army and the navy of Japan landed at Vladivostok in 1918, and the\n"
        "Bolshevik organizatiox in Chita mobilized its forces against tbe invaders.\n"
        "Hundreds of heroic patriots were shot by the\n"
        "invaders in the spring of that year.\n\n12\n\n"
        "The people of the Far East rose against them and drove them out of the\n"
        "country in 1922, after four years of war.\n")


def small_doc() -> Document:
    """A document with hand-made edits: a join, and two corrections of different confidence."""
    doc = Document("Tbe cat sat\non the rnat.\n", name="cats.txt")
    doc.apply("layout", [Proposal(11, 12, " ", "line-join", 1.0, kind="join")])
    doc.apply("characters", [Proposal(0, 3, "The", "letter-shape", 0.7),
                             Proposal(19, 23, "mat", "rn-for-m", 0.95)])
    doc.check()
    return doc


# ---------------------------------------------------------------------- diff
def test_word_diff_labels_each_change_with_stage_rule_and_confidence() -> None:
    out = word_diff(view_of(small_doc()))
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("cats.txt:1:1: ") and "[-Tbe-]{+The+}" in lines[0]
    assert lines[0].endswith("characters/letter-shape 0.70")
    assert "[-sat⏎on-]{+sat on+}" in lines[1] and lines[1].endswith("layout/line-join 1.00")
    assert "[-rnat.-]{+mat.+}" in lines[2] and lines[2].endswith("characters/rn-for-m 0.95")


def test_word_diff_filters() -> None:
    view = view_of(small_doc())
    assert "line-join" in word_diff(view, EditFilter(stages=frozenset({"layout"})))
    assert "characters/" not in word_diff(view, EditFilter(stages=frozenset({"layout"})))
    only_rn = word_diff(view, EditFilter(rules=frozenset({"rn-for-m"})))
    assert only_rn.count("\n") == 1 and "mat" in only_rn
    assert word_diff(view, EditFilter(rules=frozenset({"characters/rn-for-m"}))) == only_rn
    assert word_diff(view, EditFilter(rules=frozenset({"layout/rn-for-m"}))) == ""
    confident = word_diff(view, EditFilter(min_confidence=0.9))
    assert "[-Tbe-]" not in confident and "[-rnat.-]" in confident
    unsure = word_diff(view, EditFilter(max_confidence=0.8))
    assert unsure.count("\n") == 1 and "[-Tbe-]" in unsure


def test_word_diff_colours_only_when_asked() -> None:
    view = view_of(small_doc())
    assert "\x1b[" not in word_diff(view)
    coloured = word_diff(view, color=True)
    assert "\x1b[" in coloured and "[-" not in coloured


def test_filtered_text_makes_only_the_selected_changes() -> None:
    view = view_of(small_doc())
    assert filtered_text(view) == "The cat sat on the mat.\n"
    assert filtered_text(view, EditFilter(stages=frozenset({"characters"}))) == "The cat sat\non the mat.\n"
    assert filtered_text(view, EditFilter(rules=frozenset({"line-join"}))) == "Tbe cat sat on the rnat.\n"


@pytest.mark.parametrize("original", ["Tbe cat sat\non the rnat.\n", "Tbe cat sat\non the rnat."])
def test_unified_diff_is_read_by_patch(tmp_path: Path, original: str) -> None:
    need(shutil.which("patch") is not None, "patch is not installed")
    doc = Document(original, name="cats.txt")
    doc.apply("characters", [Proposal(0, 3, "The", "letter-shape", 0.7), Proposal(19, 23, "mat", "rn-for-m", 0.9)])
    view = view_of(doc)
    for flt in (None, EditFilter(rules=frozenset({"rn-for-m"}))):
        (tmp_path / "cats.txt").write_text(original, encoding="utf-8")
        patch = unified_diff(view, flt)
        assert patch.startswith("--- a/cats.txt\n+++ b/cats.txt\n@@ ")
        result = subprocess.run(["patch", "-p1", "--quiet"], input=patch, text=True, cwd=tmp_path,
                                capture_output=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        assert (tmp_path / "cats.txt").read_text(encoding="utf-8") == filtered_text(view, flt)


def test_unified_diff_of_no_change_is_empty() -> None:
    assert unified_diff(view_of(Document("nothing to do\n", name="x.txt"))) == ""


# ---------------------------------------------------------------------- view and report
def test_view_round_trips_through_json(tmp_path: Path) -> None:
    view = view_of(small_doc())
    path = tmp_path / "cats.json"
    path.write_text(view.to_json(), encoding="utf-8")
    again = load_view(path)
    assert again.clean_text() == view.clean_text() == "The cat sat on the mat.\n"
    assert again.edits == view.edits and again.segments == view.segments


def test_view_rejects_damaged_data(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": 1, "name": "x"}', encoding="utf-8")
    with pytest.raises(OcrcleanError, match="damaged review data"):
        load_view(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(OcrcleanError, match="cannot read review data"):
        load_view(path)


def test_view_marks_edits_a_later_edit_rewrote() -> None:
    doc = Document("th e cat\n")
    (join,) = doc.apply("spacing", [Proposal(0, 4, "the", "split-word", 0.9)])
    (cap,) = doc.apply("characters", [Proposal(0, 3, "The", "capital", 0.8)])
    states = {e["id"]: e for e in view_of(doc).edits}
    assert states[join.id]["state"] == "inner" and states[join.id]["covered_by"] == cap.id
    assert states[cap.id]["state"] == "final"


def test_report_escapes_markup_of_the_scan() -> None:
    doc = Document(SCAN, name="<b>bold</b>.txt")
    doc.apply("characters", [Proposal(SCAN.index("tbe"), SCAN.index("tbe") + 3, "<img src=x onerror=alert(2)>",
                                      "evil", 0.9)])
    view = view_of(doc)
    page = render_document(view)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<b>bold" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    index = render_index([summarize(view)])
    assert "<b>bold" not in index and "&lt;b&gt;bold&lt;/b&gt;" in index


def test_report_has_no_external_assets() -> None:
    page = render_document(view_of(small_doc()))
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "src=" not in page


# ---------------------------------------------------------------------- decisions file
def decision(doc: str, edit: str, kind: str = "reject", text: str | None = None) -> Decision:
    return Decision(doc=doc, edit=edit, decision=kind, by="tester", at=now(), stage="characters", rule="r",
                    source="tbe", after="the", text=text)


def test_decisions_round_trip(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path / "reviews" / "decisions.jsonl")
    assert store.load() == {}
    made = [decision("b", "e2"), decision("a", "e9", "accept"), decision("a", "e1", "correct", "thé")]
    assert store.update(made) == 3
    loaded = store.load()
    assert loaded == {d.key: d for d in made}
    lines = store.path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["edit"] for line in lines] == ["e1", "e9", "e2"], "sorted by document, then edit"
    assert '"text": "thé"' in lines[0], "readable UTF-8"
    assert store.update([decision("a", "e1", "reject")], clear=[("b", "e2")]) == 2
    assert store.load()[("a", "e1")].decision == "reject" and ("b", "e2") not in store.load()
    assert not list(store.path.parent.glob(".decisions.jsonl.*")), "no temporary file left behind"


def test_malformed_decisions_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"doc": "a", "edit": "e1", "decision": "reject"}\n{"doc": "a", "edit": "e2", '
                    '"decision": "maybe"}\n', encoding="utf-8")
    with pytest.raises(OcrcleanError, match=r"d\.jsonl:2: .*unknown decision"):
        DecisionStore(path).load()
    path.write_text('{"doc": "a", "edit": "e1", "decision": "correct"}\n', encoding="utf-8")
    with pytest.raises(OcrcleanError, match=":1: .*needs its 'text'"):
        DecisionStore(path).load()


def test_concurrent_saves_never_lose_or_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    errors: list[BaseException] = []

    def save(worker: int) -> None:
        try:
            store = DecisionStore(path)
            for i in range(15):
                store.update([decision(f"doc{worker}", f"e{i:03d}")])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(DecisionStore(path).load()) == 6 * 15


# ---------------------------------------------------------------------- document veto
def test_a_rejected_edit_is_recorded_not_applied_even_when_proposed_again() -> None:
    doc = Document("Tbe cat\n")
    (first,) = doc.apply("characters", [Proposal(0, 3, "The", "letter-shape", 0.9)])
    vetoed = Document("Tbe cat\n")
    vetoed.rejected = {first.id}
    assert vetoed.apply("characters", [Proposal(0, 3, "The", "letter-shape", 0.9)]) == []
    assert vetoed.apply("characters", [Proposal(0, 3, "The", "letter-shape", 0.9)]) == []
    vetoed.check()
    assert vetoed.text == "Tbe cat\n"
    assert [(e.id, e.applied, e.data.get("review")) for e in vetoed.edits] == [(first.id, False, "rejected")]


# ---------------------------------------------------------------------- the next run obeys
@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder: raw/ with the scan, out/ from a first run with the report."""
    root = tmp_path_factory.mktemp("project")
    (root / "raw").mkdir()
    (root / "raw" / "scan.txt").write_text(SCAN, encoding="utf-8")
    results = run_folder(root / "raw", root / "out", report=True)
    assert all(r.ok for r in results)
    return root


def edits_of(out: Path, stem: str = "scan") -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / f"{stem}.edits.jsonl").read_text(encoding="utf-8").splitlines()]


def applied_correction(out: Path, source: str) -> dict[str, object]:
    found = [e for e in edits_of(out) if e["source"] == source and e["applied"] and e["stage"] == "characters"]
    assert found, f"the first run no longer corrects {source!r}; choose another misreading for this test"
    return found[0]


def test_run_writes_the_report(corpus: Path) -> None:
    report = corpus / "out" / "report"
    assert {p.name for p in report.iterdir()} == {"index.htm", "scan.html", "scan.json"}
    page = (report / "scan.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "page 2" in page, "the page break after the page number is shown"
    assert "page number 12" in page, "the lifted-out page number is shown where it was printed"
    assert 'href="scan.html"' in (report / "index.htm").read_text(encoding="utf-8")


def rerun(corpus: Path, tmp_path: Path, decisions: list[Decision]) -> tuple[Path, dict[str, object]]:
    path = tmp_path / "reviews" / "decisions.jsonl"
    DecisionStore(path).update(decisions)
    out = tmp_path / "out"
    results = run_folder(corpus / "raw", out, report=True, decisions=path)
    assert all(r.ok for r in results)
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_rejected_change_is_gone_from_every_output(corpus: Path, tmp_path: Path) -> None:
    first = corpus / "out"
    edit = applied_correction(first, "tbe")
    assert "against the invaders" in (first / "scan.txt").read_text(encoding="utf-8")
    out, manifest = rerun(corpus, tmp_path, [decision("scan", str(edit["id"]))])
    txt = (out / "scan.txt").read_text(encoding="utf-8")
    assert "against tbe invaders" in txt and "against the invaders" not in txt
    record = json.loads((out / "scan.jsonl").read_text(encoding="utf-8"))
    assert "against tbe invaders" in record["body"]
    tei = (out / "scan.tei.xml").read_text(encoding="utf-8")
    assert f'xml:id="{edit["id"]}"' not in tei
    assert "against tbe invaders" in tei.replace("\n", " ")
    logged = {e["id"]: e for e in edits_of(out)}[edit["id"]]
    assert logged["applied"] is False and logged["data"]["review"] == "rejected"
    assert manifest["review"]["applied"] == 1 and manifest["review"]["not_applied"] == []
    assert "rejected by review" in (out / "report" / "scan.html").read_text(encoding="utf-8")


def test_typed_correction_is_an_edit_of_stage_review(corpus: Path, tmp_path: Path) -> None:
    edit = applied_correction(corpus / "out", "organizatiox")
    out, manifest = rerun(corpus, tmp_path, [decision("scan", str(edit["id"]), "correct", "organisation")])
    txt = (out / "scan.txt").read_text(encoding="utf-8")
    assert "Bolshevik organisation in Chita" in txt and "organization" not in txt
    review = [e for e in edits_of(out) if e["stage"] == "review"]
    assert len(review) == 1
    assert review[0]["rule"] == "typed" and review[0]["source"] == "organizatiox"
    assert review[0]["after"] == "organisation" and review[0]["data"]["edit"] == edit["id"]
    tei = (out / "scan.tei.xml").read_text(encoding="utf-8")
    assert 'resp="#reviewer.tester"' in tei and "<name>tester</name>" in tei
    assert "organisation" in json.loads((out / "scan.jsonl").read_text(encoding="utf-8"))["body"]
    assert manifest["review"]["applied"] == 1


def test_accepted_change_is_marked_reviewed_in_the_tei(corpus: Path, tmp_path: Path, validate_tei: Any) -> None:
    edits = edits_of(corpus / "out")
    word = applied_correction(corpus / "out", "tbe")
    join = next(e for e in edits if e["kind"] == "join" and e["applied"])
    out, _ = rerun(corpus, tmp_path, [decision("scan", str(word["id"]), "accept"),
                                      decision("scan", str(join["id"]), "accept")])
    tei = (out / "scan.tei.xml").read_text(encoding="utf-8")
    assert f'<respons target="#{join["id"]}" locus="value" resp="#ocrclean #reviewer.tester"/>' in tei
    choice = tei[tei.index(f'xml:id="{word["id"]}"'):]
    assert '<corr resp="#ocrclean #reviewer.tester" cert="high"' in choice[:300]
    result = validate_tei([out / "scan.tei.xml"])
    assert result.returncode == 0, result.stdout
    from pipeline.tei import restore_bytes

    assert restore_bytes((out / "scan.tei.xml").read_bytes()) == SCAN.encode("utf-8")


def test_stale_decisions_are_reported(corpus: Path, tmp_path: Path) -> None:
    stale = [decision("scan", "e0000000000"), decision("no-such-document", "e1111111111", "accept")]
    path = tmp_path / "reviews" / "decisions.jsonl"
    DecisionStore(path).update(stale)
    result = CliRunner().invoke(main, ["run", str(corpus / "raw"), str(tmp_path / "out"), "--decisions", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 applied, 2 not applied" in result.stderr
    assert "scan: reject e0000000000" in result.stderr and "no such edit" in result.stderr
    assert "no-such-document: accept e1111111111" in result.stderr and "no document of this name" in result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {o["edit"]: o["status"] for o in manifest["review"]["not_applied"]} == {
        "e0000000000": "stale", "e1111111111": "stale"}
    index = (tmp_path / "out" / "report" / "index.htm").read_text(encoding="utf-8")
    assert "e0000000000" in index and "e1111111111" in index


def test_run_finds_the_decisions_beside_the_corpus(corpus: Path, tmp_path: Path) -> None:
    DecisionStore(tmp_path / "reviews" / "decisions.jsonl").update([decision("scan", "e0000000000")])
    result = CliRunner().invoke(main, ["run", str(corpus / "raw"), str(tmp_path / "out"), "--no-report"])
    assert result.exit_code == 0
    assert "1 not applied" in result.stderr
    assert not (tmp_path / "out" / "report").exists()


def test_bad_decisions_file_is_one_line(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "d.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    for args in (["--decisions", str(bad)], ["--decisions", str(tmp_path / "missing.jsonl")]):
        result = CliRunner().invoke(main, ["run", str(corpus / "raw"), str(tmp_path / "out"), *args])
        assert result.exit_code == 1
        assert result.stderr.startswith("ocrclean: error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output


def test_cli_diff_reads_a_finished_run(corpus: Path) -> None:
    out = corpus / "out"
    result = CliRunner().invoke(main, ["diff", str(out / "scan"), "--stage", "characters", "--no-color"])
    assert result.exit_code == 0
    assert "[-tbe-]{+the+}" in result.output and "layout/" not in result.output
    same = CliRunner().invoke(main, ["diff", str(out / "scan.txt"), "--stage", "characters", "--no-color"])
    assert same.output == result.output
    unified = CliRunner().invoke(main, ["diff", str(out / "scan"), "--format", "unified"])
    assert unified.output.startswith("--- a/scan.txt\n+++ b/scan.txt\n")
    missing = CliRunner().invoke(main, ["diff", str(out / "nothing")])
    assert missing.exit_code == 1 and "no such document" in missing.stderr and missing.stderr.count("\n") == 1


def test_cli_diff_finds_a_document_of_a_sub_folder_by_its_output_path(tmp_path: Path) -> None:
    """A document of RAW_DIR/letters/ is OUT_DIR/letters/STEM for ``diff``, as its outputs are, and
    also by its report key OUT_DIR/letters__STEM."""
    raw = tmp_path / "raw"
    (raw / "letters").mkdir(parents=True)
    (raw / "letters" / "a.txt").write_text("The quick brown fox jumped ovcr the lazy dog.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("run", str(raw), str(out), "-q")[0] == 0
    outputs = [invoke("diff", str(target), "--no-color")
               for target in (out / "letters" / "a", out / "letters" / "a.txt", out / "letters__a")]
    assert all(code == 0 and b"[-ovcr-]{+over+}" in words for code, words, _ in outputs)
    code, _, err = invoke("diff", str(out / "letters" / "b"))
    assert code == 1 and "no such document" in err


def test_each_output_folder_has_its_own_decisions(corpus: Path, tmp_path: Path) -> None:
    """Two output folders with the same parent keep their decisions apart (``reviews/NAME/``); the
    single shared file of earlier versions is still read where a folder has none of its own."""
    from pipeline.review.decisions import default_path

    strict, loose = tmp_path / "out" / "strict", tmp_path / "out" / "loose"
    assert default_path(strict) != default_path(loose)
    assert default_path(strict) == tmp_path / "out" / "reviews" / "strict" / "decisions.jsonl"
    DecisionStore(default_path(strict)).update([decision("scan", "e0000000000")])
    result = CliRunner().invoke(main, ["run", str(corpus / "raw"), str(loose), "--no-report"])
    assert result.exit_code == 0 and "not applied" not in result.stderr
    result = CliRunner().invoke(main, ["run", str(corpus / "raw"), str(strict), "--no-report"])
    assert result.exit_code == 0 and "1 not applied" in result.stderr
    legacy = tmp_path / "out" / "reviews" / "decisions.jsonl"
    DecisionStore(legacy).update([decision("scan", "e0000000000")])
    assert default_path(loose) == legacy and default_path(strict) != legacy


# ---------------------------------------------------------------------- the review app
@pytest.fixture()
def app(corpus: Path, tmp_path: Path) -> Iterator[tuple[object, Path]]:
    decisions = tmp_path / "reviews" / "decisions.jsonl"
    server = make_server(corpus / "out", decisions, "tester", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, decisions
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def request(server: object, method: str, path: str, body: object = None,
            headers: dict[str, str] | None = None) -> tuple[int, str]:
    host, port = server.server_address[:2]  # type: ignore[attr-defined]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    data = None if body is None else json.dumps(body).encode("utf-8")
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    conn.request(method, path, body=data, headers=all_headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8")
    conn.close()
    return response.status, text


def test_app_serves_pages(app: tuple[object, Path]) -> None:
    server, _ = app
    status, index = request(server, "GET", "/")
    assert status == 200 and 'href="/doc/scan"' in index
    status, page = request(server, "GET", "/doc/scan?order=confidence&layout=1")
    assert status == 200 and "organizatiox" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'name="review-token" content="{server.app.token}"' in page  # type: ignore[attr-defined]
    status, grouped = request(server, "GET", "/doc/scan?order=rule&layout=1")
    assert status == 200 and "Reject all in the corpus" in grouped and "layout/line-join" in grouped
    status, report = request(server, "GET", "/report/scan.html")
    assert status == 200 and "as scanned" in report
    assert request(server, "GET", "/doc/nothing")[0] == 404


def test_app_refuses_paths_outside_the_output_folder(app: tuple[object, Path]) -> None:
    server, _ = app
    for path in ("/report/../manifest.json", "/report/%2e%2e/manifest.json", "/report/..%2Fscan.txt",
                 "/report/%2Fetc%2Fpasswd", "/report//etc/passwd", "/doc/..%2Fmanifest", "/doc/../report/scan",
                 "/report/scan.json%00.html"):
        status, body = request(server, "GET", path)
        assert status == 404, path
        assert "root:" not in body and '"files"' not in body


def test_app_refuses_changes_without_the_token(app: tuple[object, Path], corpus: Path) -> None:
    server, decisions = app
    edit = applied_correction(corpus / "out", "tbe")
    body = {"doc": "scan", "edit": edit["id"], "decision": "reject"}
    assert request(server, "POST", "/api/decide", body)[0] == 403
    assert request(server, "POST", "/api/decide", body, {"X-Review-Token": "guess"})[0] == 403
    token = server.app.token  # type: ignore[attr-defined]
    assert request(server, "POST", "/api/decide", body, {"X-Review-Token": token, "Host": "evil.example:80"})[0] == 403
    assert not decisions.exists()


def test_app_saves_decisions_with_the_token(app: tuple[object, Path], corpus: Path) -> None:
    server, decisions = app
    token = {"X-Review-Token": server.app.token}  # type: ignore[attr-defined]
    edit = applied_correction(corpus / "out", "tbe")
    status, text = request(server, "POST", "/api/decide", {"doc": "scan", "edit": edit["id"], "decision": "reject"},
                           token)
    assert status == 200 and json.loads(text)["decision"] == "reject"
    saved = DecisionStore(decisions).load()[("scan", str(edit["id"]))]
    assert (saved.decision, saved.by, saved.source, saved.after) == ("reject", "tester", "tbe", "the")
    typed = {"doc": "scan", "edit": edit["id"], "decision": "correct", "text": "thy"}
    assert request(server, "POST", "/api/decide", typed, token)[0] == 200
    assert DecisionStore(decisions).load()[("scan", str(edit["id"]))].text == "thy"
    assert request(server, "POST", "/api/decide", {**typed, "edit": "e-none"}, token)[0] == 400
    assert request(server, "POST", "/api/decide", {**typed, "decision": "maybe"}, token)[0] == 400
    status, text = request(server, "POST", "/api/bulk", {"doc": "*", "rule": "layout/line-join", "decision": "accept"},
                           token)
    joins = [e for e in edits_of(corpus / "out") if e["rule"] == "line-join" and e["applied"]]
    assert status == 200 and json.loads(text)["count"] == len(joins) > 0
    stored = DecisionStore(decisions).load()
    assert list(stored) == [("*", "rule:layout/line-join"), ("scan", str(edit["id"]))], "one record for the rule"
    whole = stored[("*", "rule:layout/line-join")]
    assert (whole.scope, whole.decision, whole.stage, whole.rule, whole.by) == ("rule", "accept", "layout",
                                                                                "line-join", "tester")
    assert '"edit"' not in decisions.read_text(encoding="utf-8").splitlines()[0]
    assert request(server, "POST", "/api/decide", {"doc": "scan", "edit": edit["id"], "decision": "clear"},
                   token)[0] == 200
    assert ("scan", str(edit["id"])) not in DecisionStore(decisions).load()
    status, text = request(server, "GET", "/api/decisions?doc=scan")
    assert status == 200 and len(json.loads(text)) == len(joins)


def test_review_without_review_data_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["review", str(tmp_path)])
    assert result.exit_code == 1 and "no review data" in result.stderr and result.stderr.count("\n") == 1


# ---------------------------------------------------------------------- decisions about a whole rule
def test_rule_decisions_round_trip_and_are_checked(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path / "d.jsonl")
    whole = rule_decision("*", "punctuation", "space-before-punctuation", "reject", "tester")
    one = decision("a", "e1")  # made once: a second call on a slow machine may stamp the next second
    store.update([whole, one])
    assert store.load() == {("*", "rule:punctuation/space-before-punctuation"): whole, ("a", "e1"): one}
    line = json.loads(store.path.read_text(encoding="utf-8").splitlines()[0])
    assert line == {"scope": "rule", "doc": "*", "stage": "punctuation", "rule": "space-before-punctuation",
                    "decision": "reject", "by": "tester", "at": whole.at}
    for bad, message in ((dict(line, scope="page"), "unknown scope"), (dict(line, decision="correct"), "not 'correct'"),
                         ({k: v for k, v in line.items() if k != "rule"}, "missing 'rule'")):
        store.path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(OcrcleanError, match=message):
            store.load()


#: A second document for the next run: the corrector repairs a misreading here no run has seen.
NEW_SCAN = "The delegates of tbe workers met in the evening and voted for the strike.\n"


def test_rule_decision_covers_edits_a_later_run_makes_first(corpus: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(corpus / "raw", raw)
    (raw / "new.txt").write_text(NEW_SCAN, encoding="utf-8")
    kept = applied_correction(corpus / "out", "organizatiox")
    decisions = [rule_decision("*", "characters", "noisy-channel", "reject", "tester"),
                 decision("scan", str(kept["id"]), "accept"),
                 rule_decision("*", "characters", "no-such-rule", "reject", "tester"),
                 rule_decision("scan", "layout", "no-such-rule", "accept", "tester")]
    path = tmp_path / "reviews" / "decisions.jsonl"
    DecisionStore(path).update(decisions)
    result = CliRunner().invoke(main, ["run", str(raw), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    new = (out / "new.txt").read_text(encoding="utf-8")
    assert "delegates of tbe workers" in new, "the new document's edit of the rejected rule is vetoed"
    scan = (out / "scan.txt").read_text(encoding="utf-8")
    assert "against tbe invaders" in scan, "the rule's edit in the reviewed document is vetoed"
    assert "Bolshevik organization in" in scan, "a decision about one edit wins over its rule's"
    vetoed = [e for e in edits_of(out, "new") if e["rule"] == "noisy-channel"]
    assert vetoed and all(not e["applied"] and e["data"]["review"] == "rejected" for e in vetoed)
    review = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["review"]
    assert review["applied"] == 3, "the accept, and the corpus rule in each of the two documents"
    assert {(o["doc"], o["scope"], o["rule"], o["status"]) for o in review["not_applied"]} == {
        ("*", "corpus", "no-such-rule", "stale"), ("scan", "document", "no-such-rule", "stale")}
    assert "2 not applied" in result.stderr
    assert "*: reject every characters/no-such-rule edit in the corpus: no document" in result.stderr
    assert "scan: accept every layout/no-such-rule edit: this run makes no edit of this rule" in result.stderr
    page = (out / "report" / "new.html").read_text(encoding="utf-8")
    assert "every edit of the rule (corpus): 1" in page


def test_a_document_rule_decision_wins_over_the_corpus_one(corpus: Path, tmp_path: Path) -> None:
    word = applied_correction(corpus / "out", "tbe")
    out, manifest = rerun(corpus, tmp_path, [rule_decision("*", "characters", "noisy-channel", "reject", "tester"),
                                             rule_decision("scan", "characters", "noisy-channel", "accept", "tester")])
    assert "against the invaders" in (out / "scan.txt").read_text(encoding="utf-8")
    logged = {e["id"]: e for e in edits_of(out)}[word["id"]]
    assert logged["applied"] and logged["data"]["review"] == "accepted"
    assert manifest["review"]["applied"] == 1
    assert [(o["scope"], o["status"]) for o in manifest["review"]["not_applied"]] == [("corpus", "stale")]


# ---------------------------------------------------------------------- notes put back in the body
#: A page with a footnote of two lines (and its mark in the body), then a page number.
NOTED = ("LETTERS FROM THE FRONT\n\n"
         "The letters told of hunger and cold in the trenches.1 Nobody\n"
         "in the hall spoke for a long time after the last letter was read.\n\n"
         "1 The letters are kept in the town archive, where they were\n"
         "catalogued in 1931 by the county clerk.\n\n4\n\n"
         "The next morning the committee sent a telegram to the minister,\n"
         "asking for coats and boots before the winter came.\n")


@pytest.fixture(scope="module")
def noted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("noted")
    (root / "raw").mkdir()
    (root / "raw" / "letters.txt").write_text(NOTED, encoding="utf-8")
    assert all(r.ok for r in run_folder(root / "raw", root / "out", report=True))
    return root


def note_lines(out: Path) -> list[dict[str, object]]:
    found = [e for e in edits_of(out, "letters") if e["kind"] == "note" and e["applied"]]
    assert len(found) == 2, "the first run no longer lifts out the two-line footnote; adapt NOTED"
    return found


def test_a_rejected_note_is_in_the_outputs_once(noted: Path, tmp_path: Path) -> None:
    first = json.loads((noted / "out" / "letters.jsonl").read_text(encoding="utf-8"))
    assert first["notes"] == ["The letters are kept in the town archive, where they were catalogued in 1931 by "
                              "the county clerk."]
    out, manifest = rerun(noted, tmp_path, [decision("letters", str(e["id"])) for e in note_lines(noted / "out")])
    record = json.loads((out / "letters.jsonl").read_text(encoding="utf-8"))
    assert record["notes"] == [] and record["body"].count("kept in the town archive") == 1
    assert (out / "letters.txt").read_text(encoding="utf-8").count("catalogued in 1931") == 1
    tei = (out / "letters.tei.xml").read_text(encoding="utf-8")
    body = tei[tei.index("<text"):tei.index("</text>")]
    assert "<note" not in body and body.count("catalogued in 1931") == 1
    assert manifest["review"]["applied"] == 2 and manifest["review"]["not_applied"] == []


def test_a_note_rejected_in_part_is_dropped_and_reported(noted: Path, tmp_path: Path) -> None:
    first, second = note_lines(noted / "out")
    out, manifest = rerun(noted, tmp_path, [decision("letters", str(first["id"]))])
    record = json.loads((out / "letters.jsonl").read_text(encoding="utf-8"))
    assert record["notes"] == [] and record["body"].count("kept in the town archive") == 1
    (missed,) = manifest["review"]["not_applied"]
    assert missed["edit"] == first["id"] and missed["status"] == "failed"
    assert second["id"] in missed["reason"] and "reject them too" in missed["reason"]


def test_a_caption_whose_removal_is_only_suggested_is_dropped() -> None:
    doc = Document("Fig. 1. The town hall.\nThe committee met.\n", name="c.txt")
    doc.apply("layout", [Proposal(0, 22, "", "caption", 0.5, kind="caption", item="fig1")])
    doc.edits[0].applied = False  # as a removal below the confidence threshold is recorded
    doc.captions = [item("caption", "fig1", "Fig. 1. The town hall.")]
    kept = Document("Fig. 2. A map.\nText.\n", name="k.txt")
    kept.apply("layout", [Proposal(0, 14, "", "caption", 0.9, kind="caption", item="fig2")])
    kept.captions = [item("caption", "fig2", "Fig. 2. A map.")]
    DocDecisions("c", (decision("c", "e0000000000", "accept"),)).apply(doc)
    DocDecisions("k", (decision("k", "e0000000000", "accept"),)).apply(kept)
    assert doc.captions == [] and [c.id for c in kept.captions] == ["fig2"]


def test_app_rejects_every_line_of_a_note_at_once(noted: Path, tmp_path: Path) -> None:
    first, second = note_lines(noted / "out")
    server = make_server(noted / "out", tmp_path / "d.jsonl", "tester", port=0)
    saved = server.app.decide({"doc": "letters", "edit": first["id"], "decision": "reject"})
    assert saved["also"] == [second["id"]]
    stored = DecisionStore(tmp_path / "d.jsonl").load()
    assert {k[1] for k, d in stored.items() if d.decision == "reject"} == {first["id"], second["id"]}
    server.app.decide({"doc": "letters", "edit": second["id"], "decision": "clear"})
    assert DecisionStore(tmp_path / "d.jsonl").load() == {}
    server.server_close()


def test_app_bulk_decision_replaces_the_rules_single_decisions(app: tuple[object, Path], corpus: Path) -> None:
    server, decisions = app
    token = {"X-Review-Token": server.app.token}  # type: ignore[attr-defined]
    word = applied_correction(corpus / "out", "tbe")
    assert request(server, "POST", "/api/decide", {"doc": "scan", "edit": word["id"], "decision": "accept"},
                   token)[0] == 200
    status, text = request(server, "POST", "/api/bulk", {"doc": "scan", "rule": "characters/noisy-channel",
                                                         "decision": "reject"}, token)
    corrections = [e for e in edits_of(corpus / "out") if e["rule"] == "noisy-channel"]
    assert status == 200 and json.loads(text)["count"] == len(corrections) >= 2
    assert list(DecisionStore(decisions).load()) == [("scan", "rule:characters/noisy-channel")]
    status, text = request(server, "GET", "/api/decisions?doc=scan")
    in_force = json.loads(text)
    assert {k for k, d in in_force.items() if d.get("scope") == "rule"} == {str(e["id"]) for e in corrections}
    status, text = request(server, "POST", "/api/bulk", {"doc": "*", "rule": "characters/noisy-channel",
                                                         "decision": "accept"}, token)
    assert status == 200 and list(DecisionStore(decisions).load()) == [("*", "rule:characters/noisy-channel")]
    assert request(server, "POST", "/api/bulk", {"doc": "*", "rule": "characters/noisy-channel",
                                                 "decision": "clear"}, token)[0] == 200
    assert DecisionStore(decisions).load() == {}
    for bad in ({"doc": "scan", "rule": "noisy-channel", "decision": "reject"},
                {"doc": "scan", "rule": "characters/none", "decision": "reject"},
                {"doc": "nothing", "rule": "characters/noisy-channel", "decision": "reject"},
                {"doc": "scan", "rule": "characters/noisy-channel", "decision": "correct"}):
        assert request(server, "POST", "/api/bulk", bad, token)[0] == 400, bad


def test_unified_diff_keeps_the_inputs_last_line_break_and_diff_reads_any_output_of_a_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("The quick brown fox jumped ovcr the lazy dog.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("run", str(raw), str(out), "-q")[0] == 0
    code, patch, _ = invoke("diff", str(out / "a"), "--format", "unified")
    assert code == 0 and b"over the lazy dog." in patch and b"No newline" not in patch
    for name in ("a.txt", "a.tei.xml", "a.edits.jsonl"):
        code, words, _ = invoke("diff", str(out / name))
        assert code == 0 and b"[-ovcr-]{+over+}" in words and b"TEI" not in words


def test_diff_positions_come_from_one_line_index_per_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """Line and column of each change, as counting the line breaks before it gives, from one index of the
    original's line starts built per diff (counting for each change grew with the square of the text)."""
    import random

    from pipeline.review import diff

    rng = random.Random(9)
    text = "".join(rng.choice("ab \n\r") for _ in range(2000))
    index = diff.LineIndex(text)
    for offset in [0, 1, len(text), *rng.sample(range(len(text)), 300)]:
        line = text.count("\n", 0, offset) + 1
        assert index.position(offset) == (line, offset - (text.rfind("\n", 0, offset) + 1) + 1)

    built: list[str] = []

    class Counted(diff.LineIndex):
        def __init__(self, text: str) -> None:
            built.append(text)
            super().__init__(text)

    monkeypatch.setattr(diff, "LineIndex", Counted)
    original = "The qnick fox\nran ovcr the\ndog."
    segments = [Segment(0, 4, "The "), Segment(4, 9, "quick", "e1"), Segment(9, 18, original[9:18]),
                Segment(18, 22, "over", "e2"), Segment(22, len(original), original[22:])]
    edits = [{"id": e, "stage": "characters", "rule": "corrector", "kind": "correction", "confidence": 0.9,
              "state": "final", "start": s.start, "end": s.end, "source": original[s.start:s.end], "after": s.text}
             for e, s in (("e1", segments[1]), ("e2", segments[3]))]
    lines = word_diff(DocView("d.txt", original, segments, edits)).splitlines()
    assert [line.split(": ")[0] for line in lines] == ["d.txt:1:5", "d.txt:2:5"]
    assert built == [original]
