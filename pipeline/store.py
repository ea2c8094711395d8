"""The per-user cache of prebuilt resources: where it lives, how files in it are named and written.

Where: ``$OCRCLEAN_CACHE`` if set, else platformdirs' ``user_cache_dir("ocrclean")``
(``~/.cache/ocrclean`` on Linux, ``~/Library/Caches/ocrclean`` on macOS,
``%LOCALAPPDATA%\\ocrclean\\Cache`` on Windows). The folder holds derived data only: deleting it
(or any file in it) at any time is safe and costs one rebuild on next use.

How a file is named and invalidated: ``KIND-KEY.EXT``, where KEY is a hash of everything the
content depends on (the data it is built from, the parameters of the build and the file format's
version): a change of any of them asks for another name, so a stale file is never read, only left
behind (:func:`prune` keeps the few most recent of a kind).

How a file is written: to a temporary file in the same folder, flushed, then renamed over the final
name (:func:`os.replace`, atomic on POSIX and Windows). Two processes that build the same file at
once each write their own temporary file and the last rename wins; both contents are equal, and a
reader never sees a half-written file.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
#: Files of one kind kept by :func:`prune` (several vocabularies in use, e.g. two projects' word lists).
KEEP = 4


def cache_dir() -> Path:
    """The cache folder (not created here): ``$OCRCLEAN_CACHE`` or ``user_cache_dir("ocrclean")``."""
    override = os.environ.get("OCRCLEAN_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ocrclean", appauthor=False))


def content_key(parts: Iterable[str | bytes]) -> str:
    """A 20-hex-digit BLAKE2b hash of ``parts`` (each length-prefixed, so part boundaries count)."""
    digest = hashlib.blake2b(digest_size=10)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def cache_path(kind: str, key: str, ext: str = "bin") -> Path:
    """Where the ``kind`` file of content ``key`` lives in :func:`cache_dir`."""
    return cache_dir() / f"{kind}-{key}.{ext}"


def write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Create ``path`` by calling ``write`` on a temporary file of its folder, then renaming it into place.

    Raises :class:`OSError` when the folder cannot be created or written (nothing is left behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def prune(kind: str, ext: str = "bin", keep: int = KEEP) -> None:
    """Delete all but the ``keep`` most recently written ``kind`` files of the cache (best effort:
    a file another process holds open stays readable to it on POSIX; on Windows it is skipped)."""
    try:
        found = sorted(cache_dir().glob(f"{kind}-*.{ext}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in found[keep:]:
            old.unlink()
    except OSError:
        pass



#: First bytes of a :func:`cached_data` file; the format's version is its last byte.
DATA_MAGIC = b"OCRDATA\x01"

log = logging.getLogger(__name__)


def cached_data(kind: str, key_parts: Iterable[str | bytes], build: Callable[[], T]) -> T:
    """The value ``build()`` returns, kept in the cache as a ``marshal`` file (plain data only: dicts,
    lists, tuples, sets, strings, numbers) under a key of ``key_parts`` and the Python version (marshal's
    format is the interpreter's). A missing, stale or damaged file (magic, length or CRC-32 wrong) is
    rebuilt and rewritten; when the cache cannot be written the built value is returned all the same."""
    path = cache_path(kind, content_key([*key_parts, sys.version, DATA_MAGIC]), "marshal")
    try:
        return _read_data(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as err:
        log.info("rebuilding the cached %s %s: %s", kind, path, err)
    value = build()
    try:
        payload = marshal.dumps(value)  # type: ignore[arg-type]  # ValueError for what marshal cannot store

        def write(fh: BinaryIO) -> None:
            fh.write(DATA_MAGIC + len(payload).to_bytes(8, "little") + zlib.crc32(payload).to_bytes(4, "little"))
            fh.write(payload)

        write_atomic(path, write)
        prune(kind, "marshal")
    except (OSError, ValueError) as err:
        log.warning("ocrclean: cannot write the cache folder %s (%s); resources are rebuilt at every start",
                    path.parent, err)
    return value


def _read_data(path: Path) -> Any:
    """The value of a :func:`cached_data` file; :class:`ValueError` when it is not one or is damaged."""
    raw = path.read_bytes()
    head = len(DATA_MAGIC) + 12
    if raw[:len(DATA_MAGIC)] != DATA_MAGIC:
        raise ValueError("not an ocrclean data file")
    size = int.from_bytes(raw[len(DATA_MAGIC):len(DATA_MAGIC) + 8], "little")
    payload = memoryview(raw)[head:]
    if len(payload) != size or zlib.crc32(payload) != int.from_bytes(raw[head - 4:head], "little"):
        raise ValueError("data file damaged (size or CRC mismatch)")
    return marshal.loads(payload)


def file_stamp(*files: str | Path) -> str:
    """What a cached result of code or data in ``files`` depends on: a hash of their contents (a few
    milliseconds for the module sources and word lists this is used with)."""
    return content_key(Path(name).read_bytes() for name in files)


#: Types whose values :func:`fitted_state` keeps (what ``marshal`` stores exactly).
_DATA = (dict, list, tuple, set, frozenset, str, bytes, int, float, bool, type(None))


def fitted_state(model: object) -> dict[str, object]:
    """The plain-data attributes of a fitted model (dict subclasses such as ``Counter`` as plain dicts),
    for :func:`cached_data`; other attributes (memo caches, bound methods) are left out: :func:`with_state`
    keeps those of a freshly constructed blank model."""
    return {name: dict(value) if isinstance(value, dict) else value
            for name, value in vars(model).items() if isinstance(value, _DATA)}


def with_state(blank: T, state: dict[str, object]) -> T:
    """``blank`` (a model constructed from no data) with the attributes of :func:`fitted_state` of a fitted
    one set on it; a dict subclass of ``blank``'s attribute (``Counter``) is restored as that class."""
    for name, value in state.items():
        kind = type(getattr(blank, name, None))
        if isinstance(value, dict) and kind is not dict and issubclass(kind, dict):
            value = kind(value)
        setattr(blank, name, value)
    return blank
