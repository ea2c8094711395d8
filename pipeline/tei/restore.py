"""Rebuild the exact input bytes from a TEI file written by :mod:`pipeline.tei.writer`.

Why from the markup alone: the TEI is the archival copy, and a copy that needs
the pipeline's internal state (or the same code version) to be read back is not
one. The scheme is described in :mod:`pipeline.tei.scheme`; in short, restore
reads every character of ``<text>`` in document order, turns ``lb`` and
``g type="ctl"`` back into the characters they stand for, skips ``corr``,
``reg`` and ``note`` (cleaned and normalized text) and ``back`` (the authority
entries of the names; a name's printed text is in ``orig``, read like ``sic``),
encodes with the recorded codec and BOM, and refuses a result whose SHA-256
is not the recorded one - a damaged or hand-edited TEI must fail loudly rather
than yield plausible but wrong bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree

from pipeline.errors import TeiError
from pipeline.tei.scheme import (
    APP_IDENT,
    CTL_TYPE,
    LB_TEXT,
    READABLE_SCHEMES,
    SCHEME_ID,
    SOURCE_TYPE,
    TEI_NS,
    XML_ID,
    tei,
)

_NS = {"tei": TEI_NS}
#: Elements whose content is not original text.
_SKIP = frozenset({tei("corr"), tei("reg"), tei("note"), tei("back")})
_LB = tei("lb")
_G = tei("g")


@dataclass(frozen=True)
class SourceFacts:
    """What the header records about the input bytes."""

    name: str
    sha256: str
    encoding: str
    bom: bytes


def restore_bytes(tei_data: bytes) -> bytes:
    """The original input bytes of a TEI file this tool wrote; raises :class:`TeiError` otherwise."""
    root = _parse(tei_data)
    facts = read_facts(root)
    text = original_text(root)
    try:
        # a byte of UTF-8 input that did not decode is a lone surrogate in the text (surrogateescape)
        data = facts.bom + text.encode(facts.encoding, "surrogateescape" if facts.encoding == "utf-8" else "strict")
    except LookupError:
        raise TeiError(f"TEI records an unknown encoding {facts.encoding!r}") from None
    except UnicodeEncodeError as exc:
        raise TeiError(f"restored text cannot be encoded as {facts.encoding} "
                       f"(character {exc.object[exc.start]!r} at {exc.start}): the TEI is damaged") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != facts.sha256:
        raise TeiError(f"restored bytes do not match the recorded sha256 of {facts.name or 'the source'} "
                       f"(got {digest[:12]}..., expected {facts.sha256[:12]}...): the TEI was edited or "
                       "damaged")
    return data


def _parse(tei_data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                             remove_blank_text=False, remove_comments=False)
    try:
        root = etree.fromstring(tei_data, parser)
    except etree.XMLSyntaxError as exc:
        raise TeiError(f"not well-formed XML: {exc}") from None
    if root.tag != tei("TEI"):
        raise TeiError(f"not a TEI file: root element is {root.tag!r}, expected TEI in {TEI_NS}")
    return root


def read_facts(root: etree._Element) -> SourceFacts:
    """The recorded source facts, after checking that the file is ours and of a known scheme."""
    app = root.find(f"tei:teiHeader/tei:encodingDesc/tei:appInfo/tei:application[@ident='{APP_IDENT}']", _NS)
    if app is None:
        raise TeiError("not a TEI file written by ocrclean (no ocrclean application in the header)")
    decl = next((d for d in root.iterfind("tei:teiHeader/tei:encodingDesc/tei:editorialDecl", _NS)
                 if d.get(XML_ID) == SCHEME_ID), None)
    if decl is None or decl.get("n") not in READABLE_SCHEMES:
        found = "none" if decl is None else decl.get("n")
        raise TeiError(f"unsupported ocrclean restore scheme {found!r} "
                       f"(this version reads {', '.join(map(repr, READABLE_SCHEMES))})")
    bibl = root.find(f"tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='{SOURCE_TYPE}']", _NS)
    if bibl is None:
        raise TeiError("TEI header lacks the ocrclean source description (sourceDesc/bibl)")

    def field(path: str) -> str | None:
        el = bibl.find(path, _NS)
        return None if el is None else (el.text or "").strip()

    sha256 = field("tei:idno[@type='sha256']")
    encoding = field("tei:note[@type='encoding']")
    bom = field("tei:note[@type='bom']")
    if not sha256 or not encoding or bom is None:
        raise TeiError("TEI header lacks the source's sha256, encoding or BOM")
    try:
        bom_bytes = bytes.fromhex(bom)
    except ValueError:
        raise TeiError(f"TEI header records a malformed BOM {bom!r}") from None
    return SourceFacts(field("tei:idno[@type='filename']") or "", sha256.lower(), encoding, bom_bytes)


def original_text(root: etree._Element) -> str:
    """The decoded original text, read from ``<text>`` (not checked against the digest)."""
    text = root.find("tei:text", _NS)
    if text is None:
        raise TeiError("TEI file has no <text>")
    out: list[str] = []
    _collect(text, out)
    return "".join(out)


def _collect(el: etree._Element, out: list[str]) -> None:
    """Append the original characters of ``el`` (not its tail) to ``out``."""
    tag = el.tag
    if not isinstance(tag, str) or tag in _SKIP:
        return  # comments, processing instructions, cleaned text
    if tag == _LB:
        out.append(LB_TEXT.get(el.get("type", ""), "\n"))
        return
    if tag == _G and el.get("type") == CTL_TYPE:
        out.append(_code_point(el.get("n", "")))
        return
    if el.text:
        out.append(el.text)
    for child in el:
        _collect(child, out)
        if child.tail:
            out.append(child.tail)


def _code_point(n: str) -> str:
    try:
        if not n.startswith("U+"):
            raise ValueError(n)
        return chr(int(n[2:], 16))
    except (ValueError, OverflowError):
        raise TeiError(f"malformed control character reference g n={n!r}") from None
