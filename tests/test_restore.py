"""Byte-for-byte restore from the TEI alone: hand-made cases, refusals, and generated inputs.

Why property tests: the TEI scheme promises that *every* original character is
recoverable from the markup, whatever the stages did. Hand-made cases pin the
common shapes; hypothesis throws odd encodings, control characters, line-ending
mixes and overlapping edits of every kind at it, which is where such promises
break.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest
from conftest import item
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.document import Block, Document, Proposal
from pipeline.errors import InputError, OutputError, TeiError
from pipeline.stages.decode import load
from pipeline.tei import SCHEME_VERSION, TEI_NS, original_text, restore_bytes, to_tei

RAW = Path(__file__).resolve().parents[1] / "raw"
NS = {"t": TEI_NS}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export(doc: Document, data: bytes) -> bytes:
    return to_tei(doc, source_name="sample.txt", sha256=sha(data), version="0.1.0")


def round_trip(data: bytes, doc: Document | None = None) -> bytes:
    doc = load(data, "sample.txt") if doc is None else doc
    doc.check()
    tei = export(doc, data)
    assert restore_bytes(tei) == data
    return tei


# ---------------------------------------------------------------------- hand-made
@pytest.mark.parametrize("data", [
    b"",
    b"plain text",
    b"line one\nline two\n\nnext paragraph\n",
    b"crlf\r\nlines\r\n\r\nmixed\rcr\n",
    b"nul\x00 and form feed\x0c and escape\x1b here",
    "caf\u00e9 \u2019quotes\u2019 \U0001d518".encode(),
    codecs.BOM_UTF8 + "bom \u00e9".encode(),
    "utf-16 \u00e9\r\n\x00x".encode("utf-16"),
    codecs.BOM_UTF16_BE + "be \u00e9".encode("utf-16-be"),
    "cp1252 \u20ac \u2019 \u00e9".encode("cp1252"),
    b"latin-1 \x81\x8d \xe9",
    "mojibake don\u00e2\u20ac\u2122t".encode(),
    b"  leading and trailing  \n\n\n",
    b"tabs\tinside\t\n\tindented",
])
def test_decode_only_round_trip(data: bytes) -> None:
    round_trip(data)


def test_layout_like_edits_round_trip() -> None:
    """Page furniture, notes, captions, joins and paragraph breaks over CRLF text."""
    src = ("THE HEAD\r\n\r\nFirst line of text with a mark *\r\ncontinues here and be-\r\n"
           "\r\n20\r\n\r\ngins again\u2019s.\r\n* The note.\r\nFig. 2. A harbour\r\n")
    data = src.encode("cp1252")
    doc = load(data, "sample.txt")
    t = doc.text
    anchor = t.index(" *")
    props = [
        Proposal(t.index("\n\nFirst"), t.index("\n\nFirst") + 2, "\n\n", "para", kind="parbreak"),
        Proposal(anchor, anchor + 2, "", "note-anchor", 0.9, kind="anchor", item="n1"),
        Proposal(anchor + 2, anchor + 3, " ", "line-join", kind="join"),
        Proposal(t.index("20"), t.index("20") + 2, "", "page-number", 0.95, kind="fw",
                 data={"type": "pageNum", "n": "20"}),
        Proposal(t.index("* The"), t.index("* The") + 11, "", "footnote", 0.9, kind="note",
                 item="n1"),
        Proposal(t.index("Fig."), t.index("Fig.") + 17, "", "caption", 0.8, kind="caption",
                 item="c1"),
    ]
    doc.apply("layout", props)
    # a word rejoined across the page number: the edit is split around the protected fw
    t = doc.text
    doc.apply("hyphenation", [Proposal(t.index("be-"), t.index("gins") + 4, "begins", "dehyphenate", 0.9)])
    doc.blocks = [Block("head"), Block("p")]
    doc.notes = [item("note", "n1", "The note.", n="*", anchor=next(e.id for e in doc.edits if e.kind == "anchor"))]
    doc.captions = [item("caption", "c1", "Fig. 2. A harbour")]
    tei = round_trip(data, doc)
    root = etree.fromstring(tei)
    assert root.findtext("t:text//t:note", namespaces=NS) == "The note."
    assert root.findtext(".//t:note[@type='encoding']", namespaces=NS) == "cp1252"
    assert root.find(".//t:choice[@prev]", NS) is not None, "split edit should link its parts"


def test_restore_skips_note_copies_and_corrections() -> None:
    data = b"Himdreds of men *\nThe note\n"
    doc = load(data)
    t = doc.text
    doc.apply("characters", [Proposal(0, 8, "Hundreds", "misread", 0.7)])
    t = doc.text
    doc.apply("layout", [
        Proposal(t.index(" *"), t.index(" *") + 2, "", "note-anchor", kind="anchor", item="n1"),
        Proposal(t.index("The note"), t.index("The note") + 8, "", "footnote", kind="note",
                 item="n1"),
    ])
    doc.notes = [item("note", "n1", "The note", "CLEAN NOTE", n="*", anchor=doc.edits[-2].id)]
    tei = round_trip(data, doc)
    assert b"CLEAN NOTE" in tei and b"Hundreds" in tei
    assert original_text(etree.fromstring(tei)) == data.decode()


@pytest.mark.skipif(not RAW.is_dir(), reason="no raw/ corpus next to tests/")
@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")) if RAW.is_dir() else [], ids=lambda p: p.name)
def test_full_pipeline_round_trip(path: Path) -> None:
    """The real stages on the real corpus: whatever they do, the input comes back."""
    from pipeline.api import clean_bytes

    data = path.read_bytes()
    round_trip(data, clean_bytes(data, path.name))


# ---------------------------------------------------------------------- refusals
def _tei(data: bytes = b"some text\r\nmore") -> bytes:
    return round_trip(data)


def test_refuses_non_xml() -> None:
    with pytest.raises(TeiError, match="well-formed"):
        restore_bytes(b"this is not xml <")


def test_refuses_other_xml() -> None:
    with pytest.raises(TeiError, match="not a TEI file"):
        restore_bytes(b"<html><body/></html>")


def test_refuses_foreign_tei() -> None:
    foreign = (f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>x</title></titleStmt>'
               '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
               '<text><body><p>x</p></body></text></TEI>').encode()
    with pytest.raises(TeiError, match="not a TEI file written by ocrclean"):
        restore_bytes(foreign)


def test_refuses_edited_text() -> None:
    tei = _tei().replace(b"some text", b"some test")
    with pytest.raises(TeiError, match="sha256"):
        restore_bytes(tei)


def test_refuses_reindented_text() -> None:
    """Pretty-printing <text> changes the original whitespace: restore must notice, not guess."""
    root = etree.fromstring(_tei(b"one\n\ntwo"))
    etree.indent(root)
    with pytest.raises(TeiError, match="sha256"):
        restore_bytes(etree.tostring(root))


def test_refuses_unknown_scheme_and_missing_facts() -> None:
    tei = _tei()
    with pytest.raises(TeiError, match="scheme"):
        restore_bytes(tei.replace(f'n="{SCHEME_VERSION}" xml:id="ocrclean-restore"'.encode(),
                                  b'n="99" xml:id="ocrclean-restore"'))
    # a version-1 file (written before names existed) is still read
    assert restore_bytes(tei.replace(f'n="{SCHEME_VERSION}" xml:id="ocrclean-restore"'.encode(),
                                     b'n="1" xml:id="ocrclean-restore"')) == b"some text\r\nmore"
    with pytest.raises(TeiError, match="sha256, encoding or BOM"):
        restore_bytes(tei.replace(b'type="sha256"', b'type="md5"'))
    with pytest.raises(TeiError, match="unknown encoding"):
        restore_bytes(tei.replace(b">utf-8<", b">no-such-codec<"))


def test_writer_refuses_wrong_digest() -> None:
    doc = load(b"abc")
    with pytest.raises(OutputError, match="sha256"):
        to_tei(doc, source_name="x.txt", sha256=sha(b"abd"), version="0.1.0")


# ---------------------------------------------------------------------- generated
KINDS = ["correction", "encoding", "control", "newline", "fw", "note", "anchor", "caption", "noise",
         "parbreak", "join"]
#: The replacement each kind usually makes; any other text is drawn now and then.
TYPICAL = {"control": "", "newline": "\n", "fw": "", "note": "", "anchor": "", "caption": "", "noise": "",
           "parbreak": "\n\n", "join": " "}
REPLACEMENTS = ["", " ", "x", "\n", "\n\n", "\u00e9", "\u2014", "ab cd", "\t"]
ATOMS = ["a", "b", "Zq", "word", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", ".", "-", "*",
         "20", "\u00e9", "\u00df", "\u00ff", "\u00a0", "\u20ac", "\u2019", "\u00e2\u20ac\u2122", "\x85",
         "\U0001d518", "\u3042", "\x00", "\x0c", "\x1b", "\x7f", "\ufeff"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be+bom", "cp1252", "latin-1"]


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-be+bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


def _encodable(atom: str, encoding: str) -> bool:
    try:
        _encode(atom, encoding)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def inputs(draw: st.DrawFn) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    alphabet = [a for a in ATOMS if _encodable(a, encoding)]
    text = "".join(draw(st.lists(st.sampled_from(alphabet), max_size=40)))
    return _encode(text, encoding)


def _data_for(kind: str, data: st.DataObject) -> dict[str, str] | None:
    if kind == "fw":
        return {"type": data.draw(st.sampled_from(["pageNum", "header", "sectionNum", "odd type"])),
                "n": data.draw(st.sampled_from(["20", "xii", "", "7 "]))}
    return None


def _item_for(kind: str, data: st.DataObject) -> str | None:
    if kind in ("note", "anchor"):
        return data.draw(st.sampled_from(["n1", "n2", "n9"]))
    if kind == "caption":
        return data.draw(st.sampled_from(["c1", "c2", "c9"]))
    return None


def random_edits(doc: Document, data: st.DataObject) -> None:
    """A few batches of proposals of every kind at random places of the current text."""
    for stage in data.draw(st.lists(st.sampled_from(["layout", "spacing", "characters"]), max_size=3)):
        size = len(doc.text)
        proposals = []
        for _ in range(data.draw(st.integers(0, 6))):
            start = data.draw(st.integers(0, size))
            end = data.draw(st.integers(start, min(size, start + 6)))
            kind = data.draw(st.sampled_from(KINDS))
            typical = TYPICAL.get(kind)
            replacement = data.draw(st.sampled_from([typical] * 3 + REPLACEMENTS if typical is not None
                                                    else REPLACEMENTS))
            confidence = data.draw(st.sampled_from([1.0, 0.95, 0.5, 1 / 3]))
            proposals.append(Proposal(start, end, replacement, f"rule-{kind}", confidence, kind,
                                      _data_for(kind, data), _item_for(kind, data)))
        if data.draw(st.booleans()):
            doc.apply(stage, proposals)
        else:
            doc.suggest(stage, proposals[:1])
            doc.apply(stage, proposals[1:])
        doc.stages_run.append(stage)
    anchors = [e.id for e in doc.edits if e.kind == "anchor"] + [None, "e-missing"]
    doc.blocks = [Block(k) for k in data.draw(st.lists(st.sampled_from(["p", "head"]), max_size=8))]
    keys = data.draw(st.lists(st.sampled_from(["n1", "n2"]), unique=True))
    doc.notes = [item("note", key, "printed", f"note {key} \u00e9", n="*", anchor=data.draw(st.sampled_from(anchors)))
                 for key in keys]
    doc.captions = [item("caption", "c1", "printed", data.draw(st.sampled_from(["Caption", "", "x\u00e9"])))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=inputs(), data=st.data())
def test_generated_round_trip(raw: bytes, data: st.DataObject) -> None:
    assert restore_bytes(generated_tei(raw, data)) == raw


def generated_tei(raw: bytes, data: st.DataObject) -> bytes:
    """The TEI of ``raw`` loaded and given random edits (checked); inputs that do not decode are not assumed."""
    try:
        doc = load(raw, "sample.txt")
    except InputError:
        assume(False)
    random_edits(doc, data)
    doc.check()
    return export(doc, raw)
