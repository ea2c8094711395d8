"""The command line: formats, stdin/stdout, restore, and clear errors on bad input."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import invoke
from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"


def test_clean_stdin_to_stdout() -> None:
    code, out, _ = invoke("clean", "-", stdin=b"th e ba nks of th e Amur ,\nand the sea.\n")
    assert code == 0
    assert out == b"the banks of the Amur, and the sea.\n"


def test_clean_formats(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_bytes(b"I shaU goe.\n")
    code, out, _ = invoke("clean", str(src), "--format", "tei")
    assert code == 0
    root = etree.fromstring(out)
    assert root.tag == f"{TEI}TEI"
    code, out, _ = invoke("clean", str(src), "--format", "jsonl", "--no-normalize")
    record = json.loads(out)
    assert record["id"] == "doc" and record["body"].strip() == "I shall goe."
    target = tmp_path / "out.txt"
    code, _, _ = invoke("clean", str(src), "-o", str(target))
    assert code == 0 and target.read_text() == "I shall goe.\n"


def test_restore_round_trip(tmp_path: Path) -> None:
    original = "Line one\r\nth e ba nks\x00 of the Amur\r\n\r\n13\r\n".encode("cp1252")
    src = tmp_path / "odd.txt"
    src.write_bytes(original)
    tei = tmp_path / "odd.tei.xml"
    assert invoke("clean", str(src), "--format", "tei", "-o", str(tei))[0] == 0
    code, out, _ = invoke("restore", str(tei))
    assert code == 0 and out == original


def test_restore_of_a_bad_file_names_it(tmp_path: Path) -> None:
    bad = tmp_path / "notes.xml"
    bad.write_text("<x/>")
    code, out, err = invoke("restore", str(bad))
    assert code == 1 and out == b""
    assert f"{bad}: not a TEI file" in str(err) and "Traceback" not in str(err)


def test_empty_file(tmp_path: Path) -> None:
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    code, out, err = invoke("clean", str(src))
    assert code == 0 and out == b""
    assert "empty.txt: no text in the input" in str(err)


@pytest.mark.parametrize("args,message", [
    (("clean", "does-not-exist.txt"), "no such file"),
    (("restore", "does-not-exist.tei.xml"), "no such file"),
    (("run", "does-not-exist", "out"), "no such folder"),
])
def test_missing_paths(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    code, _, err = invoke(*args)
    assert code != 0
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_binary_input_is_one_line_error(tmp_path: Path) -> None:
    src = tmp_path / "scan.txt"
    src.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code, out, err = invoke("clean", str(src))
    assert code == 1 and out == b""
    assert err.strip().count("\n") == 0 and "scan.txt" in err and "binary" in err


def test_run_reports_bad_file_and_goes_on(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text("A good text about the Amur.\n")
    (raw / "b.txt").write_bytes(b"%PDF-1.7\n\x00\x00binary")
    (raw / "c.txt").write_bytes("Caf\u00e9 in latin-1.\n".encode("latin-1"))
    code, _, err = invoke("run", str(raw), str(out))
    assert code == 1
    assert "b.txt" in err and "binary" in err
    assert (out / "a.txt").exists() and (out / "c.txt").exists()
    assert not (out / "b.txt").exists() and not (out / "b.tei.xml").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    by_name = {f["file"]: f for f in manifest["files"]}
    assert by_name["b.txt"]["ok"] is False and by_name["c.txt"]["encoding"] == "cp1252"
    assert manifest["failed"] == 1
    assert list(out.glob(".*")) == [], "no temporary files are left behind"


def test_run_unwritable_output(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("text\n")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = invoke("run", str(raw), str(blocker / "sub"))
    assert code != 0 and "cannot write output" in err


def test_eval_plain_and_conventions_gold(tmp_path: Path) -> None:
    (tmp_path / "a.raw.txt").write_text("th e ba nks of th e Amur\n")
    (tmp_path / "a.gold.txt").write_text("the banks of the Amur\n\n=== NOTES ===\n\n=== CAPTIONS ===\n")
    (tmp_path / "b.raw.txt").write_text("I shaU goe.\n")
    (tmp_path / "b.gold.txt").write_text("I shall go.\n")
    code, out, _ = invoke("eval", str(tmp_path), "--json")
    assert code == 0
    data = json.loads(out)
    by_name = {d["name"]: d for d in data["documents"]}
    assert by_name["a"]["char_edits"] == 0 and by_name["a"]["raw"]["char_edits"] == 3
    assert by_name["b"]["char_edits"] == 1  # "goe" is kept: a plausible spelling
    code, out, _ = invoke("eval", str(tmp_path), "--errors")
    assert code == 0 and b"character" in out


def test_eval_reads_icdar_and_existing_outputs(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "1.txt").write_text("[OCR_toInput] the kingwas glad\n[OCR_aligned] the king@was glad\n"
                                "[ GS_aligned] the king was glad\n")
    code, out, _ = invoke("eval", str(gold), "--json")
    assert code == 0
    doc = json.loads(out)["documents"][0]
    assert doc["raw"]["char_edits"] == 1
    preds = tmp_path / "pred"
    preds.mkdir()
    (preds / "1.txt").write_text("the king was glad\n")
    code, out, _ = invoke("eval", str(gold), "--pred", str(preds), "--json")
    assert code == 0 and json.loads(out)["documents"][0]["char_edits"] == 0


def test_eval_missing_gold() -> None:
    code, _, err = invoke("eval", "no-such-gold-dir")
    assert code == 1 and "no such file or folder" in err


def test_run_refuses_to_write_over_its_inputs(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("th e ba nks\n")
    code, _, err = invoke("run", str(raw), str(raw))
    assert code != 0 and "input folder" in err
    assert (raw / "a.txt").read_text() == "th e ba nks\n"


def test_eval_cleans_with_a_trained_model(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.raw.txt").write_text("Tbe ship arrived at tbe wharf on Tuesday.\n")
    (gold / "a.gold.txt").write_text("The ship arrived at the wharf on Tuesday.\n")
    model = tmp_path / "model.json"
    assert invoke("train", str(gold), "-o", str(model))[0] == 0
    code, out, err = invoke("eval", str(gold), "--model", str(model), "--json")
    assert code == 0, err
    doc = json.loads(out)["documents"][0]
    assert doc["cer"] < doc["raw"]["cer"]  # cleaned with the given model
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    code, _, err = invoke("eval", str(gold), "--model", str(bad))
    assert code == 1 and str(bad) in err and "Traceback" not in err
    code, _, err = invoke("eval", str(gold), "--pred", str(tmp_path), "--model", str(model))
    assert code == 1 and "--model and --disable choose how to clean" in err


def test_tests_find_the_shared_folder_by_environment_variable(tmp_path: Path) -> None:
    """``OCRCLEAN_SHARED`` points the tests at the shared data wherever the clone is; unset, it is
    ``shared`` beside the clone."""
    import subprocess

    tests = Path(__file__).resolve().parent
    code = "import conftest; print(conftest.SHARED)"
    env = {k: v for k, v in os.environ.items() if k != "OCRCLEAN_SHARED"}
    beside = subprocess.run([sys.executable, "-c", code], cwd=tests, env=env, capture_output=True, text=True)
    assert beside.stdout.strip() == str(tests.parent.parent / "shared")
    moved = subprocess.run([sys.executable, "-c", code], cwd=tests, env={**env, "OCRCLEAN_SHARED": str(tmp_path)},
                           capture_output=True, text=True)
    assert moved.stdout.strip() == str(tmp_path)
