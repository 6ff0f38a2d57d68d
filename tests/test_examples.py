"""The three example deployments reach the conclusions of the design's scenarios, through the rules alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dpia_app.check_report import as_text
from dpia_app.cli import EXIT_MUST_NOT_PROCEED, EXIT_OK, main
from dpia_app.core.drafts import read_draft
from dpia_app.core.evaluation import Evaluation, evaluate

from .conftest import TODAY

EXAMPLES = Path(__file__).parent.parent / "examples"


def example(cn_pack, name: str) -> tuple[object, Evaluation]:
    opened = read_draft(EXAMPLES / name, cn_pack)
    return opened, evaluate(cn_pack, opened.assessment, TODAY)


def refs_of(evaluation: Evaluation, severity: str, kind: str = "finding") -> set[str]:
    return {ref for f in evaluation.findings if f.severity == severity and f.kind == kind for ref in f.refs}


@pytest.mark.parametrize("name", ["s1-office-turnstiles.dpia", "s2-mall-vip-recognition.dpia", "s3-gym-entry-with-children.dpia"])
def test_examples_are_complete_and_current(cn_pack, name):
    opened, evaluation = example(cn_pack, name)
    assert evaluation.missing_required == ()
    assert evaluation.answer_problems == ()
    assert evaluation.pack_drift.orphaned == ()
    assert not evaluation.verdict.provisional
    assert opened.assessment.pack.sha256 == cn_pack.sha256, "regenerate the examples after changing the pack"


def test_s1_office_turnstiles_may_proceed(cn_pack):
    _, evaluation = example(cn_pack, "s1-office-turnstiles.dpia")
    assert evaluation.verdict.outcome in ("may_proceed", "proceed_with_conditions")
    assert evaluation.findings_with("blocking") == ()
    assert {f.severity for f in evaluation.findings} <= {"high", "advisory"}
    # 800 people: no filing, and no change filing either (its questions are hidden, not unanswered);
    # 25,000 people's personal information: no PI-officer report either.
    assert {f.state for f in evaluation.filing} == {"not_required"}
    assert evaluation.overall_risk.residual in ("low", "medium")


def test_s2_mall_vip_recognition_must_not_proceed(cn_pack):
    _, evaluation = example(cn_pack, "s2-mall-vip-recognition.dpia")
    assert evaluation.verdict.outcome == "must_not_proceed"
    blocking = refs_of(evaluation, "blocking")
    for ref in ("FRT-04", "FRT-06", "PIPL-29", "FRT-13a", "PIPL-26", "FRT-08a", "FRT-05"):
        assert ref in blocking, f"S2 needs a blocking finding citing {ref}"
    filing = evaluation.filing[0]
    # 350,000 >= 100,000 stored. Reached on Monday 2026-08-10; the 30th PRC working day is Sunday
    # 2026-09-20, a make-up working day before the National Day holiday.
    assert (filing.state, filing.deadline, filing.deadline_basis) == ("required", dt.date(2026, 9, 20), "working_days")
    assert filing.overdue
    assert evaluation.overall_risk.unlawful


def test_s3_gym_must_fix_minors_before_proceeding(cn_pack):
    _, evaluation = example(cn_pack, "s3-gym-entry-with-children.dpia")
    assert evaluation.verdict.outcome == "must_not_proceed"
    assert {"FRT-07", "PIPL-31"} <= refs_of(evaluation, "blocking")
    assert {"FRT-08b", "PIPL-47"} <= refs_of(evaluation, "high")
    assert not {"FRT-08b", "PIPL-47"} & refs_of(evaluation, "blocking"), "retention after membership ends is high, not blocking"
    assert "FRT-08a" in refs_of(evaluation, "high", "legal_question")
    assert "FRT-08a" not in refs_of(evaluation, "blocking")
    assert not any("FRT-10" in f.refs for f in evaluation.findings), "the membership card is a real alternative"
    filing = evaluation.filing[0]
    # 140,000 stored, threshold reached Monday 2026-10-12: 30 working days end on Monday 2026-11-23.
    assert (filing.state, filing.deadline) == ("required", dt.date(2026, 11, 23))
    minors = next(r for r in evaluation.risks if r.risk_id == "RISK-MINORS")
    breach = next(r for r in evaluation.risks if r.risk_id == "RISK-BREACH")
    # Proven security controls lower the likelihood of a breach, never that of enrolling children
    # without their guardians' consent.
    assert (minors.inherent.likelihood, minors.inherent.level) == ("very_high", "serious")
    # The planned actions bring the residual risk down, but the open blocking findings still stop it.
    assert minors.residual.level != "serious" and evaluation.verdict.reasons[0].code == "blocking_findings"
    assert any(s.id.startswith("LIK-PROVEN-HANDLING") for s in breach.inherent_steps)


@pytest.mark.parametrize(("name", "status"), [
    ("s1-office-turnstiles.dpia", EXIT_OK),
    ("s2-mall-vip-recognition.dpia", EXIT_MUST_NOT_PROCEED),
    ("s3-gym-entry-with-children.dpia", EXIT_MUST_NOT_PROCEED),
])
def test_dpia_check_on_each_example(capsys, name, status):
    assert main(["check", str(EXAMPLES / name), "--today", TODAY.isoformat()]) == status
    assert main(["check", str(EXAMPLES / name), "--lang", "zh", "--today", TODAY.isoformat()]) == status
    assert "结论：" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["s2-mall-vip-recognition.dpia", "s3-gym-entry-with-children.dpia"])
def test_chinese_output_is_chinese(cn_pack, name):
    opened, evaluation = example(cn_pack, name)
    text = as_text(EXAMPLES / name, opened, cn_pack, evaluation, "zh-Hans")
    for finding in evaluation.findings:
        assert finding.title.zh_hans in text and finding.title.en not in text
        for citation in finding.citations:
            assert citation.text.zh_hans in text


def test_a_findings_first_cause_is_the_question_about_its_requirement(cn_pack):
    opened, _ = example(cn_pack, "s1-office-turnstiles.dpia")
    answers = {**opened.assessment.answers, "alt.non_face_method": "no"}
    evaluation = evaluate(cn_pack, opened.assessment.model_copy(update={"answers": answers}), TODAY)
    alternative = [f for f in evaluation.findings if f.severity == "blocking" and "FRT-10" in f.refs]
    assert alternative and all(f.caused_by[0] == "alt.non_face_method" for f in alternative)
