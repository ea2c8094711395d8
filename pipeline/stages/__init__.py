"""The stages, in the one place that defines their order and their names.

Each stage module exposes ``STAGE`` (its name) and ``run(doc, ctx)``, which reads
``doc.text`` and commits :class:`~pipeline.document.Proposal` batches through
``ctx.commit`` (the one confidence policy: below ``--min-confidence`` a proposal is
recorded as a suggestion, not applied); none reaches into another stage's internals.
A new stage is a module with those two names, added to :data:`REPAIR_STAGES` (and to
:data:`FRAGMENT_STAGES` if notes and captions need it); see ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import difflib
from types import ModuleType

from pipeline.errors import OcrcleanError
from pipeline.stages import characters, decode, hyphenation, layout, names, punctuation, spacing

#: Order of the repair stages after decode (decode runs when the bytes are loaded).
#: Spacing runs again after characters: a repaired letter (``Br~t ish`` -> ``Brit ish``)
#: can reveal a split word that the first pass could not see, and output must be a
#: fixed point (cleaning clean text changes nothing).
#: Hyphenation runs again after punctuation, for words whose break only shows once stray marks
#: are gone (``com- '`` / ``r ades``).
#: Names run last: a name is recognisable only once it is repaired (see ``stages/names.py``).
REPAIR_STAGES: tuple[ModuleType, ...] = (layout, hyphenation, spacing, characters, spacing, punctuation,
                                         hyphenation, names)

#: The word-level stages, for short texts that are already one logical line (notes, captions).
#: No names stage: the TEI tags names only in the body, so notes keep their names as printed.
FRAGMENT_STAGES: tuple[ModuleType, ...] = (spacing, characters, spacing, punctuation)

#: Every stage by name, in pipeline order (decode first). Stages that may be disabled: all but decode.
STAGES: dict[str, ModuleType] = {m.STAGE: m for m in (decode, *REPAIR_STAGES)}
OPTIONAL_STAGES: tuple[str, ...] = tuple(name for name in STAGES if name != decode.STAGE)


def check_disabled(names: object) -> frozenset[str]:
    """The stage names to skip, checked: a name that is no stage (or ``decode``, which every other
    stage depends on) raises :class:`~pipeline.errors.OcrcleanError` naming the closest stage."""
    if isinstance(names, str):
        names = [names]
    try:
        found = frozenset(str(n) for n in names)  # type: ignore[attr-defined]
    except TypeError:
        raise OcrcleanError("disabled must be a list of stage names") from None
    for name in sorted(found):
        if name not in OPTIONAL_STAGES:
            close = difflib.get_close_matches(name, OPTIONAL_STAGES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise OcrcleanError(f"unknown stage {name!r} in disabled (stages: {', '.join(OPTIONAL_STAGES)}){hint}")
    return found


__all__ = ["REPAIR_STAGES", "FRAGMENT_STAGES", "STAGES", "OPTIONAL_STAGES", "check_disabled"]
