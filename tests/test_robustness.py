"""The whole pipeline on generated OCR-like text: it never crashes, and the TEI always restores."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.api import Config, clean_bytes
from pipeline.batch import render_all
from pipeline.tei import restore_bytes, to_tei

PIECES = st.sampled_from([
    "the", "th e", "Vladivostok", "V la d ivosto k", "be-", "came", "*", "•", ">I<", "13", "sur40", "render",
    "Himdreds", "KoIchak", "a~d", "0'£", "\"", "'", ",", " ,", ".", ". . .", "—", "-", "IV.", "THE PEOPLE FIGHT",
    "T", "H E", "r ·>", "[Page 12]", "1938,5", "  1. Not printed.", "Semyonov", "Dairen", "Tokio", "\t", "\x00",
    "\r\n", "\n", "\n\n", "é", "ſ", "ﬁ", "W01 -ks", "Oct. IS,", "191 I", "9 ,00 0", "wouldbe", "the]", "apanese",
])


@st.composite
def ocr_texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(PIECES, max_size=60))
    seps = draw(st.lists(st.sampled_from([" ", " ", " ", "\n", "\n\n", ""]), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ocr_texts(), st.sampled_from(["utf-8", "utf-16", "cp1252"]), st.booleans())
def test_pipeline_never_crashes_and_restores(text: str, encoding: str, normalize: bool) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    doc = clean_bytes(data, "gen.txt", Config(normalize=normalize))
    doc.check()
    outputs = render_all(doc, data, "gen.txt")
    assert restore_bytes(outputs["gen.tei.xml"]) == data
    body = outputs["gen.txt"].decode("utf-8")
    assert "\x00" not in body
    assert body == "" or body.endswith("\n")


def test_bytes_no_reading_explains_become_replacement_characters_and_restore() -> None:
    """Five bytes are undefined in cp1252; read as latin-1 they would be invisible C1 controls in the text."""
    data = b"The \x81\x8d quick caf\xe9 fox \x90jumped.\n"
    doc = clean_bytes(data, "c1.txt")
    assert not any("\x80" <= ch <= "\x9f" for ch in doc.text)
    assert doc.text.count("\ufffd") == 3 and "caf\u00e9" in doc.text
    assert [e.rule for e in doc.edits].count("c1-control-character") == 3
    assert restore_bytes(to_tei(doc)) == data
