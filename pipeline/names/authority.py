"""The authority file: one line per person, group, place or organisation, and the spellings that name it.

Why TSV: a historian edits it in a text editor or a spreadsheet, and a change to
one entry is a one-line diff that a reviewer can read. The format (columns,
separators, flags) is documented in ``dictionaries/AUTHORITY.md``; this module
parses it strictly (every problem is reported as ``file:line: reason``), layers
user files over the shipped one, and expands each entry into its matchable
forms: the canonical form, the listed variants, the spellings generated from the
original script (:mod:`pipeline.names.romanize`) and the derived forms
(``Gamovites``) built on all of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from pipeline.errors import OcrcleanError
from pipeline.names.romanize import SCHEMES, cached_forms, hepburn_variants, script_language, target_form

#: The authority shipped with the tool.
SHIPPED = Path(__file__).resolve().parents[2] / "dictionaries" / "authority.tsv"
COLUMNS = ("id", "type", "canonical", "orig", "lang", "variants", "derived", "cues", "flags", "note")
REQUIRED = ("id", "type", "canonical")
TYPES = ("person", "group", "place", "org")
#: ``cued``: a one-word form needs a cue (forename, initials, title) or an earlier identification in the
#: document; ``word``: the name is also an English word; ``conventional``: the canonical form is the
#: established English name and stays under every romanization scheme; ``off``: drop the entry (in a
#: user file, to switch off a shipped one).
FLAGS = ("cued", "word", "conventional", "off")
_ID = regex.compile(r"[a-z][a-z0-9_.-]*")
_LIST_SEP = "|"


class AuthorityError(OcrcleanError):
    """An authority file cannot be read or has a malformed entry."""


@dataclass(frozen=True)
class Entry:
    """One entity: its id and type, the forms that name it, and what tells it apart."""

    id: str
    type: str
    canonical: str
    orig: tuple[str, ...] = ()
    lang: str = ""
    variants: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)
    note: str = ""
    source: str = ""

    @property
    def language(self) -> str:
        return self.lang or (script_language(self.orig[0]) if self.orig else "")

    @property
    def person(self) -> bool:
        return self.type in ("person", "group")

    def target(self, scheme: str = "canonical") -> str:
        """The form this entry is normalized to under ``scheme`` (the canonical one when the scheme has none).

        The last original-script form is the one romanized (list a historical or
        traditional spelling first and the modern one last).
        """
        if scheme == "canonical" or "conventional" in self.flags or not self.orig:
            if scheme != "canonical" and scheme not in SCHEMES:
                raise AuthorityError(f"unknown romanization scheme {scheme!r}")
            return self.canonical
        return target_form(self.orig[-1], self.language, scheme, self.person) or self.canonical

    def base_forms(self) -> dict[str, str]:
        """Every spelling of the name itself -> where it comes from (``canonical``, ``variant``, a system)."""
        out: dict[str, str] = {}

        def add(form: str, how: str) -> None:
            form = unicodedata.normalize("NFC", form.strip())
            if form and form not in out:
                out[form] = how

        add(self.canonical, "canonical")
        for v in self.variants:
            add(v, "variant")
        for orig in self.orig:
            for system, form in cached_forms(orig, self.language, self.person).items():
                add(form, system)
        if self.language == "ja":
            for form in [self.canonical, *self.variants]:
                for v in hepburn_variants(form):
                    add(v, "hepburn")
        return out


@dataclass(eq=False)
class Authority:
    """Entries by id, in file order (later files replace entries with the same id); hashed by identity,
    so the form index built from one loaded authority can be cached."""

    entries: dict[str, Entry]
    files: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(_LIST_SEP) if v.strip())


def parse_authority(text: str, source: str = "<authority>") -> list[Entry]:
    """Entries of one TSV file; raises :class:`AuthorityError` naming the file and line of a bad entry."""
    lines = text.splitlines()
    header: list[str] | None = None
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{source}:{number}"
        if header is None:
            header = [c.lower() for c in cells]
            unknown = [c for c in header if c not in COLUMNS]
            missing = [c for c in REQUIRED if c not in header]
            if unknown or missing:
                raise AuthorityError(f"{where}: header must name the columns {', '.join(COLUMNS)} "
                                     f"(unknown: {', '.join(unknown) or '-'}; missing: {', '.join(missing) or '-'})")
            continue
        if len(cells) > len(header):
            raise AuthorityError(f"{where}: {len(cells)} tab-separated cells, the header has {len(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        entry_id, kind, canonical = row["id"], row["type"].lower(), row["canonical"]
        if not _ID.fullmatch(entry_id):
            raise AuthorityError(f"{where}: id {entry_id!r} must be lowercase letters, digits, '-', '_' or '.', "
                                 "starting with a letter")
        if entry_id in seen:
            raise AuthorityError(f"{where}: id {entry_id!r} already used on line {seen[entry_id]}")
        seen[entry_id] = number
        flags = frozenset(f.lower() for f in _split(row.get("flags", "")))
        bad = sorted(flags - set(FLAGS))
        if bad:
            raise AuthorityError(f"{where}: unknown flag {bad[0]!r} (known: {', '.join(FLAGS)})")
        if kind not in TYPES and "off" not in flags:
            raise AuthorityError(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
        if not canonical and "off" not in flags:
            raise AuthorityError(f"{where}: entry {entry_id!r} has no canonical form")
        entries.append(Entry(
            id=entry_id, type=kind, canonical=canonical, orig=_split(row.get("orig", "")),
            lang=row.get("lang", "").lower(), variants=_split(row.get("variants", "")),
            derived=_split(row.get("derived", "")), cues=_split(row.get("cues", "")), flags=flags,
            note=row.get("note", ""), source=where))
    if header is None:
        raise AuthorityError(f"{source}: empty authority file (expected a header line: {chr(9).join(COLUMNS)})")
    return entries


def read_authority_file(path: Path) -> list[Entry]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthorityError(f"{path}: no such authority file") from None
    except IsADirectoryError:
        raise AuthorityError(f"{path}: is a folder, not an authority file") from None
    except UnicodeDecodeError:
        raise AuthorityError(f"{path}: authority file is not UTF-8 text") from None
    except OSError as exc:
        raise AuthorityError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_authority(text, str(path))


def _stamp(path: Path) -> tuple[str, float]:
    try:
        return str(path), path.stat().st_mtime
    except OSError:
        return str(path), -1.0


def load_authority(extra: Iterable[str | Path] = (), shipped: bool = True) -> Authority:
    """The shipped authority with the ``extra`` files layered over it, in order (cached per file state)."""
    paths = ([SHIPPED] if shipped else []) + [Path(p) for p in extra]
    return _load(tuple(_stamp(p) for p in paths))


@lru_cache(maxsize=8)
def _load(stamped: tuple[tuple[str, float], ...]) -> Authority:
    entries: dict[str, Entry] = {}
    for path, _ in stamped:
        for entry in read_authority_file(Path(path)):
            entries.pop(entry.id, None)
            if "off" not in entry.flags:
                entries[entry.id] = entry
    return Authority(entries, tuple(p for p, _ in stamped))
