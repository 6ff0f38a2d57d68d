"""Every rule of every built-in pack (and of the mini pack) fires for some answers and not for others.

The answers come from tests/rule_solver.py; the verdict comes from the real evaluate(). A rule that
no answers can fire (a contradictory condition, a hidden question, a typo in an option) fails here.
"""

from __future__ import annotations

import pytest

from dpia_app.core.evaluation import evaluate
from dpia_app.core.packs import builtin_pack_paths, load_builtin_pack

from .conftest import MINI_PACK, TODAY, assess
from .rule_solver import find_answers


def _fires(loaded, rule_id):
    def check(answers):
        return any(f.rule_id == rule_id for f in assess(loaded, answers)[1].findings)
    return check


def _quiet(loaded, rule_id):
    def check(answers):
        _, evaluation = assess(loaded, answers)
        rule = loaded.pack.rule(rule_id)
        from dpia_app.core.conditions import referenced_questions

        # The rule's questions are answered (and shown) but the rule stays silent.
        read = referenced_questions(rule.when, loaded.pack.definitions)
        answered_some = any(q in evaluation.visible_questions and q in answers for q in read)
        return answered_some and all(f.rule_id != rule_id for f in evaluation.findings)
    return check


def rule_cases():
    from dpia_app.core.packs import load_pack

    packs = [("mini", load_pack(MINI_PACK))] + [(pack_id, load_builtin_pack(pack_id)) for pack_id in builtin_pack_paths()]
    for name, loaded in packs:
        for rule in loaded.pack.rules:
            yield pytest.param(loaded, rule.id, id=f"{name}:{rule.id}")


@pytest.mark.parametrize(("loaded", "rule_id"), list(rule_cases()))
def test_rule_fires(loaded, rule_id):
    answers = find_answers(loaded, loaded.pack.rule(rule_id).when, True, _fires(loaded, rule_id))
    assert answers is not None, f"no answers make {rule_id} fire"
    finding = next(f for f in assess(loaded, answers)[1].findings if f.rule_id == rule_id)
    assert finding.caused_by, "a finding names the questions that caused it"
    assert all(q in answers for q in finding.caused_by)


@pytest.mark.parametrize(("loaded", "rule_id"), list(rule_cases()))
def test_rule_stays_quiet(loaded, rule_id):
    answers = find_answers(loaded, loaded.pack.rule(rule_id).when, False, _quiet(loaded, rule_id))
    assert answers is not None, f"no answers to {rule_id}'s questions keep it quiet"


def test_empty_assessment_has_no_findings():
    for pack_id in builtin_pack_paths():
        loaded = load_builtin_pack(pack_id)
        assert evaluate(loaded, assess(loaded, {})[0], TODAY).findings == ()
