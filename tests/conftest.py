"""Shared fixtures: the pipeline API, and access to ../shared with the CI rule.

A test that needs ../shared (or jing) skips with a reason on a user's fresh
clone, but fails when the CI environment variable is set: there it must run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


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


def clean(text: str, **config: object) -> str:
    """Body text of ``text`` after the whole pipeline (names as printed), paragraphs joined by blank lines."""
    from pipeline.api import Config, clean_text

    config.setdefault("normalize", False)  # OCR repair is tested on printed forms
    doc = clean_text(text, Config(**config))  # type: ignore[arg-type]
    doc.check()
    return "\n\n".join(doc.paragraphs())
