"""``python -m pipeline.names.regenerate``: rewrite the shipped spellings after editing the authority.

The spellings of every original-script form of the shipped authority, generated ahead so that a first
run imports neither romanization library (see :mod:`pipeline.names.romanize`). Kept apart from both
modules so that :mod:`pipeline.names.romanize` does not import the authority that imports it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.names.authority import load_authority
from pipeline.names.romanize import SHIPPED_FORMS, forms_payload


def shipped_forms_payload() -> dict[str, object]:
    """The content of ``shipped_forms.json``: every spelling the shipped authority needs, generated now."""
    entries = load_authority().entries.values()
    return forms_payload((orig, entry.language, entry.person) for entry in entries for orig in entry.orig)


def write_shipped_forms() -> Path:
    """Regenerate ``shipped_forms.json`` (run after changing the shipped authority or the romanization code)."""
    SHIPPED_FORMS.write_text(json.dumps(shipped_forms_payload(), ensure_ascii=False, sort_keys=True, indent=0)
                             + "\n", encoding="utf-8")
    return SHIPPED_FORMS


if __name__ == "__main__":
    print(write_shipped_forms())
