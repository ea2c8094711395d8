"""The stage contract: one confidence policy for every stage, stage names checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.api import clean_bytes
from pipeline.config import Config, load_config
from pipeline.errors import OcrcleanError
from pipeline.stages import OPTIONAL_STAGES, STAGES, check_disabled

ROOT = Path(__file__).resolve().parents[1]
PAMPHLET = ROOT / "raw" / "japanese-intervention-pamphlet.txt"


def test_min_confidence_governs_structural_removals() -> None:
    """Captions (removed at 0.8) and notes (0.9-0.95) stay in the body, and only there, when the
    threshold is above their confidence; their removals are recorded as suggestions."""
    data = PAMPHLET.read_bytes()
    default = clean_bytes(data, "p.txt", Config())
    assert default.captions and default.notes
    strict = clean_bytes(data, "p.txt", Config(min_confidence=0.99))
    assert strict.captions == [] and strict.notes == []
    removals = [e for e in default.edits if e.applied and e.kind in ("caption", "note")]
    strict_edits = {e.id: e for e in strict.edits}
    body = " ".join(strict.text.split())
    for edit in removals:
        assert not strict_edits[edit.id].applied  # the same removal, recorded as a suggestion
        assert " ".join(edit.source.split()[:3]) in body, edit.source
        assert " ".join(edit.source.split()[:3]) not in " ".join(default.text.split())


def test_every_applied_edit_meets_the_threshold() -> None:
    data = PAMPHLET.read_bytes()
    for threshold in (0.5, 0.9, 0.99):
        doc = clean_bytes(data, "p.txt", Config(min_confidence=threshold))
        low = [(e.stage, e.rule, e.confidence) for e in doc.edits if e.applied and e.confidence < threshold]
        assert low == [], low[:5]


def test_decode_guesses_are_governed_too() -> None:
    data = "The caf\u00e9 is shut.\n".encode().replace("\u00e9".encode(), b"\xe9") + " né et mort à Paris\n".encode()
    doc = clean_bytes(data, "x.txt", Config(min_confidence=0.9))
    assert "caf\ufffd is shut" in doc.text  # the certain part (a byte that did not decode) is applied
    guess = [e for e in doc.edits if e.rule == "cp1252-byte"]
    assert len(guess) == 1 and not guess[0].applied and guess[0].after == "é"
    assert "café" in clean_bytes(data, "x.txt", Config()).text


def test_stage_names_are_checked() -> None:
    assert list(STAGES)[0] == "decode" and "decode" not in OPTIONAL_STAGES
    assert check_disabled(["names", "spacing"]) == {"names", "spacing"}
    with pytest.raises(OcrcleanError, match="did you mean 'spacing'"):
        check_disabled(["spaceing"])
    with pytest.raises(OcrcleanError, match="unknown stage 'decode'"):
        check_disabled(["decode"])
    with pytest.raises(OcrcleanError, match="unknown stage"):
        clean_bytes(b"text\n", "x.txt", Config(disabled=frozenset({"nmes"})))


def test_config_file_stage_names_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[ocrclean]\ndisabled = ["punctuaton"]\n')
    with pytest.raises(OcrcleanError, match="did you mean 'punctuation'"):
        load_config(path)
    path.write_text('[ocrclean]\ndisabled = ["names"]\n')
    assert load_config(path).disabled == {"names"}


def test_a_disabled_stage_makes_no_edits() -> None:
    doc = clean_bytes(PAMPHLET.read_bytes(), "p.txt", Config(disabled=frozenset({"names", "punctuation"})))
    assert not [e for e in doc.edits if e.stage in ("names", "punctuation")]
    assert [e for e in doc.edits if e.stage == "spacing"]


def test_furniture_kept_below_the_threshold_is_not_glued_to_the_text() -> None:
    """A running head whose removal is only suggested stays as printed text, in a block of its own:
    the joins around it are decided as if it were body text, never glued (``3LOCAL``)."""
    text = ("The meeting of the Board was held on Tuesday, and the members\nagreed to the plan.\n\n"
            "THE WEEKLY COURIER.      3\n\nLOCAL INTELLIGENCE.\n\nThe fair opened on Monday with a large "
            "attendance from the\ndistrict.\n\nTHE WEEKLY COURIER.      4\n\nMARKET REPORT.\n\n"
            "Wheat was firm at the close of the week.\n")
    default = clean_bytes(text.encode(), "c.txt", Config())
    assert "COURIER" not in default.text
    strict = clean_bytes(text.encode(), "c.txt", Config(min_confidence=0.99))
    assert "THE WEEKLY COURIER.      3" in strict.paragraphs()
    assert "3LOCAL" not in strict.text and "plan.THE" not in strict.text
    assert [e.rule for e in strict.edits if not e.applied] == ["running-head", "running-head"]


def test_every_rule_the_stages_record_can_be_switched_off() -> None:
    from pipeline.stages import disabled_rules

    seen: set[tuple[str, str]] = set()
    for path in (ROOT / "cleaned").glob("*.edits.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            edit = json.loads(line)
            if edit["stage"] in OPTIONAL_STAGES:
                seen.add((edit["stage"], edit["rule"]))
    assert len(seen) > 30
    names = [f"{stage}/{rule}" for stage, rule in sorted(seen)]
    assert disabled_rules(check_disabled(names)) == seen
    with pytest.raises(OcrcleanError, match="did you mean punctuation/space-before-punctuation"):
        check_disabled(["punctuation/space-before-punctuaton"])


def test_a_rule_switched_off_makes_no_edits_and_the_others_still_run() -> None:
    text = b"Th e weather was fine , and the ships sailed .\nTbe harbour was quiet .\n"
    off = clean_bytes(text, "x.txt", Config(disabled=frozenset({"punctuation/space-before-punctuation"})))
    assert not [e for e in off.edits if e.rule == "space-before-punctuation"]
    assert "fine , and" in off.text
    assert [e for e in off.edits if e.stage == "characters"]  # the other stages still run
    on = clean_bytes(text, "x.txt", Config())
    assert "fine, and" in on.text


def test_a_layout_removal_switched_off_leaves_the_line_in_its_own_block() -> None:
    text = ("The meeting of the Board was held on Tuesday, and the members\nagreed to the plan.\n\n"
            "THE WEEKLY COURIER.      3\n\nLOCAL INTELLIGENCE.\n\nThe fair opened on Monday with a large "
            "attendance from the\ndistrict.\n\nTHE WEEKLY COURIER.      4\n\nMARKET REPORT.\n\n"
            "Wheat was firm at the close of the week.\n")
    doc = clean_bytes(text.encode(), "c.txt", Config(disabled=frozenset({"layout/running-head"})))
    assert "THE WEEKLY COURIER.      3" in doc.paragraphs() and "3LOCAL" not in doc.text
    assert not [e for e in doc.edits if e.rule == "running-head"]
