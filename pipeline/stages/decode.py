"""Stage 1, decode: bytes to text, then the repairs that belong to the encoding layer.

Why here and not later: every other stage reasons about letters, so mojibake,
odd line endings and characters XML cannot carry must be settled first. The
byte-level facts (encoding, BOM) go into ``doc.meta`` so restore can write the
exact bytes back; the text-level repairs are ordinary edits.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import ftfy
import regex

from pipeline.document import Document, EditKind, Proposal
from pipeline.errors import InputError

if TYPE_CHECKING:
    from pipeline.context import Context

STAGE = "decode"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Magic numbers of common binary formats that are never OCR text.
_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF", b"GIF8", b"\xff\xd8\xff", b"II*\x00",
          b"MM\x00*")
#: How UTF-8 input is decoded: a byte that does not decode becomes the lone surrogate U+DC80+byte
#: (Python's ``surrogateescape``, PEP 383), so the text keeps it and restore writes it back.
ERRORS = "surrogateescape"
#: Bytes of UTF-8 input that did not decode, as ``surrogateescape`` holds them.
UNDECODABLE = regex.compile(r"[\udc80-\udcff]")
#: Characters XML 1.0 forbids: C0 controls other than tab/LF/CR, and U+FFFE/U+FFFF.
XML_FORBIDDEN = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: C1 control characters.
C1_CONTROL = regex.compile(r"[\x80-\x9f]")


def detect_encoding(data: bytes) -> tuple[str, bytes]:
    """Return (codec name, BOM bytes) for raw input, or raise :class:`InputError`.

    Order matters: a BOM is authoritative; then UTF-16 without BOM is recognised by
    its pattern of NUL bytes; then strict UTF-8, or UTF-8 with a few bad bytes; then cp1252, which decodes
    all Western text, falling back to latin-1 for the five bytes cp1252 leaves undefined. The bytes as one
    chunk of :func:`detect_encoding_chunks`, which a long input read in chunks uses too.
    """
    return detect_encoding_chunks(lambda: (data,), len(data))


#: Bytes of the start of an input that the UTF-16 test samples.
SAMPLE_BYTES = 4096
#: A function that yields an input's bytes a chunk at a time, afresh on each call (one pass each).
Chunks = Callable[[], Iterable[bytes]]


def _head(chunks: Chunks, n: int) -> bytes:
    """The first ``n`` bytes (fewer for a shorter input)."""
    out = b""
    for block in chunks():
        out += block[:n - len(out)]
        if len(out) >= n:
            break
    return out


def _decodes(chunks: Chunks, codec: str, skip: int = 0) -> bool:
    """Whether the bytes after the first ``skip`` decode strictly as ``codec`` (one incremental pass)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        for block in _skipped(chunks(), skip):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _skipped(blocks: Iterable[bytes], skip: int) -> Iterator[bytes]:
    """``blocks`` without their first ``skip`` bytes."""
    for block in blocks:
        if skip:
            cut = min(skip, len(block))
            block, skip = block[cut:], skip - cut
        if block:
            yield block


def _mostly_utf8(chunks: Chunks) -> bool:
    """UTF-8 with a few bad bytes (a cp1252 byte pasted into UTF-8 text, a damaged sector): at least as
    many valid multi-byte characters as bytes that do not decode, in one incremental pass. Such a file stays
    UTF-8; its bad bytes become recorded edits (see :func:`_undecodable_bytes`) instead of turning every
    correct character of the file into mojibake by a cp1252 reading."""
    decoder = codecs.getincrementaldecoder("utf-8")(ERRORS)
    bad = good = 0
    for text in _decoded(chunks(), decoder):
        n_bad = sum(1 for _ in UNDECODABLE.finditer(text))
        bad += n_bad
        good += sum(1 for ch in text if ord(ch) > 0x7F) - n_bad
    return good >= bad


def _decoded(blocks: Iterable[bytes], decoder: codecs.IncrementalDecoder) -> Iterator[str]:
    for block in blocks:
        if text := decoder.decode(block):
            yield text
    if text := decoder.decode(b"", final=True):
        yield text


def detect_encoding_chunks(chunks: Chunks, size: int) -> tuple[str, bytes]:
    """(codec name, BOM bytes) of an input of ``size`` bytes read through ``chunks``, or
    :class:`InputError`, in the order :func:`detect_encoding` gives; each whole-input test is one pass of an
    incremental decoder over the chunks, so the choice does not depend on how the input is cut (the BOM,
    the file signature and the UTF-16 pattern are read from its start)."""
    head = _head(chunks, SAMPLE_BYTES)
    for bom, name in _BOMS:
        if head.startswith(bom):
            if name.startswith("utf-32") and not _decodes(chunks, name, len(bom)):
                continue  # ``FF FE 00 00`` is also UTF-16 LE text that starts with U+0000
            return name, bom
    if any(head.startswith(m) for m in _MAGIC):
        raise InputError("binary file (recognised file signature), not text")
    if size >= 4 and size % 2 == 0 and b"\x00" in head[:4096]:
        sample = head[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        for codec, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if zeros > 0.3 * half and others < 0.05 * half and _decodes(chunks, codec):
                return codec, b""
    if _decodes(chunks, "utf-8") or _mostly_utf8(chunks):
        return "utf-8", b""
    return ("cp1252", b"") if _decodes(chunks, "cp1252") else ("latin-1", b"")


def decode_bytes(data: bytes) -> tuple[str, dict[str, object]]:
    """Decode input bytes; returns the text and the facts restore needs."""
    encoding, bom = detect_encoding(data)
    try:
        text = data[len(bom):].decode(encoding, ERRORS if encoding == "utf-8" else "strict")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from None
    if text:
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
        if controls > max(8, 0.1 * len(text)):
            raise InputError(f"binary file ({controls} control characters in {len(text)}), not text")
    return text, {"encoding": encoding, "bom": bom.hex()}


def load(data: bytes, name: str = "-", ctx: Context | None = None) -> Document:
    """Bytes in, a :class:`Document` with the decode stage's edits committed (under ``ctx``'s
    confidence policy; without one, every repair is applied)."""
    text, meta = decode_bytes(data)
    doc = Document(text, name=name, meta=meta)
    run(doc, ctx)
    return doc


def run(doc: Document, ctx: Context | None = None) -> None:
    """Commit the text-level decode repairs as edits.

    The repairs every later stage and export depends on (bytes that did not decode become U+FFFD,
    characters XML forbids, line endings) are certain (confidence 1) and so always applied; the
    readings that are guesses (a bad byte read as cp1252, mojibake) are committed like any stage's.
    """
    def commit(proposals: list[Proposal]) -> None:
        if ctx is None:
            doc.apply(STAGE, proposals)
        else:
            ctx.commit(doc, STAGE, proposals)

    commit(_undecodable_bytes(doc.text))
    commit(_byte_readings(doc))
    commit(_control_characters(doc.text))
    commit(_line_endings(doc.text))
    commit(_mojibake(doc.text))
    commit(_letter_forms(doc.text))
    doc.stages_run.append(STAGE)


def _undecodable_bytes(text: str) -> list[Proposal]:
    """Each byte of UTF-8 input that did not decode becomes U+FFFD, the replacement character (the
    TEI keeps the byte, so restore stays byte-exact); :func:`_byte_readings` then guesses what it was."""
    return [Proposal(m.start(), m.end(), "\ufffd", "undecodable-byte", 1.0, kind=EditKind.ENCODING,
                     data={"byte": f"{ord(m.group()) - 0xDC00:02X}"})
            for m in UNDECODABLE.finditer(text)]


def _byte_readings(doc: Document) -> list[Proposal]:
    """Each byte :func:`_undecodable_bytes` replaced, read as cp1252, the usual source of a stray byte
    in UTF-8 text (``caf\\xe9`` is ``café``), at confidence 0.8, where cp1252 gives a printable
    character. Below ``--min-confidence`` the U+FFFD stays and the reading is a suggestion."""
    out = []
    for seg in doc.segments():
        edit = seg.edit
        if edit is not None and edit.rule == "undecodable-byte" and seg.text == "\ufffd":
            reading = bytes([int(edit.data["byte"], 16)]).decode("cp1252", "replace")
            if reading.isprintable() and reading != "\ufffd":
                out.append(Proposal(seg.start, seg.end, reading, "cp1252-byte", 0.8, kind=EditKind.ENCODING))
    return out


def _control_characters(text: str) -> list[Proposal]:
    """XML cannot carry C0 controls; removing them keeps every export valid (the TEI keeps the original).
    A C1 control (U+0080-U+009F) is no character of any printed text: it is a byte that no reading of the
    file explains (one of the five cp1252 leaves undefined, read as latin-1), so it becomes U+FFFD, as an
    undecodable byte does, and the reader sees that something stood there."""
    out = [Proposal(m.start(), m.end(), "", "xml-forbidden-character", 1.0, kind=EditKind.CONTROL)
           for m in XML_FORBIDDEN.finditer(text)]
    out += [Proposal(m.start(), m.end(), "\ufffd", "c1-control-character", 1.0, kind=EditKind.CONTROL)
            for m in C1_CONTROL.finditer(text)]
    return out


def _line_endings(text: str) -> list[Proposal]:
    """CRLF and lone CR become LF, so every later stage sees one kind of line break."""
    return [Proposal(m.start(), m.end(), "\n", "line-ending", 1.0, kind=EditKind.NEWLINE)
            for m in regex.finditer(r"\r\n?", text)]


#: Typographic ligatures (``ﬁ``, ``ﬂ``, ``ﬃ``, ``ﬅ`` ...): Unicode's presentation forms, which no
#: word list spells; each stands for its letters.
LIGATURE = regex.compile(r"[\ufb00-\ufb06]")
#: Long s, the printed form of ``s`` before 1800 or so; the reading text has ``s``.
LONG_S = "\u017f"
#: A soft hyphen (U+00AD) inside a word: an invisible break opportunity some engines write; one at a
#: line end is a line-break hyphen and is left to the hyphenation stage.
INNER_SOFT_HYPHEN = regex.compile(r"(?<=\p{L})\u00ad+(?=\p{L})")


def _letter_forms(text: str) -> list[Proposal]:
    """Printed letter forms that are not letters of the reading text: ligatures expand to their
    letters, long s reads as ``s``, a soft hyphen inside a word goes. Each is an edit, so the TEI
    keeps the printed form."""
    out = [Proposal(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()), "ligature", 1.0,
                    kind=EditKind.ENCODING) for m in LIGATURE.finditer(text)]
    out += [Proposal(m.start(), m.end(), "s", "long-s", 1.0, kind=EditKind.ENCODING)
            for m in regex.finditer(LONG_S, text)]
    out += [Proposal(m.start(), m.end(), "", "soft-hyphen-in-word", 1.0, kind=EditKind.ENCODING)
            for m in INNER_SOFT_HYPHEN.finditer(text)]
    return out


_SUSPECT = regex.compile(r"[\u00c2-\u00c3\u00e2\u00c5\u00ef][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d"
                         r"\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+")


def _mojibake(text: str) -> list[Proposal]:
    """Mojibake (UTF-8 read as cp1252: ``â€™`` for ``’``) repaired line by line with ftfy.

    Only lines that contain a typical mojibake sequence are handed to ftfy, and
    only its encoding repair is used (no quote uncurling or other cosmetics), so
    clean text is left byte-identical.
    """
    out: list[Proposal] = []
    pos = 0
    for line in text.split("\n"):
        if _SUSPECT.search(line):
            fixed = ftfy.fix_encoding(line)
            if fixed != line:
                out.append(Proposal(pos, pos + len(line), fixed, "mojibake", 0.95, kind=EditKind.ENCODING))
        pos += len(line) + 1
    return out
