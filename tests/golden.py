"""Reading the golden cases of ``tests/data/golden/<stage>.tsv`` (see the README there).

A case is one input text with the output it must give: a positive case names the rule that must
make the repair, a negative case (rule ``-``) is ordinary prose the stage must leave alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
COLUMNS = ("rule", "input", "expected", "items", "status")
_ESCAPE = re.compile(r"\\(n|r|t|\\|u[0-9a-fA-F]{4})")


def unescape(cell: str) -> str:
    """A cell's text: ``\\n`` a line feed, ``\\r`` a carriage return, ``\\t`` a tab, ``\\\\`` a
    backslash, ``\\uXXXX`` that character."""
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(one, cell)


@dataclass(frozen=True)
class Case:
    """One line of a golden file.

    ``rule``: the rule that must make an edit (None for a negative case); ``expected``: the txt
    output without its final line break; ``items``: the notes and captions the outputs list, in
    order; ``status``: ``""`` (must pass), ``xfail: why`` (the program gets the case wrong: a known
    gap, strict) or ``untestable: why`` (the rule cannot be reached from text through
    ``clean_text``; the case is listed for the rule table and not run)."""

    stage: str
    rule: str | None
    text: str
    expected: str
    items: tuple[str, ...]
    status: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.stage}:{self.line}:{self.rule or 'negative'}"


def read_golden(path: Path) -> list[Case]:
    """The cases of one file (``#`` lines and blank lines skipped; the first other line is the header).

    ``expected`` ``=`` means the input itself; ``items`` are separated by `` | ``. A malformed line
    raises ValueError naming it."""
    stage = path.stem
    out: list[Case] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if tuple(cells) != COLUMNS:
                raise ValueError(f"{path}:{number}: header must be {' '.join(COLUMNS)}")
            continue
        if len(cells) < 3 or len(cells) > len(COLUMNS):
            raise ValueError(f"{path}:{number}: {len(cells)} cells, 3 to {len(COLUMNS)} expected")
        cells += [""] * (len(COLUMNS) - len(cells))
        rule, text, expected, items, status = cells
        text = unescape(text)
        expected = text if expected == "=" else unescape(expected)
        if status and not status.startswith(("xfail: ", "untestable: ")):
            raise ValueError(f"{path}:{number}: status must be empty, 'xfail: why' or 'untestable: why'")
        out.append(Case(stage, None if rule == "-" else rule, text, expected,
                        tuple(unescape(i) for i in items.split(" | ")) if items else (), status, number))
    return out


def all_cases() -> list[Case]:
    """The cases of every golden file, stage by stage."""
    return [case for path in sorted(GOLDEN.glob("*.tsv")) for case in read_golden(path)]
