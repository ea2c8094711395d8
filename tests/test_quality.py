"""Quality gates on the shared ground truth, measured with the project's own `eval`.

These are the targets of the correction-quality issue: they guard against
regressions, and they need ../shared (skipped outside CI when it is absent).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main


def run_eval(*args: str) -> dict:
    result = CliRunner().invoke(main, ["eval", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_pamphlet_development_chunks(shared: Path) -> None:
    data = run_eval(str(shared / "gold" / "pamphlet"))
    total = data["total"]
    assert total["cer"] <= 0.0025, total
    assert total["wer"] <= 0.01, total
    assert data["raw_total"]["cer"] > 0.016  # the scan itself, as the gold README states
    for doc in data["documents"]:
        assert not doc["worse_than_raw"], doc["name"]
        assert all(item["found"] for item in doc["notes"] + doc["captions"]), doc["name"]


def test_icdar_monograph_dev_no_harm_and_a_real_cut(shared: Path) -> None:
    data = run_eval(str(shared / "benchmarks" / "icdar2017" / "eng_monograph_dev"))
    assert len(data["documents"]) == 40
    assert [d["name"] for d in data["documents"] if d["worse_than_raw"]] == []
    assert data["total"]["cer"] <= 0.8 * data["raw_total"]["cer"]


def test_idempotent_on_real_ocr(shared: Path) -> None:
    """Cleaning the cleaned text changes nothing, on every development file of real OCR."""
    from pipeline.api import Config, clean_text
    from pipeline.evaluate import read_icdar

    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "gold" / "pamphlet").glob("*.raw.txt"))]
    texts += [read_icdar(p)[0] for p in sorted((shared / "benchmarks" / "icdar2017" / "eng_monograph_dev").iterdir())]
    config = Config(normalize=False)
    for text in texts:
        once = "\n\n".join(clean_text(text, config).paragraphs())
        twice = "\n\n".join(clean_text(once, config).paragraphs())
        assert twice == once, text[:60]


def test_clean_text_wrapped_as_an_etext_comes_back_unchanged(shared: Path) -> None:
    """The gold bodies, hard-wrapped with blank lines between paragraphs as an e-text is: the
    pipeline must give back exactly the same paragraphs (no repair where nothing is broken)."""
    import textwrap

    from pipeline.api import Config, clean_text
    from pipeline.evaluate import parse_gold

    for gold in sorted((shared / "gold" / "pamphlet").glob("*.gold.txt")):
        paragraphs = [p for p in parse_gold(gold.read_text(encoding="utf-8")).body.split("\n\n") if p.strip()]
        etext = "\n\n".join(textwrap.fill(p.strip(), 70) for p in paragraphs) + "\n"
        out = clean_text(etext, Config(normalize=False)).paragraphs()
        assert out == [p.strip() for p in paragraphs], gold.name
