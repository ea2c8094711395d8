"""TEI export: structure checked with XPath, validity checked with jing against tei_all.rng.

Why jing and not only XPath: the TEI is only useful to other tools if it is
valid, and content models (what may sit between paragraphs, which attributes
an element takes, ID uniqueness) are exactly what hand-written XPath checks
miss. Every hand-built case below, a batch of randomly edited documents and the
real corpus are validated, each group with a single jing run to keep the suite
fast. The other exports (txt, JSONL, edits) are checked at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SHARED, item
from lxml import etree

from pipeline.document import Block, Document, Proposal
from pipeline.errors import InputError
from pipeline.export import edits_jsonl, to_jsonl_line, to_record, to_tei, to_txt
from pipeline.stages.decode import load
from pipeline.tei import TEI_NS, restore_bytes

SCHEMA = SHARED / "schemas" / "tei_all.rng"
RAW = Path(__file__).resolve().parents[1] / "raw"
NS = {"t": TEI_NS, "xml": "http://www.w3.org/XML/1998/namespace"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


# ---------------------------------------------------------------------- helpers
def validate(teis: list[bytes], tmp_path: Path) -> None:
    """Run jing once over all documents; skip when it cannot run, unless CI demands validation."""
    problems = []
    if shutil.which("jing") is None:
        problems.append("jing is not installed")
    if not SCHEMA.is_file():
        problems.append(f"schema {SCHEMA} is missing")
    if problems:
        reason = "cannot validate TEI: " + "; ".join(problems)
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so validation may not be skipped)")
        pytest.skip(reason)
    paths = []
    for i, tei in enumerate(teis):
        path = tmp_path / f"doc{i:04d}.tei.xml"
        path.write_bytes(tei)
        paths.append(str(path))
    result = subprocess.run(["jing", str(SCHEMA), *paths], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"jing rejected the TEI:\n{result.stdout[:5000]}"


def digest(doc: Document) -> str:
    data = bytes.fromhex(doc.meta.get("bom", "")) + doc.original.encode(doc.meta.get("encoding", "utf-8"))
    return hashlib.sha256(data).hexdigest()


def export(doc: Document) -> bytes:
    return to_tei(doc, source_name="sample.txt", sha256=digest(doc), version="1.2.3")


def tree(doc: Document) -> etree._Element:
    tei = export(doc)
    assert restore_bytes(tei) == bytes.fromhex(doc.meta.get("bom", "")) + doc.original.encode(
        doc.meta.get("encoding", "utf-8"))
    return etree.fromstring(tei)


def at(doc: Document, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Span of the n-th occurrence of ``needle`` in the current text."""
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(needle, start + 1)
    return start, start + len(needle)


def newline_before(doc: Document, word: str) -> tuple[int, int]:
    """Span of the line break just before ``word``."""
    start, _ = at(doc, "\n" + word)
    return start, start + 1


def make(text: str) -> Document:
    return Document(text, name="sample.txt", meta={"encoding": "utf-8", "bom": ""})


def run(doc: Document, stage: str, proposals: list[Proposal]) -> None:
    doc.apply(stage, proposals)
    doc.stages_run.append(stage)
    doc.check()


def body_text(el: etree._Element) -> str:
    """Text content without the cleaned parts (what restore reads, minus lb/g)."""
    return "".join(el.xpath(".//text()[not(ancestor::t:corr) and not(ancestor::t:note)]", namespaces=NS))


# ---------------------------------------------------------------------- cases
def case_blocks() -> Document:
    """Heads, paragraphs, printed line breaks joined, paragraph breaks."""
    doc = make("TITLE\n\nPara one\nline two.\n\nSECOND PART\n\n\nPara three.")
    run(doc, "layout", [
        Proposal(*at(doc, "\n\n"), "\n\n", "para", kind="parbreak"),
        Proposal(*newline_before(doc, "line"), " ", "line-join", kind="join"),
        Proposal(*at(doc, "\n\n", 1), "\n\n", "para", kind="parbreak"),
        Proposal(*at(doc, "\n\n\n"), "\n\n", "para", kind="parbreak"),
    ])
    doc.blocks = [Block("head"), Block("p"), Block("head"), Block("p")]
    return doc


def case_furniture() -> Document:
    """A running head, a page number and a stray section numeral between paragraphs."""
    doc = make("End of page.\n\n20\n\nTHE RUNNING HEAD\n\nII\n\nNext page.")
    run(doc, "layout", [
        Proposal(*at(doc, "20"), "", "page-number", 0.95, kind="fw", data={"type": "pageNum", "n": "20"}),
        Proposal(*at(doc, "THE RUNNING HEAD"), "", "running-head", 0.9, kind="fw", data={"type": "header"}),
        Proposal(*at(doc, "II"), "", "section-numeral", 0.8, kind="fw",
                 data={"type": "sectionNum", "n": "II"}),
    ])
    t = doc.text  # "End of page.\n\n\n\n\n\n\n\nNext page." with the furniture removed
    first = t.index("\n")
    run(doc, "layout", [Proposal(first, first + 2, "\n\n", "para", kind="parbreak"),
                        Proposal(first + 2, t.index("Next"), "", "furniture-gap", kind="join")])
    doc.blocks = [Block("p"), Block("p")]
    return doc


def case_note_anchored() -> Document:
    """A footnote printed at the page foot, moved to its anchor mark."""
    doc = make("He said so. * And more text.\n* The printed note.\nNext line.")
    run(doc, "layout", [
        Proposal(*at(doc, " *"), "", "note-anchor", 0.9, kind="anchor", item="note1"),
        Proposal(*at(doc, "* The printed note."), "", "footnote", 0.9, kind="note", item="note1"),
    ])
    anchor = next(e.id for e in doc.edits if e.kind == "anchor")
    doc.notes = [item("note", "note1", "The printed note.", n="*", anchor=anchor)]
    return doc


def case_note_unanchored() -> Document:
    """A note whose mark was not found: its copy stays where it was printed."""
    doc = make("Body text.\n1. Orphan note.\nMore body.")
    run(doc, "layout", [Proposal(*at(doc, "1. Orphan note."), "", "footnote", 0.9, kind="note",
                                 item="note1")])
    doc.notes = [item("note", "note1", "Orphan note.", n="1")]
    return doc


def case_caption() -> Document:
    """Two captions: one kept as printed, one whose cleaned text differs."""
    doc = make("Text before.\nFig. 1. Harbour\nText between.\nFig. 2. Ba y\nText after.")
    run(doc, "layout", [
        Proposal(*at(doc, "Fig. 1. Harbour"), "", "caption", 0.8, kind="caption", item="c1"),
        Proposal(*at(doc, "Fig. 2. Ba y"), "", "caption", 0.8, kind="caption", item="c2"),
    ])
    doc.captions = [item("caption", "c1", "Fig. 1. Harbour"), item("caption", "c2", "Fig. 2. Ba y", "Fig. 2. Bay")]
    return doc


def case_corrections() -> Document:
    """A misreading fixed, scanner noise removed, a suggestion that is not applied."""
    doc = make("Himdreds of men r \u00b7> marched.")
    run(doc, "characters", [Proposal(*at(doc, "Himdreds"), "Hundreds", "misread-u-as-i", 0.85)])
    run(doc, "layout", [Proposal(*at(doc, " r \u00b7>"), "", "scanner-noise", 0.7, kind="noise")])
    doc.suggest("spacing", [Proposal(*at(doc, "marched"), "march ed", "split", 0.2)])
    return doc


def case_decoded() -> Document:
    """Decode's own edits: a NUL, CRLF line ends, a CR, mojibake; then joins over CRLF."""
    doc = load(b"caf\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s\x00 first\r\nsecond\rthird\r\n\r\nnext", "sample.txt")
    run(doc, "layout", [Proposal(*newline_before(doc, "second"), " ", "line-join", kind="join"),
                        Proposal(*at(doc, "\n\n"), "\n\n", "para", kind="parbreak")])
    return doc


def case_empty() -> Document:
    return make("")


def case_split_edit() -> Document:
    """A word rejoined across a page number: one edit, two elements linked by prev."""
    doc = make("a long sen-\n\n12\n\ntence here")
    run(doc, "layout", [Proposal(*at(doc, "12"), "", "page-number", 0.95, kind="fw",
                                 data={"type": "pageNum", "n": "12"})])
    start, _ = at(doc, "sen-")
    _, end = at(doc, "tence")
    run(doc, "hyphenation", [Proposal(start, end, "sentence", "dehyphenate", 0.9)])
    return doc


def case_other_names() -> Document:
    """Other names of an entity (a renaming with dates, an open-ended one, an undated translation) printed
    and kept, tagged with the entity's ref; the entity list gives them with their years of use."""
    doc = make("From Petrograd to Tsaritsyn by the Maritime Province road.")
    petersburg = {"type": "place", "reg": "Saint Petersburg", "canonical": "Saint Petersburg",
                  "orig": ["Санкт-Петербург"], "lang": "ru", "note": "enwiki: Saint Petersburg",
                  "names": [{"id": "petrograd", "name": "Petrograd", "dates": "1914-1924", "years": [1914, 1924],
                             "orig": ["Петроград"], "lang": "ru", "note": "renamed in 1914"}]}
    volgograd = {"type": "place", "reg": "Volgograd", "canonical": "Volgograd", "orig": [], "lang": "ru",
                 "note": "", "names": [{"id": "tsaritsyn", "name": "Tsaritsyn", "dates": "-1925",
                                        "years": [None, 1925], "orig": [], "lang": "ru", "note": ""}]}
    primorye = {"type": "place", "reg": "Primorye", "canonical": "Primorye", "orig": [], "lang": "ru", "note": "",
                "names": [{"id": "maritime-province", "name": "Maritime Province", "dates": "", "years": [None, None],
                           "orig": ["Приморская область"], "lang": "ru", "note": "a translation"},
                          {"id": "broken", "name": "", "years": "1914"}]}
    doc.meta["entities"] = {"saint-petersburg": petersburg, "volgograd": volgograd, "primorye": primorye}
    run(doc, "names", [
        Proposal(*at(doc, name), name, "known-spelling", 0.95, kind="name",
                 data={"ref": ref, "type": "place", "reg": name, "orig": name, "relation": "name", "name": name_id})
        for name, ref, name_id in [("Petrograd", "saint-petersburg", "petrograd"),
                                   ("Tsaritsyn", "volgograd", "tsaritsyn"),
                                   ("Maritime Province", "primorye", "maritime-province")]])
    return doc


CASES: list[Callable[[], Document]] = [case_blocks, case_furniture, case_note_anchored, case_note_unanchored,
                                       case_caption, case_corrections, case_decoded, case_empty,
                                       case_split_edit, case_other_names]


# ---------------------------------------------------------------------- structure
def test_header_records_source_and_rules() -> None:
    doc = case_corrections()
    root = tree(doc)
    h = "t:teiHeader"
    assert "sample.txt" in root.findtext(f"{h}/t:fileDesc/t:titleStmt/t:title", namespaces=NS)
    bibl = root.find(f"{h}/t:fileDesc/t:sourceDesc/t:bibl", NS)
    assert bibl.findtext("t:idno[@type='filename']", namespaces=NS) == "sample.txt"
    assert bibl.findtext("t:idno[@type='sha256']", namespaces=NS) == digest(doc)
    assert bibl.findtext("t:note[@type='encoding']", namespaces=NS) == "utf-8"
    assert bibl.findtext("t:note[@type='bom']", namespaces=NS) == ""
    app = root.find(f"{h}/t:encodingDesc/t:appInfo/t:application", NS)
    assert (app.get("ident"), app.get("version")) == ("ocrclean", "1.2.3")
    assert "characters, layout" in "".join(app.itertext())
    # every rule that edited or suggested is declared, inside its stage's category
    for stage, rule in [("characters", "misread-u-as-i"), ("layout", "scanner-noise"), ("spacing", "split")]:
        cat = root.xpath(f"//t:category[t:catDesc[starts-with(., '{stage}/{rule}:')]]", namespaces=NS)
        assert len(cat) == 1
        assert cat[0].getparent().findtext("t:catDesc", namespaces=NS) == f"stage {stage}"


def test_blocks_divs_and_line_breaks() -> None:
    root = tree(case_blocks())
    divs = root.findall("t:text/t:body/t:div", NS)
    assert len(divs) == 2
    assert [c.tag.split("}")[1] for c in divs[0]] == ["head", "p"]
    assert divs[0].findtext("t:head", namespaces=NS) == "TITLE"
    p = divs[0].find("t:p", NS)
    assert body_text(p) == "Para oneline two." and len(p.findall("t:lb", NS)) == 1
    assert divs[1].findtext("t:head", namespaces=NS) == "SECOND PART"
    # the original blank lines stay between the blocks, nothing is added inside <text>
    assert divs[1].find("t:head", NS).tail == "\n\n\n"
    assert b"<text><body><div><head>" in export(case_blocks())


def test_page_furniture_and_page_breaks() -> None:
    root = tree(case_furniture())
    fws = root.findall(".//t:fw", NS)
    assert [(f.get("type"), f.get("n"), f.text) for f in fws] == [
        ("pageNum", "20", "20"), ("header", None, "THE RUNNING HEAD"), ("sectionNum", "II", "II")]
    pb = root.findall(".//t:pb", NS)
    assert [b.get("n") for b in pb] == ["21"]
    following = fws[0].xpath("following-sibling::*[not(self::t:certainty)][1]", namespaces=NS)[0]
    assert following.tag == f"{{{TEI_NS}}}pb"
    # furniture between paragraphs sits between the blocks, not inside a paragraph
    assert all(f.getparent().tag == f"{{{TEI_NS}}}div" for f in fws)
    assert [body_text(p) for p in root.findall("t:text//t:p", NS)] == ["End of page.", "Next page."]
    assert to_record(case_furniture(), source_name="sample.txt", sha256="x")["pages"] == 2


def test_note_placed_at_anchor_with_printed_original_linked() -> None:
    doc = case_note_anchored()
    root = tree(doc)
    note = root.find("t:text//t:note", NS)
    assert (note.get("place"), note.get("n"), note.text) == ("foot", "*", "The printed note.")
    anchor_edit = next(e for e in doc.edits if e.kind == "anchor")
    note_edit = next(e for e in doc.edits if e.kind == "note")
    previous = note.getprevious()
    if previous.tag == f"{{{TEI_NS}}}certainty":
        previous = previous.getprevious()
    assert previous.get(XML_ID) == anchor_edit.id and previous.findtext("t:sic", namespaces=NS) == " *"
    printed = root.xpath("//t:choice[@xml:id=$id]", id=note_edit.id, namespaces=NS)[0]
    assert printed.findtext("t:sic", namespaces=NS) == "* The printed note."
    assert printed.find("t:corr", NS).text is None
    assert printed.get("corresp") == "#" + note.get(XML_ID)
    assert note.get("corresp") == "#" + note_edit.id
    assert len(root.findall("t:text//t:note", NS)) == 1


def test_note_without_anchor_stays_where_printed() -> None:
    root = tree(case_note_unanchored())
    note = root.find("t:text//t:note", NS)
    assert note.text == "Orphan note." and note.get("n") == "1"
    printed = note.xpath("preceding-sibling::t:choice[1]", namespaces=NS)[0]
    assert printed.findtext("t:sic", namespaces=NS) == "1. Orphan note."


def test_captions_become_figures() -> None:
    root = tree(case_caption())
    heads = root.findall(".//t:figure/t:head", NS)
    assert heads[0].text == "Fig. 1. Harbour"
    assert heads[1].findtext("t:choice/t:sic", namespaces=NS) == "Fig. 2. Ba y"
    assert heads[1].findtext("t:choice/t:corr", namespaces=NS) == "Fig. 2. Bay"


def test_corrections_carry_id_rule_and_confidence() -> None:
    doc = case_corrections()
    root = tree(doc)
    edit = next(e for e in doc.edits if e.rule == "misread-u-as-i")
    choice = root.xpath("//t:choice[@xml:id=$id]", id=edit.id, namespaces=NS)[0]
    assert choice.findtext("t:sic", namespaces=NS) == "Himdreds"
    corr = choice.find("t:corr", NS)
    assert (corr.text, corr.get("type"), corr.get("resp"), corr.get("cert")) == (
        "Hundreds", "correction", "#ocrclean", "medium")
    category = root.xpath("//t:category[@xml:id=$id]", id=corr.get("ana")[1:], namespaces=NS)[0]
    assert category.findtext("t:catDesc", namespaces=NS).startswith("characters/misread-u-as-i:")
    certainty = root.xpath("//t:certainty[@target=$t]", t="#" + edit.id, namespaces=NS)[0]
    assert float(certainty.get("degree")) == pytest.approx(0.85)
    noise = root.xpath("//t:choice[t:corr/@type='noise']", namespaces=NS)[0]
    assert noise.findtext("t:sic", namespaces=NS) == " r \u00b7>"
    # suggestions are not applied, so they are not in the text
    assert b"march ed" not in export(doc)


def test_decode_edits_control_characters_and_line_ends() -> None:
    root = tree(case_decoded())
    g = root.find(".//t:g", NS)
    assert (g.get("type"), g.get("n")) == ("ctl", "U+0000")
    lbs = root.findall(".//t:lb", NS)
    assert [lb.get("type") for lb in lbs] == ["CRLF", "CR"]
    # the CRLF pair that became a paragraph break is written as it was, between the blocks
    assert root.findall("t:text//t:p", NS)[0].tail == "\r\n\r\n"
    assert "caf\u2019s" in root.xpath("string(//t:corr[@type='encoding'])", namespaces=NS)


def test_split_edit_links_its_parts() -> None:
    root = tree(case_split_edit())
    first, second = root.xpath("//t:choice[t:corr/@type='correction']", namespaces=NS)
    assert second.get("prev") == "#" + first.get(XML_ID)
    assert first.findtext("t:corr", namespaces=NS) == "sentence"
    assert second.find("t:corr", NS).text is None
    assert root.find(".//t:fw", NS).text == "12"


def test_other_names_tagged_in_the_body_and_dated_in_back() -> None:
    root = tree(case_other_names())
    body = root.findall(".//t:body//t:placeName", NS)
    assert [(p.get("ref"), p.text) for p in body] == [
        ("#place.saint-petersburg", "Petrograd"), ("#place.volgograd", "Tsaritsyn"),
        ("#place.primorye", "Maritime Province")]
    place = root.find(".//t:back/t:listPlace/t:place[@xml:id='place.saint-petersburg']", NS)
    petrograd = place.find("t:placeName[@type='historical']", NS)
    assert (petrograd.text, petrograd.get("from"), petrograd.get("to")) == ("Petrograd", "1914", "1924")
    original = place.find(f"t:placeName[@corresp='#{petrograd.get(XML_ID)}']", NS)
    assert (original.text, original.get("type"), original.get("from")) == ("Петроград", "original", "1914")
    assert original.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert place.find(f"t:note[@corresp='#{petrograd.get(XML_ID)}']", NS).text == "renamed in 1914"
    # the other name is listed as a name, not again as a printed variant
    assert place.find("t:placeName[@type='variant']", NS) is None
    tsaritsyn = root.find(".//t:place[@xml:id='place.volgograd']/t:placeName[@type='historical']", NS)
    assert (tsaritsyn.text, tsaritsyn.get("from"), tsaritsyn.get("to")) == ("Tsaritsyn", None, "1925")
    names = root.findall(".//t:place[@xml:id='place.primorye']/t:placeName", NS)
    # undated: type other, no dates; a record without a name is skipped
    assert [(n.get("type"), n.get("from"), n.text) for n in names] == [
        ("reg", None, "Primorye"), ("other", None, "Maritime Province"), ("original", None, "Приморская область")]


def test_hand_built_cases_validate(tmp_path: Path) -> None:
    validate([export(case()) for case in CASES], tmp_path)


def _random_document(rng: random.Random) -> Document:
    """A decoded random input with random proposals of every kind (the shapes layout may not make)."""
    atoms = ["word", " ", "\t", "\n", "\n\n", "\r\n", "\r", "\x00", "\x0c", "*", "20", "\u00e9", "\u00a0",
             "\u2014", "\U0001d518", "\x85"]
    while True:
        data = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 40))).encode(
            rng.choice(["utf-8", "utf-8-sig", "utf-16"]))
        try:
            doc = load(data, "sample.txt")
            break
        except InputError:  # e.g. too many control characters: decode rejects it, nothing to export
            continue
    kinds = ["correction", "control", "newline", "fw", "note", "anchor", "caption", "noise", "parbreak",
             "join", "name"]
    entity = rng.choice(["person", "group", "place", "org"])
    doc.meta["entities"] = {"r1": {"type": entity, "reg": "Reg", "canonical": "Canon", "orig": ["Орig"],
                                   "lang": "ru", "note": "a test entity"}}
    for stage in rng.sample(["layout", "spacing", "characters"], rng.randint(0, 3)):
        size = len(doc.text)
        proposals = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, size)
            end = rng.randint(start, min(size, start + 6))
            kind = rng.choice(kinds)
            extra = {"fw": {"type": rng.choice(["pageNum", "header", "odd type"]),
                            "n": rng.choice(["3", "x"])},
                     "name": {"ref": rng.choice(["r1", "unknown"]), "type": entity, "reg": "Reg", "orig": "x"},
                     }.get(kind)
            key = {"note": rng.choice(["n1", "n2"]), "anchor": rng.choice(["n1", "n2"]), "caption": "c1"}.get(kind)
            replacement = rng.choice(["", " ", "\n\n", "x\u00e9", "\n"])
            proposals.append(Proposal(start, end, replacement, f"rule {kind}/1", rng.random(), kind, extra, key))
        run(doc, stage, proposals)
    anchors = [e.id for e in doc.edits if e.kind == "anchor"] + [None]
    doc.blocks = [Block(rng.choice(["p", "head"])) for _ in range(rng.randint(0, 6))]
    doc.notes = [item("note", key, "a note", n="*", anchor=rng.choice(anchors)) for key in ("n1", "n2")]
    doc.captions = [item("caption", "c1", "printed caption", "clean caption")]
    return doc


def test_random_documents_validate(tmp_path: Path) -> None:
    rng = random.Random(20240611)
    teis = []
    for _ in range(120):
        doc = _random_document(rng)
        tei = export(doc)
        original = bytes.fromhex(doc.meta["bom"]) + doc.original.encode(doc.meta["encoding"])
        assert restore_bytes(tei) == original
        teis.append(tei)
    validate(teis, tmp_path)


@pytest.mark.skipif(not RAW.is_dir(), reason="no raw/ corpus next to tests/")
def test_real_corpus_validates(tmp_path: Path) -> None:
    from pipeline.api import clean_bytes

    teis = []
    for path in sorted(RAW.glob("*.txt")):
        data = path.read_bytes()
        teis.append(to_tei(clean_bytes(data, path.name), source_name=path.name,
                           sha256=hashlib.sha256(data).hexdigest(), version="0.1.0"))
    validate(teis, tmp_path)


# ---------------------------------------------------------------------- other exports
def test_txt_export() -> None:
    assert to_txt(case_empty()) == ""
    assert to_txt(case_blocks()) == "TITLE\n\nPara one line two.\n\nSECOND PART\n\nPara three.\n"
    assert to_txt(case_furniture()) == "End of page.\n\nNext page.\n"


def test_jsonl_record_and_line() -> None:
    doc = case_note_anchored()
    doc.captions = [item("caption", "c1", "A caption")]
    record = to_record(doc, source_name="dir/sample.txt", sha256="abc")
    assert record["id"] == "dir/sample"  # the path under the input folder, without its suffix
    assert record["body"] == "He said so. And more text.\n\nNext line."
    assert record["notes"] == ["The printed note."]
    assert record["captions"] == ["A caption"]
    assert record["pages"] == 1
    assert record["edits_by_stage"] == {"layout": 2}
    line = to_jsonl_line(doc, source_name="dir/sample.txt", sha256="abc")
    assert line.endswith("\n") and line.count("\n") == 1 and json.loads(line) == record


def test_edits_jsonl_includes_suggestions() -> None:
    doc = case_corrections()
    lines = edits_jsonl(doc).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [e.id for e in doc.edits]
    assert [r["applied"] for r in records] == [True, True, False]
    assert records[0]["source"] == "Himdreds" and records[0]["after"] == "Hundreds"
