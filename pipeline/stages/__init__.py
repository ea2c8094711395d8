"""The stages, in the one place that defines their order and their names.

Each stage module exposes ``STAGE`` (its name) and ``run(doc, ctx)``, which reads
``doc.text`` and commits :class:`~pipeline.document.Proposal` batches through
``ctx.commit`` (the one confidence policy: below ``--min-confidence`` a proposal is
recorded as a suggestion, not applied); none reaches into another stage's internals.
A new stage is a module with those two names, added to :data:`REPAIR_STAGES` (and to
:data:`FRAGMENT_STAGES` if notes and captions need it), its rules to the rule table
(:mod:`pipeline.stages.rules`); see ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import difflib
from types import ModuleType

from pipeline.errors import OcrcleanError
from pipeline.stages import characters, decode, hyphenation, layout, names, punctuation, spacing
from pipeline.stages.rules import RULES

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


def stage_rules(stage: str) -> frozenset[str]:
    """The rule names ``stage`` can record, from the rule table (:data:`pipeline.stages.rules.RULES`).
    Used to check ``stage/rule`` entries of ``disabled``."""
    return frozenset(RULES.get(stage, ()))


def check_disabled(names: object) -> frozenset[str]:
    """The stages and rules to skip, checked. An entry is a stage name (``names``) or ``stage/rule``
    (``punctuation/space-before-punctuation``; see :func:`stage_rules`). A name that is no stage (or
    ``decode``, which every other stage depends on) or no rule of its stage raises
    :class:`~pipeline.errors.OcrcleanError` naming the closest one."""
    if isinstance(names, str):
        names = [names]
    try:
        found = frozenset(str(n) for n in names)  # type: ignore[attr-defined]
    except TypeError:
        raise OcrcleanError("disabled must be a list of stage names or stage/rule names") from None
    for name in sorted(found):
        stage, _, rule = name.partition("/")
        if stage not in OPTIONAL_STAGES:
            close = difflib.get_close_matches(stage, OPTIONAL_STAGES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise OcrcleanError(f"unknown stage {stage!r} in disabled (stages: {', '.join(OPTIONAL_STAGES)}){hint}")
        if rule and rule not in stage_rules(stage):
            close = difflib.get_close_matches(rule, sorted(stage_rules(stage)), n=1)
            hint = f"; did you mean {stage}/{close[0]}?" if close else ""
            raise OcrcleanError(f"unknown rule {rule!r} of stage {stage} in disabled{hint}")
    return found


def disabled_rules(disabled: frozenset[str]) -> frozenset[tuple[str, str]]:
    """The ``(stage, rule)`` pairs among ``disabled`` entries."""
    return frozenset((stage, rule) for stage, _, rule in (n.partition("/") for n in disabled) if rule)


__all__ = ["REPAIR_STAGES", "FRAGMENT_STAGES", "STAGES", "OPTIONAL_STAGES", "RULES", "check_disabled",
           "disabled_rules", "stage_rules"]
