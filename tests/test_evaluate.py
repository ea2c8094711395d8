"""Tests of the evaluation measure: small hand-computed cases, then agreement with the reference.

The reference scorer lives in the shared checkout beside the project (``../shared``). Tests that
need it skip with a reason when it is absent on a developer machine, but fail when ``CI`` is set,
because there a missing reference means the measure is silently unchecked.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SHARED

from pipeline.evaluate import (
    HYPHEN_NEUTRAL,
    ICDAR,
    PLAIN,
    Conventions,
    Difference,
    DocumentInput,
    GoldDoc,
    Score,
    aligned_differences,
    classify,
    combine,
    error_report,
    evaluate_documents,
    evaluate_sources,
    format_error_report,
    format_table,
    is_icdar_file,
    items_found,
    load_gold_dir,
    normalize_for_scoring,
    parse_gold,
    read_icdar,
    read_icdar_file,
    read_predictions,
    score,
    scoring_form,
    to_json,
)

# --- normalisation ------------------------------------------------------------------------------


def test_normalize_unifies_quotes() -> None:
    assert normalize_for_scoring("\u201cWe\u201d and \u2018they\u2019") == "\"We\" and 'they'"


def test_normalize_unifies_dashes_and_minus() -> None:
    assert normalize_for_scoring("a\u2012b\u2013c\u2014d\u2212e") == "a-b-c-d-e"


def test_normalize_drops_soft_hyphen() -> None:
    assert normalize_for_scoring("co\u00adoperate") == "cooperate"


def test_normalize_collapses_and_strips_whitespace() -> None:
    assert normalize_for_scoring("  one\t two\n\nthree\u00a0 four \r\n") == "one two three four"


def test_normalize_composes_accents() -> None:
    assert normalize_for_scoring("cafe\u0301") == "caf\u00e9"


# --- scores -------------------------------------------------------------------------------------


def test_one_substitution_in_three_chars() -> None:
    s = score("abd", "abc")
    assert (s.char_edits, s.gold_chars) == (1, 3)
    assert s.cer == pytest.approx(1 / 3)
    assert (s.word_edits, s.gold_words, s.wer) == (1, 1, 1.0)


def test_word_level_substitution() -> None:
    # 'b' -> 'x': one character of 5 ("a b c"), one word of 3.
    s = score("a x c", "a b c")
    assert (s.char_edits, s.gold_chars, s.word_edits, s.gold_words) == (1, 5, 1, 3)
    assert s.wer == pytest.approx(1 / 3)


def test_word_level_missing_word() -> None:
    # " down" is missing: 5 characters of 16, 1 word of 4.
    s = score("the cat sat", "the cat sat down")
    assert (s.char_edits, s.gold_chars, s.word_edits, s.gold_words) == (5, 16, 1, 4)
    assert (s.cer, s.wer) == (5 / 16, 0.25)


def test_split_word_costs_one_char_but_two_words() -> None:
    s = score("th e cat", "the cat")
    assert (s.char_edits, s.word_edits, s.gold_words) == (1, 2, 2)


def test_quote_dash_and_line_break_differences_are_free() -> None:
    s = score("\u201cHi\u201d\u2014there,\nfriend", '"Hi"-there, friend')
    assert (s.char_edits, s.word_edits) == (0, 0)


def test_empty_gold_divides_by_one() -> None:
    s = score("ab", "")
    assert (s.char_edits, s.gold_chars, s.cer) == (2, 0, 2.0)


def test_combine_is_a_micro_average() -> None:
    total = combine([Score(1, 3, 1, 1), Score(2, 7, 0, 2)])
    assert total == Score(3, 10, 1, 3)
    assert total.cer == pytest.approx(0.3)  # not the mean of 1/3 and 2/7
    assert total.wer == pytest.approx(1 / 3)


def test_combine_of_nothing_is_zero() -> None:
    assert combine([]) == Score(0, 0, 0, 0)


# --- gold files ---------------------------------------------------------------------------------


def test_parse_gold_with_sections() -> None:
    text = ("First paragraph.\n\nSecond paragraph.\n\n=== NOTES ===\nNote one.\n\n  Note two.  \n\n"
            "=== CAPTIONS ===\nA caption.\n")
    gold = parse_gold(text)
    assert gold.body == "First paragraph.\n\nSecond paragraph.\n\n"
    assert gold.notes == ["Note one.", "Note two."]
    assert gold.captions == ["A caption."]


def test_parse_gold_with_empty_sections() -> None:
    gold = parse_gold("Body.\n\n=== NOTES ===\n\n=== CAPTIONS ===\n")
    assert (gold.body, gold.notes, gold.captions) == ("Body.\n\n", [], [])


def test_parse_gold_sections_in_either_order() -> None:
    gold = parse_gold("Body.\n=== CAPTIONS ===\nCap.\n=== NOTES ===\nNote.\n")
    assert (gold.body, gold.notes, gold.captions) == ("Body.\n", ["Note."], ["Cap."])


def test_parse_gold_plain_text_is_all_body() -> None:
    text = "Just text.\n\nWith two paragraphs; === NOTES === is not on its own line.\n"
    assert parse_gold(text) == GoldDoc(body=text, notes=[], captions=[])


# --- ICDAR 2017 ---------------------------------------------------------------------------------


def _write_icdar(path: Path) -> None:
    # '#' (no gold) positions 14-15 go from both sides; '@' gaps go after that.
    lines = ["[OCR_toInput] Thhe cat sat.xy",
             "[OCR_aligned] Thhe cat@ sat.xy",
             "[ GS_aligned] T@he cat, sat.##"]
    path.write_bytes("\r\n".join(lines).encode("utf-8") + b"\r\n")  # the real files use CRLF


def test_read_icdar_drops_hash_positions_and_gaps(tmp_path: Path) -> None:
    path = tmp_path / "1.txt"
    _write_icdar(path)
    assert read_icdar(path) == ("Thhe cat sat.", "The cat, sat.")
    icdar = read_icdar_file(path)
    assert icdar.to_input == "Thhe cat sat.xy"
    # one 'h' too many and the missing comma: 2 edits on 13 gold characters
    s = score(*read_icdar(path))
    assert (s.char_edits, s.gold_chars) == (2, 13)


def test_read_icdar_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("[OCR_toInput] only the input\n", encoding="utf-8")
    with pytest.raises(ValueError, match="OCR_aligned"):
        read_icdar(path)
    plain = tmp_path / "plain.txt"
    plain.write_text("nothing here\n", encoding="utf-8")
    assert is_icdar_file(path) and not is_icdar_file(plain)


# --- notes and captions -------------------------------------------------------------------------


def test_items_found_equal_contained_and_missing() -> None:
    found = ["* Lenin, Collected Works, Vol. XXIII, 1942", "Japanese routed at Sitsa station."]
    expected = ["Lenin, Collected Works, Vol. XXIII", "Japanese routed at Sitsa station.", "Another note."]
    assert items_found(found, expected) == [
        ("Lenin, Collected Works, Vol. XXIII", True),
        ("Japanese routed at Sitsa station.", True),
        ("Another note.", False),
    ]


def test_items_found_normalises_both_sides() -> None:
    assert items_found(["Anfu-the \u201cname\u201d\n of a clique"], ['Anfu\u2014the "name" of a clique']) == [
        ('Anfu\u2014the "name" of a clique', True)]


def test_items_found_tolerates_five_percent() -> None:
    gold = "abcdefghijklmnopqrst"  # 20 characters: 1 edit is 5%, 2 edits are 10%
    assert items_found(["abcdefghijklmnopqrsX"], [gold]) == [(gold, True)]
    assert items_found(["abcdefghijklmnopqrXX"], [gold]) == [(gold, False)]


def test_items_found_with_no_output() -> None:
    assert items_found([], ["A note."]) == [("A note.", False)]
    assert items_found(["A note."], []) == []


# --- error analysis -----------------------------------------------------------------------------


def test_aligned_differences_positions_and_context() -> None:
    diffs = aligned_differences("The Himdreds of men", "The Hundreds of men", context=4)
    assert diffs == [Difference(gold="un", pred="im", before="he H", after="dred",
                                gold_start=5, gold_end=7, pred_start=5, pred_end=7)]
    assert diffs[0].edits == 2


def test_adjacent_edit_operations_form_one_difference() -> None:
    # Levenshtein gives 'insert XY' then 'replace b->Z' with nothing equal between them.
    diffs = aligned_differences("aXYZc", "abc")
    assert [(d.gold, d.pred, d.edits) for d in diffs] == [("b", "XYZ", 3)]


def test_no_differences_for_equal_texts() -> None:
    assert aligned_differences("\u201cSame\u201d  text", '"Same" text') == []


@pytest.mark.parametrize(("pred", "gold"), [
    ("th e ba nks of th e Amur , not", "the banks of the Amur, not"),
    ("landingtroop s kept ,pouring", "landing troops kept pouring"),
    ("Himdreds of Ko1chak's men be- came", "Hundreds of Kolchak's men became"),
])
def test_difference_edits_add_up_to_the_score(pred: str, gold: str) -> None:
    diffs = aligned_differences(pred, gold)
    assert len(diffs) >= 2
    assert sum(d.edits for d in diffs) == score(pred, gold).char_edits


def _kinds(pred: str, gold: str) -> list[str]:
    return [classify(d) for d in aligned_differences(pred, gold)]


def test_classify_spacing() -> None:
    assert _kinds("th e banks", "the banks") == ["spacing"]
    assert _kinds("landingtroops", "landing troops") == ["spacing"]


def test_classify_hyphenation() -> None:
    assert _kinds("be- came", "became") == ["hyphenation"]
    assert _kinds("wouldbe", "would-be") == ["hyphenation"]


def test_classify_punctuation() -> None:
    assert _kinds("kept ,pouring", "kept pouring") == ["punctuation"]
    assert _kinds('Soviets !"', 'Soviets!"') == ["spacing"]  # only the space is wrong
    assert classify(Difference(gold="", pred=" .~")) == "punctuation"


def test_classify_character() -> None:
    assert _kinds("Himdreds", "Hundreds") == ["character"]
    assert _kinds("Ko1chak", "Kolchak") == ["character"]
    assert classify(Difference(gold="!", pred=" I")) == "character"


def test_classify_layout() -> None:
    caption = "Japanese routed at Sitsa station on the Suchan Railway. "
    assert _kinds("Body text. " + caption + "More text.", "Body text. More text.") == ["layout"]
    assert _kinds("Body text.", "Body text. " + caption) == ["layout"]


def test_layout_threshold_is_more_than_25_chars() -> None:
    assert classify(Difference(gold="", pred="x" * 26)) == "layout"
    assert classify(Difference(gold="x" * 26, pred="")) == "layout"
    assert classify(Difference(gold="", pred="x" * 25)) == "character"


def test_error_report_groups_identical_pairs_most_frequent_first() -> None:
    pairs = [("th e cat", "the cat"), ("th e dog, Himdreds", "the dog, Hundreds"), ("kept ,on", "kept on")]
    report = error_report(pairs, names=["a", "b", "c"])
    assert [(k.kind, k.count, k.edits) for k in report.kinds] == [
        ("spacing", 2, 2), ("character", 1, 2), ("punctuation", 1, 1)]
    spacing = report.kinds[0]
    assert len(spacing.examples) == 1
    example = spacing.examples[0]
    assert (example.gold, example.pred, example.count, example.document) == ("", " ", 2, "a")
    text = format_error_report(report)
    assert text.splitlines()[0] == "spacing: 2 differences, 2 edits"
    assert "'un' -> pred 'im'" in text
    assert json.loads(to_json(report))["kinds"][1]["examples"][0]["gold"] == "un"


def test_error_report_of_perfect_output_is_empty() -> None:
    report = error_report([("same", "same")])
    assert report.kinds == []
    assert format_error_report(report) == "no differences"


# --- evaluating documents -----------------------------------------------------------------------


GOLD_FILE = "The cat sat.\n\n=== NOTES ===\nA note.\n\n=== CAPTIONS ===\nA caption.\n"


def test_evaluate_documents_scores_body_raw_and_items() -> None:
    result = evaluate_documents([
        ("one", "The cat sat.", GOLD_FILE, ["* A note."], [], "Tbe c at sat."),
        DocumentInput(name="two", pred="Tbe cat", gold="The cat", raw="The cat"),
    ])
    one, two = result.documents
    assert (one.score.char_edits, one.raw_score.char_edits if one.raw_score else None) == (0, 2)
    assert one.notes == [("A note.", True)] and one.captions == [("A caption.", False)]
    assert two.worse_than_raw and not one.worse_than_raw
    assert result.total == Score(char_edits=1, gold_chars=19, word_edits=1, gold_words=5)
    assert result.raw_total == Score(char_edits=2, gold_chars=19, word_edits=3, gold_words=5)
    assert result.cut == pytest.approx(0.5)
    assert result.worse == ["two"]
    assert (result.notes_found, result.captions_found) == ((1, 1), (0, 1))


def test_evaluation_is_json_serialisable() -> None:
    result = evaluate_documents([("one", "The cat sat.", GOLD_FILE, ["A note."], ["A caption."], None)])
    data = json.loads(to_json(result))
    assert data["documents"][0]["name"] == "one"
    assert data["documents"][0]["raw"] is None and data["raw_total"] is None and data["cut"] is None
    assert data["total"]["cer"] == 0.0
    assert data["documents"][0]["notes"] == [{"text": "A note.", "found": True}]
    assert (data["notes_found"], data["captions_total"]) == (1, 1)


def test_format_table() -> None:
    result = evaluate_documents([
        ("one", "The cat sat.", GOLD_FILE, ["A note."], [], "Tbe c at sat."),
        ("two", "Tbe cat", "The cat", [], [], "The cat"),
    ])
    lines = format_table(result).splitlines()
    assert lines[0].split() == ["document", "CER", "WER", "raw", "CER", "errors/chars", "notes", "captions"]
    assert lines[2].split() == ["one", "0.00%", "0.00%", "16.67%", "0/12", "1/1", "0/1"]
    assert lines[3].split() == ["two", "(worse)", "14.29%", "50.00%", "0.00%", "1/7", "-", "-"]
    assert lines[4].split() == ["TOTAL", "5.26%", "20.00%", "10.53%", "1/19", "1/1", "0/1"]
    assert lines[5] == "raw errors removed: 50.00%; documents made worse: 1 (two)"


# --- loading ------------------------------------------------------------------------------------


def test_load_gold_dir_finds_pairs_and_icdar_files(tmp_path: Path) -> None:
    (tmp_path / "chunk1.raw.txt").write_text("Tbe cat\n", encoding="utf-8")
    (tmp_path / "chunk1.gold.txt").write_text(GOLD_FILE, encoding="utf-8")
    (tmp_path / "chunk3.raw.txt").write_text("no gold for this one\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a document\n", encoding="utf-8")
    _write_icdar(tmp_path / "10.txt")
    _write_icdar(tmp_path / "2.txt")
    sources = load_gold_dir(tmp_path)
    assert [(s.name, s.kind) for s in sources] == [("2", "icdar"), ("10", "icdar"), ("chunk1", "pamphlet")]
    assert sources[0].raw == "Thhe cat sat." and sources[0].gold == GoldDoc(body="The cat, sat.")
    assert sources[2].raw == "Tbe cat\n" and sources[2].gold.notes == ["A note."]
    assert [s.name for s in load_gold_dir(tmp_path / "2.txt")] == ["2"]


def test_load_gold_dir_refuses_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no <stem>.raw.txt"):
        load_gold_dir(tmp_path)
    with pytest.raises(ValueError, match="no such file"):
        load_gold_dir(tmp_path / "missing")


def test_evaluate_sources_cleans_the_raw_text(tmp_path: Path) -> None:
    (tmp_path / "a.raw.txt").write_text("Tbe cat sat.\n", encoding="utf-8")
    (tmp_path / "a.gold.txt").write_text(GOLD_FILE, encoding="utf-8")
    seen: list[str] = []

    def clean(text: str) -> tuple[str, list[str], list[str]]:
        seen.append(text)
        return text.replace("Tbe", "The"), ["A note."], []

    result = evaluate_sources(load_gold_dir(tmp_path), clean)
    assert seen == ["Tbe cat sat.\n"]
    doc = result.documents[0]
    assert (doc.score.char_edits, doc.raw_score.char_edits if doc.raw_score else None) == (0, 1)
    assert doc.notes == [("A note.", True)] and doc.captions == [("A caption.", False)]


# --- agreement with the shared reference scorer -------------------------------------------------


def _require_shared(shared: Path) -> Path:
    """Return the reference scorer's path; skip without it, or fail when running under CI."""
    path = shared / "tools" / "score.py"
    if not path.is_file():
        reason = f"reference scorer {path} not found (the shared/ checkout is expected beside the project)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so the measure must be checked", pytrace=False)
        pytest.skip(reason)
    return path


def test_missing_shared_skips_locally_but_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not found"):
        _require_shared(tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        _require_shared(tmp_path)


@functools.cache
def _load_reference(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("ocrclean_reference_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference_scorer() -> ModuleType:
    """The shared reference scorer, imported by path; called inside each test so that under CI a
    missing checkout is reported as a FAILED test, not as a fixture error."""
    return _load_reference(_require_shared(SHARED))


def test_pamphlet_raw_chunks_agree_with_reference() -> None:
    reference = reference_scorer()
    sources = load_gold_dir(SHARED / "gold" / "pamphlet")
    assert [s.name for s in sources] == ["chunk1", "chunk3", "chunk5", "chunk7"]
    for source in sources:
        gold_text = source.path.with_name(source.name + ".gold.txt").read_text(encoding="utf-8")
        expected = reference.score(source.raw, reference.body(gold_text))
        got = score(source.raw, parse_gold(gold_text).body)
        assert got.char_edits == expected["char_edits"], source.name
        assert got.gold_chars == expected["gold_chars"], source.name
        assert got.wer == expected["wer"], source.name
        assert got.char_edits > 0  # the raw scan is not perfect: the comparison is not vacuous


def test_pamphlet_raw_total_cer() -> None:
    reference = reference_scorer()
    result = evaluate_documents([
        (s.name, s.raw, s.gold, [], [], s.raw) for s in load_gold_dir(SHARED / "gold" / "pamphlet")])
    assert (result.total.char_edits, result.total.gold_chars) == (837, 49118)
    assert round(result.total.cer, 5) == reference.total([d.score.to_dict() for d in result.documents])
    # gold/README.md says "CER 1.71%", but the reference scorer gives 837/49118 = 0.017041, i.e. 0.0170.
    # 1.71% is what whitespace-only normalisation gives (842 edits), without the quote/dash unification
    # the README itself prescribes; the reference decides.
    assert round(result.total.cer, 4) == 0.0170


def test_icdar_files_agree_with_reference() -> None:
    reference = reference_scorer()
    directory = SHARED / "benchmarks" / "icdar2017" / "eng_monograph_dev"
    sources = load_gold_dir(directory)
    assert len(sources) == 40 and all(s.kind == "icdar" for s in sources)
    for source in sources:
        assert read_icdar(source.path) == reference.icdar_pair(str(source.path)), source.name
    total = combine(score(s.raw, s.gold.body) for s in sources)
    assert round(total.cer, 4) == 0.0106  # benchmarks/README.md: "Untouched OCR: CER 1.06%"


# --- gold conventions: ICDAR reading form, hyphen-neutral ---------------------------------------


def test_icdar_reading_form_joins_printed_hyphens_and_closes_spaces_before_marks() -> None:
    assert scoring_form("it com- prises\nthe name , and more ; yes ! 1- 2", ICDAR) == \
        "it comprises the name, and more; yes! 12"
    # a hyphen without space after it is a real hyphen; one after a space is a dash: both kept
    assert scoring_form("well-known - said he", ICDAR) == "well-known - said he"
    assert scoring_form("name , x", PLAIN) == "name , x"


def test_icdar_conventions_do_not_count_on_either_side() -> None:
    gold = "This com- prises a name , said he ."
    assert score("This comprises a name, said he.", gold, ICDAR).char_edits == 0
    assert score("This comprises a name, said he.", gold).char_edits == 4  # "- " and the spaces before , and .
    # what is not a convention still counts: a wrong letter, a missing comma
    assert score("This cornprises a name said he.", gold, ICDAR).char_edits == 3
    assert score("This cornprises a name said he.", gold, ICDAR).gold_chars == len("This comprises a name, said he.")


def test_hyphen_neutral_removes_every_hyphen_between_word_characters() -> None:
    assert scoring_form("Thorns-\nhope and Thorns- hope, a well-known 1-2 - dash", HYPHEN_NEUTRAL) == \
        "Thornshope and Thornshope, a wellknown 12 - dash"
    assert score("Thornshope", "Thorns-\nhope", HYPHEN_NEUTRAL).char_edits == 0
    assert score("Thornshope", "Thorns-\nhope").char_edits == 2


def test_conventions_combine_and_are_named() -> None:
    both = Conventions(reading_form=True, hyphen_neutral=True)
    assert [c.name for c in (PLAIN, ICDAR, HYPHEN_NEUTRAL, both)] == [
        "plain", "icdar", "hyphen-neutral", "icdar+hyphen-neutral"]
    assert scoring_form("Thorns-hope , said", both) == "Thornshope, said"


def test_error_report_uses_the_conventions_it_is_given() -> None:
    pairs = [("it comprises the name, x", "it com- prises the name , x")]
    assert error_report(pairs, conventions=ICDAR).kinds == []
    kinds = {k.kind for k in error_report(pairs).kinds}
    assert kinds == {"hyphenation", "spacing"}


# --- the OverProof layout -----------------------------------------------------------------------


def _write_layout(root: Path) -> None:
    for folder in ("raw", "gold", "overproof", "scans"):
        (root / folder).mkdir(parents=True)
    (root / "raw" / "1-a.txt").write_text("Tbe Thorns-\nhope road\n", encoding="utf-8")
    (root / "gold" / "1-a.txt").write_text("The Thorns-\nhope road\n", encoding="utf-8")
    (root / "overproof" / "1-a.txt").write_text("The Thornshope road\n", encoding="utf-8")
    (root / "raw" / "2-b.txt").write_text("a rnile south\n", encoding="utf-8")
    (root / "gold" / "2-b.txt").write_text("a mile south\n", encoding="utf-8")
    # no overproof/2-b.txt: that peer has no output for it
    (root / "raw" / "3-c.txt").write_text("no gold for this one\n", encoding="utf-8")
    (root / "scans" / "1-a.png").write_bytes(b"not a peer")


def test_layout_folder_gives_hyphen_neutral_sources_with_peers(tmp_path: Path) -> None:
    _write_layout(tmp_path)
    sources = load_gold_dir(tmp_path)
    assert [(s.name, s.kind) for s in sources] == [("1-a", "overproof"), ("2-b", "overproof")]
    assert all(s.conventions == HYPHEN_NEUTRAL and s.collection == tmp_path / "raw" for s in sources)
    assert sources[0].peers == {"overproof": "The Thornshope road\n"}
    assert sources[1].peers == {"overproof": None}
    assert load_gold_dir(tmp_path, icdar_conventions=True)[0].conventions.name == "icdar+hyphen-neutral"


def test_layout_peer_scores_and_table(tmp_path: Path) -> None:
    _write_layout(tmp_path)
    sources = load_gold_dir(tmp_path)
    result = evaluate_sources(sources, lambda raw: (raw.replace("Tbe", "The"), [], []))
    first, second = result.documents
    assert (first.score.char_edits, first.raw_score.char_edits if first.raw_score else None) == (0, 1)
    assert first.peer_scores["overproof"].char_edits == 0
    # the missing peer output is scored as empty text, as the reference scorer does
    assert second.peer_scores["overproof"].char_edits == len("a mile south")
    assert second.peers_missing == ["overproof"]
    assert result.peer_names == ["overproof"]
    assert result.peer_total("overproof") == combine([first.peer_scores["overproof"], second.peer_scores["overproof"]])
    assert result.peer_worse("overproof") == ["2-b"]
    lines = format_table(result).splitlines()
    assert lines[0].split() == ["document", "CER", "WER", "raw", "CER", "overproof", "CER", "errors/chars",
                                "notes", "captions"]
    assert any(line.startswith("overproof: raw errors removed:") and "1 documents without its output" in line
               for line in lines)
    assert any(line.startswith("scoring: hyphen-neutral") for line in lines)
    data = json.loads(to_json(result))
    assert data["peers"]["overproof"]["missing"] == ["2-b"]
    assert data["settings"]["conventions"] == ["hyphen-neutral"]


def test_layout_without_common_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="share no file"):
        load_gold_dir(tmp_path)


def test_icdar_conventions_default_to_icdar_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.raw.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "a.gold.txt").write_text("x\n", encoding="utf-8")
    _write_icdar(tmp_path / "1.txt")
    rules = {s.name: s.conventions for s in load_gold_dir(tmp_path)}
    assert rules == {"1": ICDAR, "a": PLAIN}
    assert {s.conventions for s in load_gold_dir(tmp_path, icdar_conventions=True)} == {ICDAR}
    assert {s.conventions for s in load_gold_dir(tmp_path, icdar_conventions=False)} == {PLAIN}


# --- outputs already written --------------------------------------------------------------------


def test_read_predictions_finds_both_naming_styles(tmp_path: Path) -> None:
    gold, preds = tmp_path / "gold", tmp_path / "preds"
    gold.mkdir()
    preds.mkdir()
    for stem in ("a", "b"):
        (gold / f"{stem}.raw.txt").write_text("Tbe cat\n", encoding="utf-8")
        (gold / f"{stem}.gold.txt").write_text("The cat\n\n=== NOTES ===\nA note.\n", encoding="utf-8")
    (preds / "a.txt").write_text("The cat\n", encoding="utf-8")  # another tool's naming
    (preds / "b.raw.txt").write_text("Tbe cat\n", encoding="utf-8")  # `ocrclean run`'s naming
    (preds / "b.raw.jsonl").write_text(json.dumps({"notes": ["A note."], "captions": []}) + "\n", encoding="utf-8")
    result = read_predictions(load_gold_dir(gold), preds)
    assert [(d.name, d.score.char_edits) for d in result.documents] == [("a", 0), ("b", 1)]
    assert [d.notes for d in result.documents] == [[("A note.", False)], [("A note.", True)]]
    assert result.info is not None and result.info.normalize is None  # no manifest.json: unknown
    (preds / "b.txt").write_text("The cat\n", encoding="utf-8")
    with pytest.raises(ValueError, match="both b.txt and b.raw.txt exist and differ"):
        read_predictions(load_gold_dir(gold), preds)
    (preds / "a.txt").unlink()
    with pytest.raises(ValueError, match="a.txt: no such file"):
        read_predictions(load_gold_dir(gold), preds)


# --- agreement of whole runs with the reference scorer ------------------------------------------


def _ocrclean(folder: Path) -> str:
    """An ``ocrclean`` executable for the reference scorer that runs this checkout's pipeline."""
    root = Path(__file__).resolve().parents[1]
    script = folder / "ocrclean"
    script.write_text(f'#!/bin/sh\nPYTHONPATH="{root}" exec "{sys.executable}" -m pipeline "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def _reference_json(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_icdar_scoring_form_agrees_with_reference(shared: Path) -> None:
    reference = _load_reference(shared / "tools" / "score.py")
    for source in load_gold_dir(shared / "benchmarks" / "icdar2017" / "eng_monograph_dev"):
        assert source.conventions == ICDAR
        for text in (source.raw, source.gold.body):
            assert scoring_form(text, ICDAR) == reference.icdar_norm(text), source.name


def test_overproof_scoring_form_agrees_with_reference(shared: Path) -> None:
    reference = _load_reference(shared / "tools" / "score.py")
    sources = load_gold_dir(shared / "benchmarks" / "overproof-smh-dev")
    assert len(sources) == 80 and all(s.peers.get("overproof") for s in sources)
    for source in sources:
        for text in (source.raw, source.gold.body, source.peers["overproof"] or ""):
            expected = reference.norm(reference.HYPHEN.sub("", reference.norm(text)))
            assert scoring_form(text, HYPHEN_NEUTRAL) == expected, source.name


def test_eval_of_an_overproof_subset_agrees_with_reference(shared: Path, tmp_path: Path) -> None:
    from pipeline.api import Config
    from pipeline.evaluation.runner import evaluate_with_pipeline

    data = shared / "benchmarks" / "overproof-smh-dev"
    names = sorted(p.name for p in (data / "raw").iterdir())[:6]
    subset = tmp_path / "subset"
    for folder in ("raw", "gold", "overproof"):
        (subset / folder).mkdir(parents=True)
        for name in names:
            shutil.copyfile(data / folder / name, subset / folder / name)
    expected = _reference_json(str(shared / "tools" / "score.py"), "overproof", str(subset), _ocrclean(tmp_path))
    result = evaluate_with_pipeline(load_gold_dir(subset), Config(normalize=False))
    raw_total = result.raw_total
    assert raw_total is not None and raw_total.char_edits > 0
    assert round(raw_total.cer, 5) == expected["raw_cer"]
    assert round(result.total.cer, 5) == expected["ocrclean_cer"]
    assert round(result.peer_total("overproof").cer, 5) == expected["overproof_cer"]
    assert len(result.worse) == expected["ocrclean_files_worse"]


def test_eval_of_icdar_files_agrees_with_reference(shared: Path, tmp_path: Path) -> None:
    from pipeline.api import Config
    from pipeline.evaluation.runner import evaluate_with_pipeline

    data = shared / "benchmarks" / "icdar2017" / "eng_monograph_dev"
    subset = tmp_path / "subset"
    subset.mkdir()
    for name in ("1.txt", "2.txt"):
        shutil.copyfile(data / name, subset / name)
    expected = _reference_json(str(shared / "tools" / "score.py"), "icdar", str(subset), _ocrclean(tmp_path))
    result = evaluate_with_pipeline(load_gold_dir(subset), Config(normalize=False))
    raw_total = result.raw_total
    assert raw_total is not None
    assert round(raw_total.cer, 5) == expected["cer_before"]
    assert round(result.total.cer, 5) == expected["cer_after"]
    assert len(result.worse) == expected["files_worse"]


# --- the eval command ---------------------------------------------------------------------------


def _invoke(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _write_pair(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.raw.txt").write_text("th e ba nks of th e Amur, near Dairen.\n", encoding="utf-8")
    (folder / "a.gold.txt").write_text("the banks of the Amur, near Dairen.\n", encoding="utf-8")


def test_eval_scores_the_outputs_of_a_real_run(tmp_path: Path) -> None:
    gold, out = tmp_path / "gold", tmp_path / "out"
    _write_pair(gold)
    code, _, err = _invoke("run", str(gold), str(out), "--no-normalize")
    assert code == 0, err
    assert (out / "a.raw.txt").is_file() and not (out / "a.txt").exists()  # run's naming for a.raw.txt
    code, stdout, err = _invoke("eval", str(gold), "--pred", str(out), "--json")
    assert code == 0, err
    data = json.loads(stdout)
    expected = score((out / "a.raw.txt").read_text(encoding="utf-8"), "the banks of the Amur, near Dairen.")
    assert data["documents"][0]["char_edits"] == expected.char_edits
    assert data["documents"][0]["raw"]["char_edits"] > 0
    assert data["settings"]["normalize"] is False  # from the run's manifest.json
    code, stdout, _ = _invoke("eval", str(gold), "--pred", str(out))
    assert code == 0 and "names: as printed" in stdout and f"read from {out}" in stdout


def test_eval_pred_says_when_names_were_normalized_and_refuses_the_flag(tmp_path: Path) -> None:
    gold, out = tmp_path / "gold", tmp_path / "out"
    _write_pair(gold)
    assert _invoke("run", str(gold), str(out))[0] == 0  # run normalizes names by default
    code, stdout, _ = _invoke("eval", str(gold), "--pred", str(out))
    assert code == 0 and "names: normalized" in stdout
    code, stdout, err = _invoke("eval", str(gold), "--pred", str(out), "--normalize")
    assert code == 1 and stdout == "" and err.count("\n") == 1 and "already made" in err


def test_eval_normalize_flag_is_stated(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    _write_pair(gold)
    for args, expected in (((), False), (("--no-normalize",), False), (("--normalize",), True)):
        code, stdout, err = _invoke("eval", str(gold), "--json", *args)
        assert code == 0, err
        assert json.loads(stdout)["settings"]["normalize"] is expected
    code, stdout, _ = _invoke("eval", str(gold))
    assert "names: as printed (--no-normalize" in stdout
    code, stdout, _ = _invoke("eval", str(gold), "--normalize")
    assert "names: normalized" in stdout


def test_eval_icdar_conventions_switch(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text("[OCR_toInput] it comprises the name, here\n"
                                    "[OCR_aligned] it com@@prises the name@, here\n"
                                    "[ GS_aligned] it com- prises the name , here\n", encoding="utf-8")
    code, stdout, err = _invoke("eval", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["documents"][0]["raw"]["char_edits"] == 0 and data["settings"]["conventions"] == ["icdar"]
    code, stdout, _ = _invoke("eval", str(tmp_path), "--json", "--no-icdar-conventions")
    data = json.loads(stdout)
    assert data["documents"][0]["raw"]["char_edits"] == 3 and data["settings"]["conventions"] == ["plain"]
    code, stdout, _ = _invoke("eval", str(tmp_path), "--errors", "--json")
    assert code == 0 and "errors" in json.loads(stdout)
    code, stdout, _ = _invoke("eval", str(tmp_path))
    assert "scoring: ICDAR reading form" in stdout


def test_eval_layout_folder_on_the_command_line(tmp_path: Path) -> None:
    _write_layout(tmp_path)
    code, stdout, err = _invoke("eval", str(tmp_path))
    assert code == 0, err
    assert stdout.splitlines()[0].split()[3:7] == ["raw", "CER", "overproof", "CER"]
    assert "cleaned as one collection" in stdout


def test_quality_benchmark_without_shared_says_so_in_one_line(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "quality.py"
    done = subprocess.run([sys.executable, str(script), "--shared", str(tmp_path / "none")],
                          capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "shared folder not found" in done.stderr
