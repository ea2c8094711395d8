"""Fitting a channel model to pairs of OCR text and ground truth (``ocrclean train``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.correction.channel import ChannelModel
from pipeline.correction.pairs import Segment, read_segments, word_pairs


def fit_segments(segments: Sequence[Segment], source: str = "") -> ChannelModel:
    """A channel model counted from the word pairs of ``segments``."""
    from pipeline.correction.corrector import noise_rate

    model = ChannelModel(source=source)
    model.fit(pair for segment in segments for pair in word_pairs(segment))
    model.impossible_rate = noise_rate("\n".join(segment.scanned for segment in segments))
    return model


def train(paths: Sequence[str | Path], source: str = "") -> ChannelModel:
    """A channel model from the training pairs under ``paths`` (formats: :mod:`pipeline.correction.pairs`).

    Raises :class:`~pipeline.errors.OcrcleanError` when a path holds no pairs."""
    segments = read_segments([Path(p) for p in paths])
    return fit_segments(segments, source or ", ".join(Path(p).name for p in paths))
