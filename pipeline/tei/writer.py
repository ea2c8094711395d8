"""The TEI writer: a :class:`~pipeline.document.Document` as TEI P5 (the markup is described in
:mod:`pipeline.tei.scheme`)."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from typing import Any, BinaryIO

from lxml import etree

from pipeline.document import Document, Edit, EditKind, Furniture, FwType, Piece, Window
from pipeline.errors import OutputError
from pipeline.tei.header import build_header, declare_reviewers, declare_rules, reviewer_of, reviewers_of
from pipeline.tei.scheme import (
    APP_IDENT,
    CTL_TYPE,
    ENTITY_TAGS,
    LB_TYPES,
    NAME_TAGS,
    NON_XML,
    TEI_NS,
    XML_ID,
    XML_NS,
    XML_SPACE,
    Ids,
    tei,
    xml_name,
    xml_text,
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n|[ \t]+")
_WS = " \t\r\n"


def to_tei(doc: Document, *, source_name: str | None = None, sha256: str | None = None,
           version: str | None = None, stream: bool = True) -> bytes:
    """The TEI P5 document for ``doc`` as UTF-8 bytes (see the module docstring for the markup).

    ``sha256`` is the digest of the input bytes; it is checked here against the
    original text re-encoded with ``doc.meta``'s encoding and BOM, because a TEI
    that restore would reject must not be written at all (:class:`OutputError`).
    ``stream``: written block by block (:func:`write_tei`), so the element tree never holds more than
    one block; false builds the whole tree first and serializes it in one piece (the same bytes).
    """
    if stream:
        sink = io.BytesIO()
        write_tei(doc, sink, source_name=source_name, sha256=sha256, version=version)
        return sink.getvalue()
    root, header, text, writer = _start(doc, source_name, sha256, version)
    writer.write()
    writer.back()
    _indent_header(header)
    root.text = "\n  "
    header.tail = "\n  "
    text.tail = "\n"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def write_tei(doc: Document, sink: BinaryIO, *, source_name: str | None = None, sha256: str | None = None,
              version: str | None = None) -> None:
    """Write the TEI of :func:`to_tei` to the binary file ``sink`` as it is made, with lxml's incremental
    writer (``etree.xmlfile``): the header, then each block of the body once the next one opens, then the
    ``back``. Peak memory is the document plus the largest block, not the whole tree. The bytes equal
    ``to_tei(doc, stream=False)``'s. The digest is checked before anything is written (:class:`OutputError`);
    an ``OSError`` of ``sink`` propagates, leaving it incomplete (write to a temporary file)."""
    root, header, text, writer = _start(doc, source_name, sha256, version)
    _indent_header(header)
    header.tail = "\n  "
    with etree.xmlfile(sink, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(tei("TEI"), nsmap={None: TEI_NS}):
            xf.write("\n  ")
            xf.write(_detached(header))
            with xf.element(tei("text")):
                with xf.element(tei("body")):
                    writer.stream_to(xf)
                    writer.write()
                    writer.close_div()
                writer.back()
                back = text.find(tei("back"))
                if back is not None:
                    xf.write(_detached(back))
            xf.write("\n")


def _start(doc: Document, source_name: str | None, sha256: str | None,
           version: str | None) -> tuple[etree._Element, etree._Element, etree._Element, _Writer]:
    """The root, its header, its ``text`` element and the body's writer, after the digest check."""
    if version is None:
        from pipeline import __version__ as version
    source_name = doc.name if source_name is None else source_name
    encoding = str(doc.meta.get("encoding") or "utf-8")
    bom = str(doc.meta.get("bom") or "")
    digest = _source_digest(doc.original, encoding, bom, source_name)
    if sha256 is None:
        sha256 = digest
    elif sha256.lower() != digest:
        raise OutputError(f"{source_name}: cannot write a restorable TEI: the text re-encoded as {encoding} "
                          f"does not match the input's sha256 ({sha256})")

    ids = Ids()
    rules = declare_rules(doc, ids)
    reviewers = {name: ids.make(f"reviewer.{name}") for name in reviewers_of(doc)}
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = build_header(doc, root, ids, source_name=source_name, sha256=digest, version=str(version),
                          encoding=encoding, bom=bom, rules=rules)
    declare_reviewers(header, reviewers)
    text = etree.SubElement(root, tei("text"))
    return root, header, text, _Writer(doc, text, ids, rules, reviewers)


#: Characters of the original encoded at a time for its digest (so no second copy of a long input is made).
_DIGEST_CHUNK = 1 << 20


def _source_digest(original: str, encoding: str, bom: str, source_name: str) -> str:
    """SHA-256 (hex) of ``original`` encoded as the input was (``bom``: hex of its byte order mark), encoded
    piece by piece with an incremental encoder; :class:`OutputError` when it does not encode back."""
    digest = hashlib.sha256()
    try:
        digest.update(bytes.fromhex(bom))
        encoder = codecs.getincrementalencoder(encoding)("surrogateescape" if encoding == "utf-8" else "strict")
        for start in range(0, len(original), _DIGEST_CHUNK):
            digest.update(encoder.encode(original[start:start + _DIGEST_CHUNK]))
        digest.update(encoder.encode("", final=True))
    except (LookupError, UnicodeEncodeError, ValueError) as exc:
        raise OutputError(f"{source_name}: cannot write a restorable TEI: the text does not encode "
                          f"back as {encoding} ({exc})") from None
    return digest.hexdigest()


def _indent_header(header: etree._Element) -> None:
    """Indent the header only: whitespace inside ``<text>`` is original text (see module docstring)."""
    etree.indent(header, space="  ", level=1)


def _detached(el: etree._Element) -> etree._Element:
    """``el`` taken out of its tree with its tail, its tags without the TEI namespace, ready for
    ``xmlfile.write`` inside the root that declares it as the default: serialized within its tree it
    would repeat ``xmlns`` on its tag. Attributes keep their namespaces (``xml:id``)."""
    prefix = "{" + TEI_NS + "}"
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag.startswith(prefix):
            node.tag = node.tag[len(prefix):]
    parent = el.getparent()
    if parent is not None:
        tail = el.tail
        parent.remove(el)
        el.tail = tail
    return el


def _cert(confidence: float) -> str:
    """The schema's coarse ``@cert`` scale; the exact value goes into ``<certainty degree>``."""
    if confidence >= 0.9:
        return "high"
    if confidence >= 0.6:
        return "medium"
    return "low"


def _degree(confidence: float) -> str:
    return f"{min(1.0, max(0.0, confidence)):.3f}".rstrip("0").rstrip(".") or "0"



# ---------------------------------------------------------------------- body
def _append_text(parent: etree._Element, s: str) -> None:
    """Append character data at the end of ``parent`` (as its text or its last child's tail)."""
    if not s:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + s
    else:
        parent.text = (parent.text or "") + s


def literal(parent: etree._Element, s: str) -> None:
    """Append text, writing each character XML cannot hold as ``<g type="ctl" n="U+XXXX"/>``."""
    pos = 0
    for m in NON_XML.finditer(s):
        _append_text(parent, s[pos:m.start()])
        etree.SubElement(parent, tei("g"), type=CTL_TYPE, n=f"U+{ord(m.group()):04X}")
        pos = m.end()
    _append_text(parent, s[pos:])


def _split_ws(s: str) -> tuple[str, str, str]:
    """(leading whitespace, core, trailing whitespace); all core when there is no core."""
    core = s.strip(_WS)
    if not core:
        return "", s, ""
    lead = s[:len(s) - len(s.lstrip(_WS))]
    return lead, core, s[len(lead) + len(core):]


def _inner_edits(edit: Edit, doc: Document, by_id: dict[str, list[tuple[int, Edit]]] | None = None) -> list[Edit]:
    """The earlier edits a name edit holds (its ``parts``), in the order they were made.

    ``by_id``: the document's edits by id (:func:`_edits_by_id`), so that a document with many names
    is not scanned once per name."""
    if edit.kind != EditKind.NAME or not edit.data or not isinstance(edit.data.get("parts"), list):
        return []
    ids = {str(p[2]) for p in edit.data["parts"] if isinstance(p, list) and len(p) == 4}
    if not ids:
        return []
    if by_id is None:
        return [e for e in doc.edits if e.id in ids]
    found = [(k, e) for i in ids for k, e in by_id.get(i, [])]
    return [e for _, e in sorted(found, key=lambda x: x[0])]


def _name_years(years: Any) -> dict[str, str]:
    """``from``/``to`` attributes for a name's years of use (``[first, last]``, None where open); W3C
    years have at least four digits. Empty when nothing usable is given."""
    if not isinstance(years, (list, tuple)) or len(years) != 2:
        return {}
    out = {}
    for attr, year in zip(("from", "to"), years, strict=True):
        if isinstance(year, int) and not isinstance(year, bool) and 0 < year <= 9999:
            out[attr] = f"{year:04d}"
    return out


def _edits_by_id(edits: list[Edit]) -> dict[str, list[tuple[int, Edit]]]:
    """Every edit of a document (or of a window of one) under its id, with its position in ``edits``."""
    out: dict[str, list[tuple[int, Edit]]] = {}
    for k, e in enumerate(edits):
        out.setdefault(e.id, []).append((k, e))
    return out


class _Writer:
    """Writes the pieces into ``<text><body>``: one pass, blocks opened lazily.

    The pieces and edits are read window by window (:meth:`~pipeline.document.Document.windows`: one for
    a document in memory): the tables keyed by edit (xml:ids, name parts, note anchors) hold one window's
    edits at a time, the rest (ids handed out, blocks, notes, names) the whole document's. Edits never
    span windows, and each window's notes are anchored in it."""

    def __init__(self, doc: Document, text: etree._Element, ids: Ids,
                 rules: dict[tuple[str, str], str], reviewers: dict[str, str] | None = None) -> None:
        self.doc = doc
        self.reviewers = reviewers or {}
        self.ids = ids
        self.rules = rules
        self.text_el = text
        self.body = etree.SubElement(text, tei("body"))
        self.div = etree.SubElement(self.body, tei("div"))
        self.div_has_block = False  # whether self.div holds a p or head yet (a head then opens a new div)
        self.block: etree._Element | None = None
        self.index = 0  # block number in doc.blocks (one per parbreak)
        self.kinds = [str(getattr(b, "kind", b)) for b in doc.blocks]
        self._windows = doc.windows()
        self.window = next(self._windows, None) or Window([], [], [])
        self._enter()
        self.notes: dict[str, Furniture] = {n.id: n for n in doc.notes}
        self.note_ids = {key: ids.make(f"note.{key}") for key in self.notes}
        self.printed: dict[str, str] = {}  # note id -> xml:id of its printed (sic) place
        self.copies_at: dict[int, list[str]] = {}  # id(anchor edit) -> note ids placed after it
        self.pending: set[str] = set()  # the note ids still waiting in copies_at
        self.placed: set[str] = set()
        self._plan_notes()
        #: Where inline items go instead of the block while a name's content is written.
        self.into: etree._Element | None = None
        entities = doc.meta.get("entities") or {}
        self.entities: dict[str, dict[str, Any]] = {k: v for k, v in entities.items()
                                                    if isinstance(v, dict) and v.get("type") in NAME_TAGS}
        self.entity_ids = {key: ids.make(f"{ent['type']}.{key}") for key, ent in self.entities.items()}
        self.used_entities: dict[str, list[str]] = {}
        #: The incremental writer the body goes to (:func:`write_tei`), None while the tree is built whole;
        #: ``div_started``: whether the open ``div``'s start tag is written (its context is ``_div_context``).
        self.xf: Any = None
        self.div_started = False
        self._div_context: Any = None

    # ------------------------------------------------------------ streaming
    def stream_to(self, xf: Any) -> None:
        """Write finished blocks to ``xf`` (an open ``etree.xmlfile`` inside ``<body>``) instead of keeping
        them: called before :meth:`write`, which then calls :meth:`flush` whenever a block opens."""
        self.xf = xf

    def flush(self) -> None:
        """Write what the open ``div`` holds so far (its text, every child with its tail) and drop it. Only
        between blocks: everything there is final (later text goes after it, as the div's text again)."""
        if self.xf is None:
            return
        div = self.div
        if not self.div_started:
            if div.text is None and not len(div):
                return
            self._div_context = self.xf.element(tei("div"))
            self._div_context.__enter__()
            self.div_started = True
        if div.text:
            self.xf.write(div.text)
            div.text = None
        for child in list(div):
            self.xf.write(_detached(child))

    def close_div(self) -> None:
        """Write the rest of the open ``div`` and its end tag (an empty div as ``<div/>``, as the whole tree
        serializes it); the body's ``div`` element is emptied for the next one."""
        if self.xf is None:
            return
        self.flush()
        if self.div_started:
            self._div_context.__exit__(None, None, None)
            self._div_context, self.div_started = None, False
        else:
            self.xf.write(etree.Element("div"))

    # ------------------------------------------------------------ planning
    def _enter(self) -> None:
        """Take up :attr:`window`: its edits by id, and the xml:ids of the edits its pieces hold, fixed up
        front so that links can point forward (the tables of the window before are dropped)."""
        window = self.window
        self._all_by_id = _edits_by_id(window.edits)
        #: Earlier edits by id (a name's ``parts`` refer to them).
        self.edits_by_id = {e.id: e for e in window.edits}
        self.edit_ids: dict[int, str] = {}
        self.parts: dict[int, list[str]] = {}
        self.copies_at = {}
        for piece in window.pieces:
            if piece.edit is not None and id(piece.edit) not in self.edit_ids:
                self.edit_ids[id(piece.edit)] = self.ids.make(piece.edit.id or "edit")

    def _plan_notes(self) -> None:
        """Decide where each note of the window goes: after its anchor when that edit is in the text."""
        by_id: dict[str, Edit] = {}
        for piece in self.window.pieces:
            edit = piece.edit
            if edit is None:
                continue
            by_id.setdefault(edit.id, edit)
            for inner in _inner_edits(edit, self.doc, self._all_by_id):  # a note's anchor inside a name
                by_id.setdefault(inner.id, inner)
            if edit.kind == EditKind.NOTE and piece.text == "" and edit.item in self.notes:
                self.printed.setdefault(edit.item, self.edit_ids[id(edit)])
        anchors: dict[str, Edit] = {}  # note id -> the first anchor edit naming it
        for e in by_id.values():
            if e.kind == EditKind.ANCHOR and e.item is not None:
                anchors.setdefault(e.item, e)
        for key in self.window.notes:
            note = self.notes[key]
            edit = by_id.get(note.anchor) if note.anchor is not None else None
            if edit is None:
                edit = anchors.get(key)
            if edit is not None:
                self.copies_at.setdefault(id(edit), []).append(key)
                self.pending.add(key)

    # ------------------------------------------------------------ placement
    def ensure_block(self) -> etree._Element:
        """The open block, opening the next one (``p`` or ``head``, per ``doc.blocks``) if needed."""
        if self.block is None:
            kind = self.kinds[self.index] if self.index < len(self.kinds) else "p"
            tag = "head" if kind == "head" else "p"
            if tag == "head" and self.div_has_block:
                if self.xf is not None:
                    self.close_div()
                    self.body.remove(self.div)
                self.div = etree.SubElement(self.body, tei("div"))
            else:
                self.flush()
            self.block = etree.SubElement(self.div, tei(tag))
            self.div_has_block = True
        return self.block

    def container(self, inline: bool) -> etree._Element:
        """Where the next item goes: phrase-level items need a block, others may sit between blocks."""
        if self.into is not None:
            return self.into
        if inline:
            return self.ensure_block()
        return self.block if self.block is not None else self.div

    def text(self, s: str) -> None:
        """Original character data; whitespace alone may stay between blocks."""
        if not s:
            return
        inline = not XML_SPACE.fullmatch(s)
        literal(self.container(inline), s)

    def element(self, tag: str, edit: Edit | None, *, inline: bool, **attrs: str) -> etree._Element:
        """A new element for (part of) an edit, with its id, rule and link to the previous part."""
        parent = self.container(inline)
        el = etree.SubElement(parent, tei(tag))
        for key, value in attrs.items():
            el.set(key, value)
        if edit is not None:
            self._identify(el, edit)
        return el

    def _identify(self, el: etree._Element, edit: Edit, ana: bool = True) -> None:
        base = self.edit_ids.get(id(edit)) or self.ids.make(edit.id or "edit")
        parts = self.parts.setdefault(id(edit), [])
        xml_id = base if not parts else self.ids.make(f"{base}.{len(parts) + 1}")
        el.set(XML_ID, xml_id)
        if parts:
            el.set("prev", "#" + parts[-1])
        parts.append(xml_id)
        rule = self.rules.get((edit.stage, edit.rule))
        if rule and ana:
            el.set("ana", "#" + rule)
        reviewed = self.reviewed(edit)
        if ana and reviewed is not None:  # elements other than corr carry no resp: a respons points to them
            parent = el.getparent()
            assert parent is not None
            parent.insert(parent.index(el) + 1, etree.Element(tei("respons"), target="#" + xml_id, locus="value",
                                                             resp=reviewed))

    def reviewed(self, edit: Edit) -> str | None:
        """``resp`` of a reviewed edit: the reviewer alone for their own edit, else ocrclean and the reviewer."""
        name = reviewer_of(edit)
        if name is None or name not in self.reviewers:
            return None
        who = "#" + self.reviewers[name]
        return who if edit.stage == "review" else f"#{APP_IDENT} {who}"

    def certainty(self, el: etree._Element, edit: Edit) -> None:
        """Record a confidence below 1 next to the element (absent means 1)."""
        if edit.confidence >= 1.0:
            return
        cert = etree.Element(tei("certainty"), target="#" + el.get(XML_ID, ""), locus="value",
                             degree=_degree(edit.confidence))
        tail, el.tail = el.tail, None
        el.addnext(cert)  # right after the element, in constant time (parent.index would scan the block)
        cert.tail = tail

    # ------------------------------------------------------------ pieces
    def write(self) -> None:
        while True:
            self._write_window()
            window = next(self._windows, None)
            if window is None:
                break
            self.window = window
            self._enter()
            self._plan_notes()
        self.window = Window([], [], [])
        self._enter()
        for key in self.notes:
            if key not in self.placed:
                self.note_copy(key)

    def _write_window(self) -> None:
        for piece in self.window.pieces:
            if piece.edit is None:
                self.text(piece.text)
                continue
            edit = piece.edit
            first = id(edit) not in self.parts
            self.piece(piece, edit, self.doc.original[piece.src_start:piece.src_end])
            if first:
                for inner in [edit, *_inner_edits(edit, self.doc, self._all_by_id)]:
                    for key in self.copies_at.pop(id(inner), []):
                        self.pending.discard(key)
                        self.note_copy(key)

    def piece(self, piece: Piece, edit: Edit, orig: str) -> None:
        kind, new = edit.kind, piece.text
        if kind == EditKind.PARBREAK and new == "\n\n":
            self.parbreak(edit, orig)
        elif kind == EditKind.CONTROL and new == "" and orig and all(NON_XML.fullmatch(ch) for ch in orig):
            for ch in orig:
                el = self.element("g", edit, inline=True, type=CTL_TYPE, n=f"U+{ord(ch):04X}")
                self.certainty(el, edit)
        elif kind in (EditKind.JOIN, EditKind.NEWLINE) and self._line_breaks(edit, orig, new):
            pass
        elif kind == EditKind.FW and new == "":
            self.fw(edit, orig)
        elif kind == EditKind.CAPTION and new == "":
            self.figure(edit, orig)
        elif kind == EditKind.NOTE and new == "":
            self.printed_note(edit, orig)
        elif kind == EditKind.NAME and self._name_shape(piece, edit):
            self.name(piece, edit, orig)
        else:
            self.choice(edit, orig, new)

    def _name_shape(self, piece: Piece, edit: Edit) -> bool:
        """Whether a name edit can be written as a name: a known entity, one piece, one block, and
        ``parts`` (if any) that tile its span of the original exactly."""
        data = edit.data or {}
        if str(data.get("ref", "")) not in self.entities or self.into is not None:
            return False
        if piece.text != edit.after or "\n\n" in piece.text or (piece.src_start, piece.src_end) != (
                edit.start, edit.end) or not piece.text.strip():
            return False
        parts = data.get("parts")
        if parts is None:
            return True
        pos = edit.start
        for part in parts:
            if not isinstance(part, list) or len(part) not in (2, 4) or part[0] != pos or part[1] < pos:
                return False
            pos = part[1]
        return pos == edit.end

    def name(self, piece: Piece, edit: Edit, orig: str) -> None:
        """A name: the printed text (with any earlier repairs), and the normalized form when it differs."""
        ref = str(edit.data["ref"])
        entity = self.entities[ref]
        el = self.element(NAME_TAGS[entity["type"]], edit, inline=True, ref="#" + self.entity_ids[ref])
        self.used_entities.setdefault(ref, [])
        printed = str(edit.data.get("orig", edit.before))
        if printed not in self.used_entities[ref]:
            self.used_entities[ref].append(printed)
        if piece.text == edit.before:
            self._name_content(el, edit, orig)
        else:
            choice = etree.SubElement(el, tei("choice"))
            self._name_content(etree.SubElement(choice, tei("orig")), edit, orig)
            literal(etree.SubElement(choice, tei("reg")), piece.text)
        self.certainty(el, edit)

    def _name_content(self, parent: etree._Element, edit: Edit, orig: str) -> None:
        """The original text of a name, with the earlier edits inside it in their own markup."""
        parts = edit.data.get("parts")
        if not parts:
            literal(parent, orig)
            return
        self.into = parent
        try:
            for part in parts:
                start, end = int(part[0]), int(part[1])
                source = self.doc.original[start:end]
                inner = self.edits_by_id.get(str(part[2])) if len(part) == 4 else None
                if inner is None:
                    self.text(source)
                else:
                    self.piece(Piece(start, end, str(part[3]), inner), inner, source)
        finally:
            self.into = None

    def back(self) -> None:
        """The authority entries the body refers to, after the body (restore skips ``back``)."""
        if not self.used_entities:
            return
        back = etree.SubElement(self.text_el, tei("back"))
        for list_tag in ("listPerson", "listPlace", "listOrg"):
            used = [k for k in self.used_entities if ENTITY_TAGS[self.entities[k]["type"]][0] == list_tag]
            if not used:
                continue
            holder = etree.SubElement(back, tei(list_tag))
            for key in used:
                self._entity(holder, key)
        etree.indent(back, space="  ", level=2)
        back.text = "\n      "
        back.tail = None
        self.body.tail = None

    def _entity(self, holder: etree._Element, key: str) -> None:
        ent = self.entities[key]
        name_tag = NAME_TAGS[ent["type"]]
        el = etree.SubElement(holder, tei(ENTITY_TAGS[ent["type"]][1]))
        el.set(XML_ID, self.entity_ids[key])
        etree.SubElement(el, tei(name_tag), type="reg").text = xml_text(ent.get("reg", ""))
        if ent.get("canonical") and ent.get("canonical") != ent.get("reg"):
            etree.SubElement(el, tei(name_tag), type="canonical").text = xml_text(ent["canonical"])
        for form in ent.get("orig") or []:
            name = etree.SubElement(el, tei(name_tag), type="original")
            if re.fullmatch(r"[a-z]{2,3}", str(ent.get("lang", ""))):
                name.set(f"{{{XML_NS}}}lang", str(ent["lang"]))
            name.text = xml_text(form)
        known = {str(ent.get("reg", "")).casefold(), str(ent.get("canonical", "")).casefold()}
        notes: list[tuple[str, str]] = []
        for other in ent.get("names") or []:
            if not isinstance(other, dict) or not str(other.get("name") or "").strip():
                continue
            xml_id = self._other_name(el, name_tag, key, other)
            known.add(str(other["name"]).casefold())
            if other.get("note") and other["note"] != ent.get("note"):
                notes.append((xml_id, str(other["note"])))
        for printed in self.used_entities[key]:
            if printed.casefold() not in known:
                known.add(printed.casefold())
                etree.SubElement(el, tei(name_tag), type="variant").text = xml_text(printed)
        if ent.get("note"):
            etree.SubElement(el, tei("note")).text = xml_text(ent["note"])
        for xml_id, note in notes:
            etree.SubElement(el, tei("note"), corresp="#" + xml_id).text = xml_text(note)

    def _other_name(self, el: etree._Element, name_tag: str, key: str, other: dict[str, Any]) -> str:
        """Another name of the entity (a renaming, an exonym, a translation) and its original-script
        forms, dated by ``from``/``to`` (the years it was in use); type ``historical`` when it went out
        of use, else ``other``. Returns the name element's ``xml:id`` (the originals' ``corresp``)."""
        dates = _name_years(other.get("years"))
        kind = "historical" if "to" in dates else "other"
        attrs: dict[str, str] = {"type": kind, **dates}
        name = etree.SubElement(el, tei(name_tag), attrs)
        xml_id = self.ids.make(f"{self.entity_ids[key]}.{other.get('id') or 'name'}")
        name.set(XML_ID, xml_id)
        name.text = xml_text(other["name"])
        lang = str(other.get("lang", ""))
        for form in other.get("orig") or []:
            orig_attrs: dict[str, str] = {"type": "original", "corresp": "#" + xml_id, **dates}
            orig = etree.SubElement(el, tei(name_tag), orig_attrs)
            if re.fullmatch(r"[a-z]{2,3}", lang):
                orig.set(f"{{{XML_NS}}}lang", lang)
            orig.text = xml_text(form)
        return xml_id

    def parbreak(self, edit: Edit, orig: str) -> None:
        """Close the block; the original whitespace stays between this block and the next."""
        self.block = None
        self.index += 1
        if XML_SPACE.fullmatch(orig):
            self.text(orig)
        else:
            self.choice(edit, orig, "")

    def _line_breaks(self, edit: Edit, orig: str, new: str) -> bool:
        """``<lb/>`` per original line break, when the edit only turned line breaks into space/LF/nothing."""
        tokens = _LINE_BREAK.findall(orig)
        if "".join(tokens) != orig or not any(t[0] in "\r\n" for t in tokens):
            return False
        if edit.kind == EditKind.NEWLINE and not (new == "\n" and orig in LB_TYPES):
            return False
        if edit.kind == EditKind.JOIN and new not in ("", " "):
            return False
        for tok in tokens:
            if tok[0] in "\r\n":
                el = self.element("lb", edit, inline=False)
                if tok in LB_TYPES:
                    el.set("type", LB_TYPES[tok])
                self.certainty(el, edit)
            else:
                self.text(tok)
        return True

    def fw(self, edit: Edit, orig: str) -> None:
        """Page furniture keeps its printed text; a page number is followed by the next page's ``pb``."""
        lead, core, trail = _split_ws(orig)
        self.text(lead)
        attrs: dict[str, str] = {}
        fw_type = xml_name(edit.data.get("type", "")) if edit.data else None
        if fw_type:
            attrs["type"] = fw_type
        if edit.data and edit.data.get("n") not in (None, ""):
            attrs["n"] = xml_text(edit.data["n"])
        if fw_type == FwType.HEADER and attrs.get("n", "").isdigit():  # the test is_page_break makes
            etree.SubElement(self.container(False), tei("pb")).set("n", attrs["n"])
        el = self.element("fw", edit, inline=False, **attrs)
        literal(el, core)
        self.certainty(el, edit)
        if edit.data and str(edit.data.get("type", "")) == FwType.PAGE_NUM:  # the test is_page_break makes
            n = str(edit.data.get("n", "")).strip()
            pb = etree.SubElement(self.container(False), tei("pb"))
            if re.fullmatch(r"[0-9]+", n):
                pb.set("n", str(int(n) + 1))
        self.text(trail)

    def figure(self, edit: Edit, orig: str) -> None:
        """A caption: the printed text is the figure's head; the cleaned caption is its ``corr``."""
        lead, core, trail = _split_ws(orig)
        self.text(lead)
        key = edit.item or ""
        caption = next((c for c in self.doc.captions if c.id == key), None)
        attrs = {"n": xml_text(key)} if key else {}
        el = self.element("figure", edit, inline=False, **attrs)
        head = etree.SubElement(el, tei("head"))
        clean = caption.text if caption else core
        if clean == core:
            literal(head, core)
        else:
            choice = etree.SubElement(head, tei("choice"))
            literal(etree.SubElement(choice, tei("sic")), core)
            literal(etree.SubElement(choice, tei("corr")), clean)
        self.certainty(el, edit)
        self.text(trail)

    def printed_note(self, edit: Edit, orig: str) -> None:
        """The note where it was printed, as removed text linked to its (cleaned) copy."""
        key = edit.item or ""
        choice = self.choice(edit, orig, "")
        if key in self.notes:
            choice.set("corresp", "#" + self.note_ids[key])
            if key not in self.pending and key not in self.placed:
                self.note_copy(key)
        else:
            # a note layout did not list: still show it as a note, with its printed text trimmed
            note = self.element("note", None, inline=False, place="foot")
            note.set("corresp", "#" + str(choice.get(XML_ID)))
            literal(note, orig.strip())

    def note_copy(self, key: str) -> None:
        """The cleaned note at its place in the reading text (restore skips it)."""
        note = self.notes[key]
        self.placed.add(key)
        el = self.element("note", None, inline=False, place="foot")
        el.set(XML_ID, self.note_ids[key])
        if note.n:
            el.set("n", xml_text(note.n))
        if key in self.printed:
            el.set("corresp", "#" + self.printed[key])
        literal(el, note.text)

    def choice(self, edit: Edit, orig: str, new: str) -> etree._Element:
        """The generic form: the original in ``sic``, the stage's text in ``corr``."""
        choice = self.element("choice", None, inline=True)
        self._identify(choice, edit, ana=False)  # the rule goes on the corr, with its type and cert
        literal(etree.SubElement(choice, tei("sic")), orig)
        reviewed = self.reviewed(edit)
        corr = etree.SubElement(choice, tei("corr"), resp=reviewed or "#" + APP_IDENT,
                                cert="high" if reviewed else _cert(edit.confidence))
        kind = xml_name(edit.kind)
        if kind:
            corr.set("type", kind)
        rule = self.rules.get((edit.stage, edit.rule))
        if rule:
            corr.set("ana", "#" + rule)
        literal(corr, new)
        self.certainty(choice, edit)
        return choice
