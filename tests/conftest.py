"""Shared fixtures: the pipeline API, and access to ../shared with the CI rule.

A test that needs ../shared (or jing) skips with a reason on a user's fresh
clone, but fails when the CI environment variable is set: there it must run. The shared folder is
``$OCRCLEAN_SHARED`` when that is set, else ``shared`` beside the clone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.document import Document, EditKind, Furniture, Proposal

ROOT = Path(__file__).resolve().parents[1]
#: The shared data: ``$OCRCLEAN_SHARED`` when set (a clone anywhere), else ``shared`` beside the clone.
SHARED = Path(os.environ.get("OCRCLEAN_SHARED") or ROOT.parent / "shared").expanduser()


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` unless running in CI, where a missing resource is a failure."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared() -> Path:
    need(SHARED.is_dir(), f"{SHARED} (ground truth, benchmarks, schema) is not present")
    return SHARED


@pytest.fixture
def jing() -> str:
    path = shutil.which("jing")
    need(path is not None, "jing is not installed (apt-get install jing)")
    assert path is not None
    return path


#: The TEI schema every TEI output must validate against.
TEI_SCHEMA = SHARED / "schemas" / "tei_all.rng"


@pytest.fixture
def validate_tei(jing: str) -> Callable[[list[Path]], subprocess.CompletedProcess[str]]:
    """``validate(paths)``: jing over TEI files against tei_all.rng (needs jing and ../shared's schema;
    both are declared here, so a clone without ../shared skips and CI fails)."""
    need(TEI_SCHEMA.is_file(), f"{TEI_SCHEMA} (the TEI schema in ../shared) is not present")

    def validate(paths: list[Path]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([jing, str(TEI_SCHEMA), *map(str, paths)], capture_output=True, text=True,
                              timeout=600)

    return validate


def clean(text: str, **config: object) -> str:
    """Body text of ``text`` after the whole pipeline (names as printed), paragraphs joined by blank lines."""
    from pipeline.api import Config, clean_text

    config.setdefault("normalize", False)  # OCR repair is tested on printed forms
    doc = clean_text(text, Config(**config))  # type: ignore[arg-type]
    doc.check()
    return "\n\n".join(doc.paragraphs())


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """``ocrclean ARGS...`` in this process: (exit status, stdout bytes, stderr text)."""
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout_bytes, result.stderr


def item(kind: str, key: str, printed: str, text: str | None = None, **fields: object) -> Furniture:
    """A note or caption as layout records it (``kind``: ``note`` or ``caption``), its text repaired to
    ``text`` by one edit of its fragment when that differs from ``printed``."""
    made = Furniture(EditKind(kind), key, printed, **fields)  # type: ignore[arg-type]
    if text is not None and text != printed:
        made.fragment = Document(printed)
        made.fragment.apply("characters", [Proposal(0, len(printed), text, "test-repair", 0.9)])
    return made
