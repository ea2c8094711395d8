"""Training pairs: OCR text and its ground truth, aligned segment by segment and word by word.

Formats read (the ones ``ocrclean eval`` reads):

* a folder with ``raw/`` and ``gold/`` holding same-named files (OverProof-style, one printed
  line per line: lines are paired when both files have as many);
* ``<stem>.raw.txt`` beside ``<stem>.gold.txt`` (gold in the ``CONVENTIONS.md`` format: only
  the body above ``=== NOTES ===`` is used);
* ICDAR 2017 files (``[OCR_aligned]`` / ``[ GS_aligned]``), ``#`` positions dropped.

Files whose lines do not correspond are paired as whole texts. Words are aligned with a
word-level Levenshtein alignment (rapidfuzz); only one-to-one replacements and equal words
become word pairs: splits and merges are the spacing stage's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import regex
from rapidfuzz.distance import Levenshtein

from pipeline.errors import OcrcleanError

#: Punctuation stripped from both ends of a token before its letters are compared.
OUTER = regex.compile(r"^[\"'“”‘’(\[{,.;:!?]+|[\"'“”‘’)\]},.;:!?]+$")


@dataclass(frozen=True)
class Segment:
    """One aligned stretch of text: the OCR reading and the ground truth (same lines, or whole files)."""

    scanned: str
    printed: str
    source: str


def core(token: str) -> str:
    """A token without the punctuation around it: ``"tho,`` -> ``tho``."""
    return OUTER.sub("", OUTER.sub("", token))


def word_pairs(segment: Segment) -> Iterator[tuple[str, str]]:
    """(scanned, printed) cores of the words aligned one to one in a segment."""
    a = segment.scanned.split()
    b = segment.printed.split()
    for tag, a0, a1, b0, b1 in cast("list[tuple[str, int, int, int, int]]", Levenshtein.opcodes(a, b)):
        if tag in ("equal", "replace") and a1 - a0 == b1 - b0:
            for x, y in zip(a[a0:a1], b[b0:b1]):
                cx, cy = core(x), core(y)
                if cx and cy and (cx == cy or _comparable(cx, cy)):
                    yield cx, cy


def _comparable(scanned: str, printed: str) -> bool:
    """Whether two differing words are readings of each other rather than an alignment slip: at most half the
    longer word changed, or two letters of a three-letter word read as two others (``Hie``/``the``,
    ``tbo``/``the``, ``lho``/``The``: the commonest short words' misreadings, which the half rule would leave
    unlearned). Counting those, the channel trained on the development pairs cuts 32.2% of the OverProof
    development errors instead of 31.6%, and 23.3% instead of 23.1% on articles held out of its training
    (``benchmarks/heldout.py``)."""
    distance = Levenshtein.distance(scanned, printed)
    longer = max(len(scanned), len(printed))
    return 2 * distance <= longer or (distance == 2 and len(scanned) == len(printed) == 3)


def read_segments(paths: list[Path]) -> list[Segment]:
    """Every segment of the training pairs under ``paths`` (folders or files; see module docstring).

    Raises :class:`OcrcleanError` when a path holds no pair in a known format."""
    from pipeline.evaluate import is_icdar_file, parse_gold, read_icdar

    out: list[Segment] = []
    for path in paths:
        found: list[Segment] = []
        if path.is_dir() and (path / "raw").is_dir() and (path / "gold").is_dir():
            for raw in sorted((path / "raw").glob("*.txt")):
                gold = path / "gold" / raw.name
                if gold.is_file():
                    found.extend(_line_segments(_read(raw), _read(gold), str(raw)))
        elif path.is_dir():
            for file in sorted(path.iterdir()):
                found.extend(_file_segments(file, is_icdar_file, parse_gold, read_icdar))
        elif path.is_file():
            found.extend(_file_segments(path, is_icdar_file, parse_gold, read_icdar))
        else:
            raise OcrcleanError(f"{path}: no such file or folder")
        if not found:
            raise OcrcleanError(f"{path}: no training pairs found (raw/ + gold/ folders, "
                                "<stem>.raw.txt + <stem>.gold.txt, or ICDAR 2017 files)")
        out.extend(found)
    return out


def _file_segments(file: Path, is_icdar_file: Callable[[Path], bool], parse_gold: Callable[[str], Any],
                   read_icdar: Callable[[Path], tuple[str, str]]) -> list[Segment]:
    if file.name.endswith(".raw.txt"):
        gold = file.with_name(file.name[: -len(".raw.txt")] + ".gold.txt")
        if gold.is_file():
            return _line_segments(_read(file), parse_gold(_read(gold)).body, str(file))
        return []
    if file.suffix == ".txt" and not file.name.endswith(".gold.txt") and is_icdar_file(file):
        scanned, printed = read_icdar(file)
        return [Segment(scanned, printed, str(file))]
    return []


def _line_segments(scanned: str, printed: str, source: str) -> list[Segment]:
    a, b = scanned.splitlines(), printed.splitlines()
    if len(a) == len(b):
        return [Segment(x, y, f"{source}:{k + 1}") for k, (x, y) in enumerate(zip(a, b)) if x.strip() or y.strip()]
    return [Segment(scanned, printed, source)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OcrcleanError(f"{path}: cannot read ({exc})") from None
