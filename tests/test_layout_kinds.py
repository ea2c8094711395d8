"""Kinds of layout, line-joining and letter-form faults: each rule on fresh text of its own kind,
with ordinary modern prose that it must leave alone.

The texts here are written for these tests (not taken from any development document). Every
repair must be an edit: the original comes back byte for byte from the TEI.
"""

from __future__ import annotations

import hashlib

from conftest import clean

from pipeline.api import Config, clean_bytes
from pipeline.document import Document
from pipeline.export.tei import to_tei
from pipeline.restore import restore_bytes

PROSE = ("The council met on Tuesday evening and agreed to repair the bridge before the spring floods.\n"
         "Most members thought the cost was reasonable, and the work will begin next month.\n")


def run(text: str) -> Document:
    """The whole pipeline on ``text``; checks the rope and the byte-exact restore from the TEI."""
    data = text.encode("utf-8")
    doc = clean_bytes(data, "sample.txt", Config(normalize=False))
    doc.check()
    tei = to_tei(doc, source_name="sample.txt", sha256=hashlib.sha256(data).hexdigest(), version="0")
    assert restore_bytes(tei) == data
    return doc


def rules(doc: Document, stage: str | None = None) -> list[str]:
    return [e.rule for e in doc.edits if e.applied and (stage is None or e.stage == stage)]


def body(doc: Document) -> str:
    return " ".join(doc.text.split())


def test_modern_prose_has_no_layout_or_letter_form_edits() -> None:
    doc = run(PROSE)
    assert body(doc) == " ".join(PROSE.split())
    assert set(rules(doc)) <= {"line-join", "short-line-ends-sentence", "trailing-space"}


# ---------------------------------------------------------------- decode: letter forms
def test_ligatures_expand_and_the_tei_keeps_them() -> None:
    doc = run("The ﬂeet left the ﬁshing harbour at ﬁve, and the oﬃcers of the staﬀ were baﬄed.\n")
    assert body(doc) == "The fleet left the fishing harbour at five, and the officers of the staff were baffled."
    edits = [e for e in doc.edits if e.rule == "ligature"]
    assert sorted(e.source for e in edits) == sorted("ﬂﬁﬁﬃﬀﬄ")
    assert all(e.stage == "decode" for e in edits)


def test_long_s_reads_as_s() -> None:
    doc = run("Thoſe who paſſed the houſe ſaw the firſt ſigns of the ſtorm.\n")
    assert body(doc) == "Those who passed the house saw the first signs of the storm."
    assert rules(doc, "decode").count("long-s") == 8


def test_soft_hyphen_inside_a_word_goes() -> None:
    doc = run("The re\u00adport of the com\u00admittee was read aloud.\n")
    assert body(doc) == "The report of the committee was read aloud."
    assert rules(doc, "decode").count("soft-hyphen-in-word") == 2


# ---------------------------------------------------------------- hyphenation: engine markers
def test_soft_hyphen_at_line_end_joins_the_word() -> None:
    text = ("The garden was planted in the au\u00ad\ntumn, and the neighbours admired the straw\u00ad\n"
            "berries all through the following sum\u00ad\nmer.\n")
    doc = run(text)
    assert body(doc) == ("The garden was planted in the autumn, and the neighbours admired the strawberries "
                         "all through the following summer.")
    assert rules(doc, "hyphenation").count("join-soft-hyphen") == 3


def test_abbyy_not_sign_at_line_end_joins_the_word() -> None:
    text = "The farmers brought their cat¬\ntle to the market, and the auc¬ tioneer sold them by noon.\n"
    doc = run(text)
    assert body(doc) == "The farmers brought their cattle to the market, and the auctioneer sold them by noon."


def test_compound_whose_parts_english_writes_as_a_pair_keeps_its_hyphen() -> None:
    text = ("The short-\nterm loan was repaid by a well-\nknown merchant, who had be-\ncome rich in the "
            "after-\nnoon trade.\n")
    out = " ".join(clean(text).split())
    assert "short-term" in out and "well-known" in out
    assert "become" in out and "afternoon" in out


def test_ordinary_hyphen_breaks_still_join() -> None:
    text = ("The committee will con-\nsider the request for a new li-\nbrary at its next meet-\ning in the "
            "town hall.\n")
    assert " ".join(clean(text).split()) == ("The committee will consider the request for a new library at its "
                                             "next meeting in the town hall.")
