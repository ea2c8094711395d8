"""Reading and checking the name cases of ``tests/data/names_*.tsv`` (shared by the tests and
``benchmarks/names_probe.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Case:
    """One sentence with its expected outputs (default and ``--modern-names``) and tagged entities."""

    kind: str
    text: str
    default: str
    modern: str
    refs: tuple[str, ...]
    line: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.line}"


def read_cases(path: Path) -> list[Case]:
    """Cases of a TSV file (``#`` lines and the header skipped; ``=`` means unchanged / as default)."""
    out: list[Case] = []
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        cells += [""] * (5 - len(cells))
        kind, text, default, modern, refs = cells[:5]
        default = text if default == "=" else default
        modern = default if modern == "=" else modern
        out.append(Case(kind, text, default, modern, tuple(refs.split()), number))
    return out


def check_case(case: Case) -> list[str]:
    """What is wrong with the pipeline's output for ``case`` (empty when it passes)."""
    from pipeline.api import Config, clean_text
    from pipeline.export import to_txt

    problems = []
    doc = clean_text(case.text + "\n")
    got = to_txt(doc).strip()
    if got != case.default:
        problems.append(f"default: {got!r}")
    modern = to_txt(clean_text(case.text + "\n", Config(modern_names=True))).strip()
    if modern != case.modern:
        problems.append(f"--modern-names: {modern!r}")
    tagged = {str(e.data.get("ref")) for e in doc.edits if e.stage == "names" and e.applied}
    missing = [r for r in case.refs if r not in tagged]
    if missing:
        problems.append(f"not tagged: {' '.join(missing)} (tagged: {' '.join(sorted(tagged)) or '-'})")
    extra = tagged - set(case.refs)
    if extra and case.kind in ("common-words", "other-person"):
        problems.append(f"tagged in ordinary prose: {' '.join(sorted(extra))}")
    return problems
