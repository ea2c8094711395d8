"""Writing outputs safely: whole files or none, with the user's permissions.

Why: a run may be killed at any moment (``kill -9``, a full disk). Each output is written
to a temporary file beside its target and renamed into place only when complete, so a
reader sees the old file or the new one, never half of one. Temporary files carry one
prefix (:data:`TEMP_PREFIX`) so that the next run can sweep away those a killed run left.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: Prefix of every temporary file a run writes (``.ocrclean-tmp.<name>.<random>``).
TEMP_PREFIX = ".ocrclean-tmp."


def _umask() -> int:
    """The process umask (read by setting and restoring it; there is no other portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and a rename (never half a file).

    The file gets the permissions a plain ``open(path, "w")`` would give (0666 less the umask),
    not the 0600 of a temporary file. Raises ``OSError`` (full disk, a folder in the way, no
    permission); the target is then unchanged and no temporary file is left.
    """
    commit_staged(write_staged(path, lambda fh: fh.write(data)), path)


def write_staged(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """The first half of :func:`write_atomic`: ``write(fh)`` fills a temporary file beside ``path``
    (named with :data:`TEMP_PREFIX`, so a killed run's is swept away), which is flushed, fsynced and
    given the umask's permissions; returns its path. ``path`` itself is not touched until
    :func:`commit_staged`. Raises ``OSError`` (or what ``write`` raises) after removing the file.

    Why two halves: a batch worker writes a document's outputs as they are rendered (no copy of them
    in memory, none sent to the parent), and the process that keeps the manifest renames them into
    place (:func:`pipeline.batch.run_batch`)."""
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def commit_staged(tmp: Path, path: Path) -> None:
    """Rename a file made by :func:`write_staged` into place (atomic on one file system).
    ``IsADirectoryError`` when a folder is in the way, ``OSError`` otherwise; the temporary file is
    removed on failure and ``path`` is unchanged."""
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "a folder is in the way", str(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sweep_temporaries(folder: Path) -> int:
    """Remove the temporary files a killed run left under ``folder`` (recursively); how many."""
    removed = 0
    for path in folder.rglob(f"{TEMP_PREFIX}*"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
