"""The stages, in the one place that defines their order.

Each stage module exposes ``STAGE`` (its name) and ``run(doc, ctx)``, which reads
``doc.text`` and applies :class:`~pipeline.document.Proposal` batches through
``ctx.commit``; none reaches into another stage's internals.
"""

from __future__ import annotations

from types import ModuleType

from pipeline.stages import characters, hyphenation, layout, punctuation, spacing

#: Order of the repair stages after decode (decode runs when the bytes are loaded).
REPAIR_STAGES: tuple[ModuleType, ...] = (layout, hyphenation, spacing, characters, punctuation)

__all__ = ["REPAIR_STAGES"]
