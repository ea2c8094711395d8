"""The TEI scheme: how a :class:`~pipeline.document.Document` is written so that the original input can be
rebuilt from the TEI alone. One place for the names, ids and versions that the writer
(:mod:`pipeline.tei.writer`, :mod:`pipeline.tei.header`) and restore (:mod:`pipeline.tei.restore`) share.

Why this shape: the TEI is both the scholarly output (paragraphs, heads, page
furniture, notes, figures, corrections) and the archival copy of the scan's
text, so :mod:`pipeline.tei.restore` must get the exact input bytes back from it.
The rule that makes this possible is simple and checkable: **every character
of the original appears inside ``<text>`` in document order**, either as
character data or as an element that stands for it, and everything that is
*not* original (cleaned readings, relocated notes) sits in an element restore
skips. Nothing else is needed: no offsets, no stand-off tables.

Restore reads ``tei:text`` in document order and collects:

* character data (element text and tails) verbatim, including the whitespace
  between blocks - there is **no pretty-printing inside** ``<text>``: every
  space, tab, LF and CR (written ``&#13;``) there is the original's;
* ``<lb/>`` as a line break: ``"\\n"``, or ``"\\r\\n"`` / ``"\\r"`` when
  ``type="CRLF"`` / ``type="CR"``;
* ``<g type="ctl" n="U+000C"/>`` as that code point (characters XML 1.0 cannot
  carry: C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF);
* nothing from inside ``<corr>``, ``<reg>``, ``<note>`` or ``<back>``: those
  hold the cleaned text, normalized names and the authority entries used.

It then encodes the text with the codec and BOM recorded in the header and
checks the bytes against the recorded SHA-256.

How each piece of :class:`~pipeline.document.Document` is written (an edit's
``xml:id`` is the edit id; its ``ana`` points to the ``category`` declaring its
stage and rule in ``encodingDesc/classDecl``; a confidence below 1 is given by
a following ``<certainty target="#id" locus="value" degree="..."/>``; when an
edit is split into several elements, the later ones get ``id.2``, ``id.3`` ...
and ``prev`` pointing to the one before):

* unedited text: character data;
* ``parbreak`` (text ``"\\n\\n"``): the current block ends; the original
  whitespace stays between the blocks; a ``head`` block starts a new ``div``.
  Blocks are opened lazily, so furniture found between paragraphs (``fw``,
  ``pb``, ``figure``, ``lb``) stays between them;
* ``join`` (line break -> space) and ``newline`` (CRLF/CR -> LF): ``<lb/>`` per
  line break of the original (spaces and tabs around them stay as text);
* ``control``: ``<g type="ctl" n="U+XXXX"/>``;
* ``fw``: ``<fw type=... n=...>original</fw>``, followed by ``<pb n="n+1"/>``
  for a page number;
* ``caption``: ``<figure><head>original</head></figure>``; when the cleaned
  caption differs, the head holds ``<choice><sic>original</sic><corr>cleaned</corr></choice>``;
* ``note`` (the note where it was printed): ``<choice><sic>original</sic><corr/></choice>``
  with ``corresp`` pointing to the note. The note itself,
  ``<note place="foot" n="*">cleaned text</note>``, is a copy placed after the
  anchor mark's edit when ``doc.notes`` gives one, else right after its printed
  place, else at the end of the body;
* ``name`` (an occurrence of an authority entry): ``<persName>``, ``<placeName>``
  or ``<orgName>`` with ``ref`` to the entry; inside, the printed text, or
  ``<choice><orig>printed</orig><reg>normalized</reg></choice>`` when the
  name was normalized. Earlier edits inside the name (``data["parts"]``) are
  written inside it (inside ``orig``) in their usual form, so a repaired
  ``Sernyonov`` stays visible. The entries used are listed after the body in
  ``<back>`` (``listPerson``/``listPlace``/``listOrg``, from ``doc.meta["entities"]``): the entity's
  normalized, canonical and original-script names, each *other name* printed in the text (a renaming,
  an exonym, a translation: ``<placeName type="historical" from="1914" to="1924">Petrograd</placeName>``,
  ``type="other"`` when it is not out of use; its original-script forms follow with ``corresp`` to it),
  the other printed spellings (``type="variant"``) and the notes. An other name kept as printed
  carries the entity's ``ref`` in the body like any spelling;
* every other kind (``correction``, ``encoding``, ``noise``, ``anchor`` ...) and
  any edit whose shape does not fit the forms above: ``<choice><sic>original</sic>
  <corr type="kind" ana="#rule" resp="#ocrclean" cert="...">new</corr></choice>``.

An edit a reviewer accepted (:mod:`pipeline.review`) has ``resp="#ocrclean #reviewer.NAME"`` and
``cert="high"`` on its ``corr``, or, when another element stands for it (``lb``, ``fw`` ...), a following
``<respons target="#id" locus="value" resp="#ocrclean #reviewer.NAME"/>``; a reviewer's own edit
(stage ``review``) has ``resp="#reviewer.NAME"``. Each reviewer is a ``respStmt`` in ``titleStmt``.

Structural (non-inline) elements are never given text that is not the
original's, so a reader that ignores ``corr``, ``reg``, ``note`` and ``back``
sees the scan, and a reader that prefers ``corr`` and ``reg`` (the usual TEI
rendering) sees the clean, normalized text.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.document import Document, EditKind, FwType, Piece

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: ``application/@ident`` and the ``xml:id`` of the application: how restore knows the file is ours.
APP_IDENT = "ocrclean"
#: ``xml:id`` of the ``editorialDecl`` that describes the restore scheme; its ``n`` is the scheme version.
SCHEME_ID = "ocrclean-restore"
SCHEME_VERSION = "2"
#: Scheme versions restore reads: 1 had no names (no ``reg``, no ``back``), so it reads the same way.
READABLE_SCHEMES = ("1", "2")
#: Element per entity type of a ``name`` edit, and the list element of ``<back>`` it is declared in.
NAME_TAGS = {"person": "persName", "group": "persName", "place": "placeName", "org": "orgName"}
ENTITY_TAGS = {"person": ("listPerson", "person"), "group": ("listPerson", "personGrp"),
                "place": ("listPlace", "place"), "org": ("listOrg", "org")}
#: ``bibl/@type`` of the source description restore reads the byte-level facts from.
SOURCE_TYPE = "ocrclean-source"
#: ``lb/@type`` for line breaks other than a bare LF, and back.
LB_TYPES = {"\r\n": "CRLF", "\r": "CR"}
LB_TEXT = {"CRLF": "\r\n", "CR": "\r"}
#: ``g/@type`` of a character XML cannot hold.
CTL_TYPE = "ctl"

#: Characters outside XML 1.0's ``Char`` production (they become ``<g type="ctl"/>``).
NON_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Whitespace in the XML sense: the only text allowed between block elements.
XML_SPACE = re.compile("[ \t\r\n]*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|[ \t]+")
_WS = " \t\r\n"


def tei(tag: str) -> str:
    """Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{tag}"


XML_ID = f"{{{XML_NS}}}id"


def is_page_break(piece: Piece) -> bool:
    """Whether the TEI writes a ``<pb/>`` beside this piece: after a removed page number, before a
    running head that carries one (it stands at the top of its page).

    Shared with the JSONL record so its page count always agrees with the TEI.
    """
    edit = piece.edit
    if edit is None or edit.kind != EditKind.FW or piece.text != "":
        return False
    fw_type = str(edit.data.get("type", ""))
    return fw_type == FwType.PAGE_NUM or (fw_type == FwType.HEADER and str(edit.data.get("n", "")).isdigit())


def page_breaks(doc: Document) -> int:
    """Number of ``<pb/>`` the TEI of ``doc`` contains."""
    return sum(1 for window in doc.windows() for p in window.pieces if is_page_break(p))



#: An edit's id as :class:`~pipeline.document.Document` makes it: ``e`` and ten hex digits, then ``-N`` for the
#: N-th edit of the same digest (N from 2, no leading zero).
_EDIT_ID = re.compile(r"e([0-9a-f]{10})(?:-([1-9][0-9]{0,5}))?")


class Ids:
    """Hands out unique ``xml:id`` values (the schema checks ID uniqueness).

    The ids given out are remembered to the end (a long document's edits run to millions): those of the
    form of an edit id (:data:`_EDIT_ID`) as one integer each (its digest and number), half the memory of
    the string; the others as strings. The same answers as one set of strings: the coding is one to one."""

    def __init__(self) -> None:
        self.used: set[str] = {APP_IDENT, SCHEME_ID}
        self._edit_codes: set[int] = set()

    def __contains__(self, candidate: str) -> bool:
        code = _edit_code(candidate)
        return candidate in self.used if code is None else code in self._edit_codes

    def _add(self, candidate: str) -> None:
        code = _edit_code(candidate)
        if code is None:
            self.used.add(candidate)
        else:
            self._edit_codes.add(code)

    def make(self, wanted: str) -> str:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", wanted) or "id"
        if not re.match(r"[A-Za-z_]", base):
            base = "_" + base
        candidate, n = base, 1
        while candidate in self:
            n += 1
            candidate = f"{base}_{n}"
        self._add(candidate)
        return candidate


def _edit_code(candidate: str) -> int | None:
    """The integer an id of an edit's form stands for (digest times 2**20 plus its number, 0 for none);
    None for any other id."""
    m = _EDIT_ID.fullmatch(candidate)
    if m is None:
        return None
    return (int(m.group(1), 16) << 20) | int(m.group(2) or 0)


def xml_name(value: Any) -> str | None:
    """A value usable where the schema wants an XML Name (``@type``), or None."""
    s = re.sub(r"[^A-Za-z0-9._:-]+", "_", str(value)).strip("_")
    if not s:
        return None
    return s if re.match(r"[A-Za-z_:]", s) else "_" + s


def xml_text(value: Any) -> str:
    """A value safe in an attribute or header text (characters XML cannot hold are dropped)."""
    return NON_XML.sub("", str(value))

