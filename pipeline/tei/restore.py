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

Why streamed (issue 9, bounded memory): the TEI of a 50 MB input is some 270 MB, and its lxml tree
took 3.9 GB. :func:`restore_stream` reads the file a chunk at a time through a parser target
(:class:`_Reader`, lxml's SAX-like interface): the ``teiHeader`` is built as a small tree (so
:func:`read_facts` reads it as before), ``<text>`` is never built - its characters are gathered as
the parser reports them, encoded and hashed a chunk at a time and written to the caller's sink. What
is held is the header, one chunk's characters and the parser's state, whatever the length.
:func:`original_text` and :func:`_collect` read an already built tree the same way; they are the
reference the stream reading is tested against (tests/test_restore_stream.py: the same bytes and the same
refusals, in the same order, whatever the chunk size). One difference, in files this tool never writes:
an entity declared in the file's own DTD is expanded by the parser target, where the tree kept an entity
node whose text restore skipped; the digest decides either way (external entities are never read).
"""

from __future__ import annotations

import codecs
import hashlib
import io
from dataclasses import dataclass
from typing import Protocol, cast

from lxml import etree

from pipeline.errors import InputError, TeiError
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
_ROOT = tei("TEI")
_HEADER = tei("teiHeader")
_TEXT = tei("text")
#: Bytes of TEI read and parsed at a time; the characters they hold are encoded before the next read.
CHUNK = 64 * 1024


@dataclass(frozen=True)
class SourceFacts:
    """What the header records about the input bytes."""

    name: str
    sha256: str
    encoding: str
    bom: bytes


class Readable(Protocol):
    """A binary stream restore reads the TEI from (a file opened ``"rb"``, ``io.BytesIO``)."""

    def read(self, size: int, /) -> bytes: ...


class Writable(Protocol):
    """A binary stream restore writes the original bytes to."""

    def write(self, data: bytes, /) -> object: ...


def restore_bytes(tei_data: bytes) -> bytes:
    """The original input bytes of a TEI file this tool wrote; raises :class:`TeiError` otherwise.

    Held meanwhile: ``tei_data`` (the caller's), the result, and what :func:`restore_stream` holds."""
    sink = io.BytesIO()
    restore_stream(io.BytesIO(tei_data), sink)
    return sink.getvalue()


def restore_stream(source: Readable, sink: Writable) -> SourceFacts:
    """Read a TEI file this tool wrote from ``source`` and write its original input bytes to ``sink``.

    The bytes are written as they are rebuilt, before the digest can be checked: when this raises
    :class:`TeiError` (not XML, not ours, an unknown scheme or codec, a damaged ``<text>``, bytes
    that do not hash to the recorded SHA-256) ``sink`` holds part or all of a wrong result, and the
    caller must discard it (the CLI writes to a temporary file it renames only on success). Returns
    the header's facts once the digest matched. A failed read of ``source`` raises
    :class:`InputError`; ``sink``'s own ``OSError`` is not caught. Memory: the header's tree, one
    :data:`CHUNK` of TEI and the characters it holds, whatever the length of the file (the whole
    text only when the codec is not known where ``<text>`` opens: no readable header before it,
    which this tool never writes).
    """
    reader = _Reader()
    out = _Output(sink)
    # the stubs' ParserTarget protocol lists callbacks lxml calls only when defined (start_ns, doctype)
    parser = etree.XMLParser(target=cast("etree.ParserTarget[None]", reader), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False,
                             remove_comments=False)
    try:
        while chunk := _read(source):
            parser.feed(chunk)
            out.take(reader)
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise TeiError(f"not well-formed XML: {exc}") from None
    # the checks in the order of the tree reading: root, header, <text>, its characters, codec, digest
    if reader.root is None:
        raise TeiError(f"not a TEI file: root element is {reader.root_tag!r}, expected TEI in {TEI_NS}")
    facts = read_facts(reader.root)
    if not reader.found_text:
        raise TeiError("TEI file has no <text>")
    if reader.failure is not None:
        raise reader.failure
    out.take(reader, facts)
    digest = out.finish()
    if digest != facts.sha256:
        raise TeiError(f"restored bytes do not match the recorded sha256 of {facts.name or 'the source'} "
                       f"(got {digest[:12]}..., expected {facts.sha256[:12]}...): the TEI was edited or "
                       "damaged")
    return facts


def _read(source: Readable) -> bytes:
    try:
        return source.read(CHUNK)
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from None


class _Reader:
    """Parser target (lxml calls ``start``, ``end``, ``data``, ``comment``, ``pi`` in document order).

    Builds the root element and its ``teiHeader`` children as a tree (nothing else of the root's other
    children), and gathers the original characters of the root's first ``<text>`` child in
    :attr:`pieces` with the semantics of :func:`_collect`; the caller empties :attr:`pieces` after
    each chunk fed. Never raises: lxml would turn an exception here into a misleading parse error,
    so a malformed ``g`` is kept in :attr:`failure` and raised by the caller in its turn.
    """

    def __init__(self) -> None:
        self._builder = etree.TreeBuilder()
        #: The root element as built (``TEI`` with its headers), None until then or when it is not TEI.
        self.root: etree._Element | None = None
        self.root_tag: str | None = None
        self.found_text = False
        #: The header's facts as read when ``<text>`` opened, if they could be read then.
        self.facts_at_text: SourceFacts | None = None
        self.pieces: list[str] = []
        self.failure: TeiError | None = None
        self._depth = 0  # elements open
        self._in_header = False  # inside a teiHeader child of the root: events go to the builder
        self._in_text = False  # inside the root's first <text>
        self._skip = 0  # elements open inside one whose content is not original (or an lb, a g ctl)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._depth += 1
        if self._depth == 1:
            self.root_tag = tag
            if tag == _ROOT:
                # lxml's TreeBuilder.start returns the new element (its stubs say None)
                self.root = self._builder.start(tag, attrib)  # type: ignore[func-returns-value]
        elif self.root is None:
            return  # not TEI: parsed for well-formedness only
        elif self._in_text:
            self._text_start(tag, attrib)
        elif self._in_header:
            self._builder.start(tag, attrib)
        elif self._depth == 2 and tag == _HEADER:
            self._in_header = True
            self._builder.start(tag, attrib)
        elif self._depth == 2 and tag == _TEXT and not self.found_text:
            self.found_text = self._in_text = True
            try:
                self.facts_at_text = read_facts(self.root)  # the headers before <text> are complete
            except TeiError:
                pass  # read again at the end, when the error (or a later header) is certain

    def _text_start(self, tag: str, attrib: dict[str, str]) -> None:
        if self._skip:
            self._skip += 1
        elif tag in _SKIP:
            self._skip = 1
        elif tag == _LB:
            self._add(LB_TEXT.get(attrib.get("type", ""), "\n"))
            self._skip = 1
        elif tag == _G and attrib.get("type") == CTL_TYPE:
            try:
                self._add(_code_point(attrib.get("n", "")))
            except TeiError as exc:
                if self.failure is None:
                    self.failure = exc
            self._skip = 1

    def end(self, tag: str) -> None:
        if self._depth == 1:
            if self.root is not None:
                self._builder.end(tag)
        elif self._in_text:
            if self._depth == 2:
                self._in_text = False
            elif self._skip:
                self._skip -= 1
        elif self._in_header:
            self._builder.end(tag)
            self._in_header = self._depth > 2
        self._depth -= 1

    def data(self, text: str) -> None:
        if self._in_text:
            if not self._skip:
                self._add(text)
        elif self._in_header:
            self._builder.data(text)

    def comment(self, text: str) -> None:
        if self._in_header:  # kept: a comment splits an element's text from the tail after it
            self._builder.comment(text)

    def pi(self, target: str, data: str) -> None:
        if self._in_header:
            self._builder.pi(target, data)

    def close(self) -> None:
        return None

    def _add(self, text: str) -> None:
        if self.failure is None:
            self.pieces.append(text)


class _Output:
    """The original characters encoded with the recorded codec and hashed as they come, written to a
    sink after the BOM. An encoding failure is kept (:attr:`failure`) and raised by :meth:`finish`,
    after the whole file was read: the tree reading reported a malformed ``g`` anywhere first."""

    def __init__(self, sink: Writable) -> None:
        self._sink = sink
        self._encode: codecs.IncrementalEncoder | None = None
        self._encoding = ""
        self._sha = hashlib.sha256()
        self._chars = 0  # characters encoded so far (the offset in an error message)
        self.failure: TeiError | None = None

    def take(self, reader: _Reader, facts: SourceFacts | None = None) -> None:
        """Encode and write what ``reader`` gathered, once the codec is known (``facts``, or the facts
        read when ``<text>`` opened); until then the characters stay in ``reader.pieces``."""
        if reader.failure is not None or self.failure is not None:
            reader.pieces.clear()  # the result is refused anyway
            return
        if self._encode is None:
            facts = facts or reader.facts_at_text
            if facts is None:
                return
            self._start(facts)
            if self._encode is None:
                reader.pieces.clear()
                return
        text = "".join(reader.pieces)
        reader.pieces.clear()
        self._add(text, final=False)

    def _start(self, facts: SourceFacts) -> None:
        # a byte of UTF-8 input that did not decode is a lone surrogate in the text (surrogateescape)
        errors = "surrogateescape" if facts.encoding == "utf-8" else "strict"
        try:
            "".encode(facts.encoding, errors)  # refuses what str.encode refuses (unknown, not text)
            self._encode = codecs.getincrementalencoder(facts.encoding)(errors)
        except LookupError:
            self.failure = TeiError(f"TEI records an unknown encoding {facts.encoding!r}")
            return
        self._encoding = facts.encoding
        self._sha.update(facts.bom)
        self._sink.write(facts.bom)

    def _add(self, text: str, final: bool) -> None:
        assert self._encode is not None
        try:
            data = self._encode.encode(text, final)
        except UnicodeEncodeError as exc:
            self.failure = TeiError(f"restored text cannot be encoded as {self._encoding} (character "
                                    f"{exc.object[exc.start]!r} at {self._chars + exc.start}): the TEI is "
                                    "damaged")
            self._encode = None
            return
        self._chars += len(text)
        self._sha.update(data)
        self._sink.write(data)

    def finish(self) -> str:
        """The hex SHA-256 of everything written (after the encoder's last bytes); raises the failure."""
        if self.failure is None and self._encode is not None:
            self._add("", final=True)
        if self.failure is not None:
            raise self.failure
        return self._sha.hexdigest()


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
