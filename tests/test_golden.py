"""The golden cases of ``tests/data/golden/`` through the public API, and the rule table's coverage.

Each positive case must come out as written and the rule it names must have made an edit of its
stage; each negative case (ordinary modern prose) must come out unchanged with no edit of its stage.
The expected outputs are the correct readings, written by hand: a case the program gets wrong is
marked ``xfail`` (strict) in its file rather than rewritten to what the program prints.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from golden import GOLDEN, Case, all_cases

from pipeline.api import clean_text
from pipeline.document import EditKind
from pipeline.export import to_txt
from pipeline.stages import RULES

CASES = all_cases()
PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"
#: Edits that only decide what a line break becomes: ordinary prose printed over several lines gets them.
LINE_KINDS = frozenset({EditKind.JOIN, EditKind.PARBREAK})


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.status[len("xfail: "):])] if case.status.startswith(
        "xfail") else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES if not c.status.startswith("untestable")])
def test_golden_case(case: Case) -> None:
    doc = clean_text(case.text)
    assert to_txt(doc).removesuffix("\n") == case.expected
    assert tuple(item.text for item in [*doc.notes, *doc.captions]) == case.items
    mine = [e for e in doc.edits if e.stage == case.stage]
    if case.rule is None:
        made = [e for e in mine if e.applied and not (case.stage == "layout" and e.kind in LINE_KINDS)]
        assert made == [], f"edits in ordinary prose: {[(e.rule, e.before, e.after) for e in made]}"
        return
    fired = [e for e in mine if e.rule == case.rule]
    # a case whose text stays as printed names a rule that only suggests (an ambiguous name)
    assert any(e.applied or case.expected == case.text for e in fired), \
        f"rule {case.rule} made no edit; {case.stage} made {sorted({e.rule for e in mine if e.applied})}"


def test_every_rule_has_a_golden_case() -> None:
    """Every rule of the table has a positive case in its stage's file (or is listed there as
    untestable, with the reason)."""
    covered = {(c.stage, c.rule) for c in CASES if c.rule is not None}
    missing = [f"{stage}/{rule}" for stage, rules in RULES.items() for rule in rules if (stage, rule) not in covered]
    assert missing == [], f"rules without a golden case in {GOLDEN}: {', '.join(missing)}"


def test_every_stage_has_negative_cases() -> None:
    negatives = {c.stage for c in CASES if c.rule is None and not c.status}
    assert sorted(negatives) == sorted(RULES)


def test_golden_cases_name_rules_of_the_table() -> None:
    unknown = [c.id for c in CASES if c.stage not in RULES or (c.rule is not None and c.rule not in RULES[c.stage])]
    assert unknown == []


def _rule_literals(tree: ast.AST) -> set[str]:
    """String literals a stage's source records as a rule: the rule argument of ``Proposal`` (fourth),
    ``remove_line`` (fourth), ``_gap`` (sixth) and ``Edit`` (second), and values assigned to a name or
    attribute called ``rule`` (``sep, rule = " ", "line-join"``; ``m.rule = "cue"``)."""
    found: set[str] = set()
    positions = {"Proposal": 3, "remove_line": 3, "_gap": 5, "Edit": 1}

    def literal(node: ast.AST | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.IfExp):
            literal(node.body)
            literal(node.orelse)

    def is_rule(target: ast.AST) -> bool:
        return (isinstance(target, ast.Name) and target.id == "rule") or (
            isinstance(target, ast.Attribute) and target.attr == "rule")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in positions and len(node.args) > positions[name]:
                literal(node.args[positions[name]])
            literal(next((k.value for k in node.keywords if k.arg == "rule"), None))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if is_rule(target):
                    literal(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for t, v in zip(target.elts, node.value.elts):
                        if is_rule(t):
                            literal(v)
    return found


#: The sources of each stage's rules besides the stage module: the names stage's matching, and the
#: document's stitching of windows (a layout edit between two windows).
SOURCES = {"names": ["names/match.py", "names/approximate.py"], "layout": ["document.py"]}


@pytest.mark.parametrize("stage", sorted(RULES))
def test_rule_table_lists_every_rule_of_the_source(stage: str) -> None:
    """A rule string a stage's source records is in the table, and every rule of the table is in the
    source (a rule renamed or dropped leaves no stale name)."""
    path = PIPELINE / "stages" / stage
    files = sorted(path.glob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    files += [PIPELINE / f for f in SOURCES.get(stage, [])]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    recorded: set[str] = set()
    for f in files:
        recorded |= _rule_literals(ast.parse(f.read_text(encoding="utf-8")))
    assert sorted(recorded - set(RULES[stage])) == []
    assert [r for r in RULES[stage] if f'"{r}"' not in text] == []


def test_rules_that_fire_are_in_the_table() -> None:
    """Every (stage, rule) the golden cases make is in the table (a rule found by a stage at run
    time, through a variable, is checked here)."""
    seen: set[tuple[str, str]] = set()
    for case in CASES:
        if not case.status.startswith("untestable"):
            seen |= {(e.stage, e.rule) for e in clean_text(case.text).edits}
    assert sorted(f"{s}/{r}" for s, r in seen if r not in RULES.get(s, ())) == []
