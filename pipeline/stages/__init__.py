"""The stages, in the one place that defines their order.

Each stage module exposes ``STAGE`` (its name) and ``run(doc, ctx)``, which reads
``doc.text`` and applies :class:`~pipeline.document.Proposal` batches through
``ctx.commit``; none reaches into another stage's internals.
"""

from __future__ import annotations

from types import ModuleType

from pipeline.stages import characters, hyphenation, layout, names, punctuation, spacing

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

__all__ = ["REPAIR_STAGES", "FRAGMENT_STAGES"]
