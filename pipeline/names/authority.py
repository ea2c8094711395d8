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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import regex

from pipeline.errors import OcrcleanError
from pipeline.names.romanize import SCHEMES, cached_forms, hepburn_variants, script_language, target_form

#: The authority shipped with the tool.
SHIPPED = Path(__file__).resolve().parents[2] / "dictionaries" / "authority.tsv"
COLUMNS = ("id", "type", "canonical", "orig", "lang", "variants", "derived", "cues", "flags", "entity", "dates",
           "note")
REQUIRED = ("id", "type", "canonical")
TYPES = ("person", "group", "place", "org")
#: ``cued``: a one-word form needs a cue (forename, initials, title) or an earlier identification in the
#: document; ``word``: the name is also an English word; ``conventional``: the canonical form is the
#: established English name and stays under every romanization scheme; ``off``: drop the entry (in a
#: user file, to switch off a shipped one).
FLAGS = ("cued", "word", "conventional", "off")
_ID = regex.compile(r"[a-z][a-z0-9_.-]*")
#: When a name was in use: ``1914-1924``, ``-1924`` (until), ``1924-`` (since), or one year.
_DATES = regex.compile(r"(?P<start>\d{3,4})?\s*(?:[-–]\s*(?P<end>\d{3,4})?)?")
_LIST_SEP = "|"


class AuthorityError(OcrcleanError):
    """An authority file cannot be read or has a malformed entry."""


@dataclass(frozen=True)
class Entry:
    """One line of the authority: an entity, or another name of one (``entity`` set), with the
    spellings that write it and what tells it apart."""

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
    #: For another name of an entity (a renaming, an exonym, a translation): the id of the entity's
    #: own line. Empty for the entity's line itself.
    entity: str = ""
    #: When this name was in use, as written in the file (``1914-1924``, ``-1924``, ``1924-``).
    dates: str = ""

    @property
    def head(self) -> str:
        """The id of the entity this line names (its own id for an entity's line)."""
        return self.entity or self.id

    @property
    def years(self) -> tuple[int | None, int | None]:
        """``dates`` as (first year, last year); None where open or unknown."""
        m = _DATES.fullmatch(self.dates.strip()) if self.dates.strip() else None
        if m is None:
            return None, None
        start, end = m.group("start"), m.group("end")
        if start and end is None and "-" not in self.dates and "–" not in self.dates:
            end = start
        return (int(start) if start else None), (int(end) if end else None)

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

    def base_forms(self) -> dict[str, tuple[str, str]]:
        """Every spelling of the name itself -> (where it comes from, the original-script form it
        was generated from). Where: ``canonical``, ``variant`` (listed), ``hepburn`` or a
        romanization system (:func:`pipeline.names.romanize.generated_forms`); the original is
        ``""`` for the listed forms."""
        out: dict[str, tuple[str, str]] = {}

        def add(form: str, how: str, orig: str = "") -> None:
            form = unicodedata.normalize("NFC", form.strip())
            if form and form not in out:
                out[form] = (how, orig)

        add(self.canonical, "canonical")
        for v in self.variants:
            add(v, "variant")
        for orig in self.orig:
            for system, form in cached_forms(orig, self.language, self.person).items():
                add(form, system, orig)
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

    def head(self, entry_id: str) -> Entry:
        """The entity line a line belongs to (itself for an entity's own line)."""
        entry = self.entries[entry_id]
        return self.entries.get(entry.entity, entry) if entry.entity else entry


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
        entity = row.get("entity", "")
        if entity and not _ID.fullmatch(entity):
            raise AuthorityError(f"{where}: entity {entity!r} is not an id")
        if entity == entry_id:
            raise AuthorityError(f"{where}: entry {entry_id!r} names itself as its entity")
        dates = row.get("dates", "")
        if dates and (_DATES.fullmatch(dates) is None or not any(ch.isdigit() for ch in dates)):
            raise AuthorityError(f"{where}: dates {dates!r} must be years: 1914-1924, -1924, 1924- or 1905")
        if kind not in TYPES and "off" not in flags and not (entity and not kind):
            raise AuthorityError(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
        if not canonical and "off" not in flags:
            raise AuthorityError(f"{where}: entry {entry_id!r} has no canonical form")
        entries.append(Entry(
            id=entry_id, type=kind, canonical=canonical, orig=_split(row.get("orig", "")),
            lang=row.get("lang", "").lower(), variants=_split(row.get("variants", "")),
            derived=_split(row.get("derived", "")), cues=_split(row.get("cues", "")), flags=flags,
            note=row.get("note", ""), source=where, entity=entity, dates=dates))
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
    """The shipped authority with the ``extra`` files layered over it, in order (cached per file state).

    A line with the id of an earlier one replaces it; ``off`` removes it, and with an entity's line
    its other names. Raises :class:`AuthorityError` (``file:line: reason``) for a malformed file."""
    paths = ([SHIPPED] if shipped else []) + [Path(p) for p in extra]
    return _load(tuple(_stamp(p) for p in paths))


@lru_cache(maxsize=8)
def _load(stamped: tuple[tuple[str, float], ...]) -> Authority:
    entries: dict[str, Entry] = {}
    removed: set[str] = set()
    for path, _ in stamped:
        for entry in read_authority_file(Path(path)):
            entries.pop(entry.id, None)
            if "off" in entry.flags:
                removed.add(entry.id)
            else:
                removed.discard(entry.id)
                entries[entry.id] = entry
    entries = {k: e for k, e in entries.items() if e.entity not in removed}
    return Authority(_linked(entries), tuple(p for p, _ in stamped))


def _linked(entries: dict[str, Entry]) -> dict[str, Entry]:
    """Check the links of other names to their entities; a linked line without a type takes its
    entity's. Raises :class:`AuthorityError` for a link to a missing entity or to another name."""
    out: dict[str, Entry] = {}
    for entry in entries.values():
        if entry.entity:
            head = entries.get(entry.entity)
            if head is None:
                raise AuthorityError(f"{entry.source}: entity {entry.entity!r} is not in the authority")
            if head.entity:
                raise AuthorityError(f"{entry.source}: entity {entry.entity!r} is itself another name of "
                                     f"{head.entity!r}; link to {head.entity!r}")
            if not entry.type:
                entry = replace(entry, type=head.type)
            elif entry.type != head.type and {entry.type, head.type} != {"person", "group"}:
                raise AuthorityError(f"{entry.source}: type {entry.type!r} differs from its entity's ({head.type})")
        out[entry.id] = entry
    return out
