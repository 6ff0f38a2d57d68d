"""evaluate(): visibility, completeness, findings, verdict, sign-off checks and review date."""

from __future__ import annotations

import datetime as dt

import pytest

from dpia_app.core.assessment import Action, Metadata, SignOff

from .conftest import TODAY, assess

COMPLETE = {"who.groups": ["adults"], "who.count": 50, "alt.offered": "yes", "alt.kind": "card",
            "devices.places": [{"name": "Gate 1", "room": "lobby", "count": 2}]}


def test_follow_up_questions_show_only_when_their_condition_holds(mini):
    _, evaluation = assess(mini, {"alt.offered": "no"})
    assert "alt.why_not" in evaluation.visible_questions
    assert "alt.kind" not in evaluation.visible_questions
    assert "who.reached_on" not in evaluation.visible_questions  # who.count unanswered: unknown, hidden


def test_sections_with_conditions(mini):
    _, before = assess(mini, {})
    assert "devices" not in before.visible_sections
    assert not next(s for s in before.sections if s.section_id == "devices").visible
    _, after = assess(mini, {"alt.offered": "yes"})
    assert "devices" in after.visible_sections


def test_missing_required_questions_are_counted_per_section(mini):
    _, evaluation = assess(mini, {"alt.offered": "yes", "who.count": 150})
    assert evaluation.missing_required == ("who.groups", "who.reached_on", "alt.kind")
    who = next(s for s in evaluation.sections if s.section_id == "who")
    assert who.missing_required == ("who.groups", "who.reached_on") and who.answered == 1
    assert evaluation.verdict.provisional


def test_complete_answers_make_a_final_verdict(mini):
    _, evaluation = assess(mini, COMPLETE)
    assert evaluation.missing_required == ()
    assert evaluation.findings == ()
    assert evaluation.verdict.outcome == "may_proceed" and not evaluation.verdict.provisional
    assert all(s.complete for s in evaluation.sections)


def test_hidden_answers_are_kept_but_never_fire_rules(mini):
    # The user said "no alternative", then changed it to "yes": the stale follow-up stays in the
    # draft, and rules reading hidden questions see nothing.
    _, evaluation = assess(mini, {**COMPLETE, "alt.why_not": "too expensive"})
    assert "alt.why_not" not in evaluation.visible_questions
    assert evaluation.findings == ()


def test_blocking_finding_with_cause_citation_and_recommendation(mini):
    _, evaluation = assess(mini, {**COMPLETE, "alt.offered": "no"})
    finding = evaluation.findings[0]
    assert (finding.rule_id, finding.severity, finding.caused_by) == ("R-ALT-01", "blocking", ("alt.offered",))
    assert finding.citations[0].text.en == "Example Law Art. 1"
    assert finding.citations[0].text.zh_hans == "《示例法》第一条"
    assert finding.recommendation.en == "Offer a card."
    assert evaluation.verdict.outcome == "must_not_proceed"
    assert evaluation.verdict.reasons[0].code == "blocking_findings"
    assert evaluation.overall_risk.unlawful and evaluation.overall_risk.treatment == "unacceptable"


def test_unverified_article_numbers_are_never_printed(mini):
    _, evaluation = assess(mini, {**COMPLETE, "who.count": 150, "who.reached_on": "2025-09-01", "who.filed": "no"})
    citation = next(f for f in evaluation.findings if f.rule_id == "R-FILE-01").citations[0]
    assert citation.text.en == "Example Law †"
    # The mini catalog words no caveats of its own: the app's wording of this one is used.
    assert "to be confirmed" in mini.catalog.caveat_notes([citation.ref])[0].text.en
    assert "99" not in citation.text.en and "九十九" not in citation.text.zh_hans
    assert not citation.article_confirmed


def test_table_rows_drive_rules(mini):
    rows = [{"name": "Gate", "room": "lobby"}, {"name": "WC 2", "room": "toilet", "count": 1}]
    _, evaluation = assess(mini, {**COMPLETE, "devices.places": rows})
    finding = next(f for f in evaluation.findings if f.rule_id == "R-DEV-01")
    assert finding.caused_by == ("devices.places",)


def test_high_finding_makes_conditions_until_a_dated_action_exists(mini):
    answers = {**COMPLETE, "who.count": 150, "who.reached_on": "2025-09-01", "who.filed": "no"}
    _, evaluation = assess(mini, answers)
    codes = [c.code for c in evaluation.verdict.conditions]
    assert evaluation.verdict.outcome == "proceed_with_conditions"
    assert codes[0] == "high_findings_without_dated_action" and "high_findings_planned" not in codes
    undated = Action(measure="File with the office", finding_ids=["R-FILE-01"])
    _, still = assess(mini, answers, actions=[undated])
    assert still.verdict.conditions[0].code == "high_findings_without_dated_action"
    action = Action(measure="File with the office", due=dt.date(2026, 12, 1), finding_ids=["R-FILE-01"])
    _, planned = assess(mini, answers, actions=[action])
    planned_codes = [c.code for c in planned.verdict.conditions]
    assert "high_findings_without_dated_action" not in planned_codes and "high_findings_planned" in planned_codes
    assert planned.verdict.outcome == "proceed_with_conditions"
    assert planned.findings[0].action_ids == (action.id,)
    assert evaluation.overall_risk.floor == "high"


def test_legal_question_is_listed_but_advisory_does_not_block(mini):
    _, evaluation = assess(mini, {**COMPLETE, "who.groups": ["children"]})
    finding = evaluation.findings[0]
    assert (finding.kind, finding.severity) == ("legal_question", "advisory")
    assert evaluation.verdict.outcome == "may_proceed"


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"alt.offered": "maybe"}, "not_yes_no"),
        ({"alt.offered": True}, "not_yes_no"),
        ({"alt.offered": ["yes"]}, "not_yes_no"),
        ({"alt.offered": {"yes": 1}}, "not_yes_no"),
        ({"who.groups": ["adults", "aliens"]}, "not_an_option"),
        ({"who.groups": "adults"}, "not_a_list_of_options"),
        ({"who.count": -5}, "out_of_range"),
        ({"who.count": 10**15}, "out_of_range"),
        ({"who.count": "fifty"}, "not_a_whole_number"),
        ({"who.count": 5.5}, "not_a_whole_number"),
        ({"who.count": 150, "who.reached_on": "2025-02-30"}, "not_a_date"),
        ({"who.count": 150, "who.reached_on": "0205-06-01"}, "implausible_date"),
        ({"devices.places": {"name": "x"}}, "not_a_table"),
        ({"devices.places": [{"room": "lobby"}]}, "row_field_required"),
        ({"devices.places": [{"name": "x", "count": 0}]}, "out_of_range"),
        ({"who.contact": 12}, "not_text"),
    ],
)
def test_absurd_or_foreign_answers_are_reported_not_used(mini, answer, code):
    _, evaluation = assess(mini, {**COMPLETE, **answer})
    assert code in [p.code for p in evaluation.answer_problems]
    assert evaluation.verdict.provisional


def test_html_and_file_urls_in_answers_are_just_text(mini):
    hostile = '<img src="file:///etc/passwd"><script>alert(1)</script> http://example.com'
    _, evaluation = assess(mini, {**COMPLETE, "who.contact": hostile, "devices.places": [{"name": hostile}]})
    assert evaluation.answer_problems == ()


def test_reassessment_trigger_and_review_date(mini):
    meta = Metadata(assessment_date=dt.date(2024, 2, 29))
    _, evaluation = assess(mini, {**COMPLETE, "alt.offered": "no"}, metadata=meta)
    assert evaluation.review.next_review == dt.date(2025, 2, 28)
    assert evaluation.review.counted_from == "assessment_date"
    assert evaluation.review.overdue
    assert [t.trigger_id for t in evaluation.review.reassess_now] == ["REASSESS-NO-ALT"]


def test_review_counts_from_approval_then_today(mini):
    approval = SignOff(role="approver", name="CEO", signed_on=dt.date(2026, 3, 1), decision="proceed")
    assert assess(mini, COMPLETE, signoffs=[approval])[1].review.next_review == dt.date(2027, 3, 1)
    undated = assess(mini, COMPLETE)[1].review
    assert (undated.counted_from, undated.next_review) == ("today", dt.date(2027, 11, 20))


def test_signoff_problems_a_regulator_would_question(mini):
    dpo = SignOff(role="dpo", name="Zhao", signed_on=dt.date(2026, 3, 1), decision="do_not_proceed")
    approver = SignOff(role="approver", name="CEO", signed_on=dt.date(2026, 3, 2), decision="proceed")
    _, evaluation = assess(mini, {**COMPLETE, "alt.offered": "no"}, signoffs=[dpo, approver],
                           metadata=Metadata(status="final"))
    codes = [p.code for p in evaluation.signoff_problems]
    assert codes == ["approval_departs_from_dpo_without_reason", "approval_more_permissive_than_verdict"]
    justified = approver.model_copy(update={"overrules_dpo": True, "overrule_reason": "Board accepted the residual risk"})
    _, evaluation = assess(mini, COMPLETE, signoffs=[dpo, justified])
    assert evaluation.signoff_problems == ()
    _, final_empty = assess(mini, {}, metadata=Metadata(status="final"))
    assert [p.code for p in final_empty.signoff_problems] == ["final_without_approval", "final_while_incomplete"]


def test_overruling_the_dpo_needs_a_reason():
    with pytest.raises(ValueError, match="reason for overruling"):
        SignOff(role="approver", name="CEO", signed_on=TODAY, decision="proceed", overrules_dpo=True, overrule_reason=" ")


def test_evaluation_is_pure(mini):
    assessment, first = assess(mini, COMPLETE)
    from dpia_app.core.evaluation import evaluate

    assert evaluate(mini, assessment, TODAY) == first


def test_evaluation_refuses_a_draft_of_another_pack(mini):
    from dpia_app.core.drafts import PackReference
    from dpia_app.core.evaluation import evaluate

    assessment, _ = assess(mini, {})
    with pytest.raises(ValueError, match="form pack 'x'"):
        evaluate(mini, assessment.model_copy(update={"pack": PackReference(id="x", version="1.0.0", sha256="0" * 64)}), TODAY)


def test_an_empty_or_unfinished_assessment_is_incomplete_never_may_proceed(mini, cn_pack):
    for loaded, answers in ((cn_pack, {}), (mini, {}), (mini, {k: v for k, v in COMPLETE.items() if k != "who.groups"})):
        _, evaluation = assess(loaded, answers)
        assert evaluation.missing_required
        assert (evaluation.verdict.outcome, evaluation.verdict.provisional) == ("incomplete", True)
        assert evaluation.verdict.reasons == ()


def test_a_blocking_finding_decides_even_while_questions_are_open(mini):
    _, evaluation = assess(mini, {"alt.offered": "no"})
    assert evaluation.missing_required
    assert (evaluation.verdict.outcome, evaluation.verdict.provisional) == ("must_not_proceed", True)


def test_approving_an_incomplete_assessment_is_questioned_declining_it_is_not(mini):
    answers = {k: v for k, v in COMPLETE.items() if k != "who.groups"}
    proceed = SignOff(role="approver", name="CEO", signed_on=dt.date(2026, 3, 2), decision="proceed")
    decline = SignOff(role="approver", name="CEO", signed_on=dt.date(2026, 3, 2), decision="do_not_proceed")
    assert "approval_more_permissive_than_verdict" in {p.code for p in assess(mini, answers, signoffs=[proceed])[1].signoff_problems}
    assert "approval_more_permissive_than_verdict" not in {p.code for p in assess(mini, answers, signoffs=[decline])[1].signoff_problems}


def _overall(evaluation, language="en"):
    from dpia_app.presentation import overall_risk_text

    return overall_risk_text(evaluation.overall_risk, evaluation_labels(), language)


def evaluation_labels():
    from dpia_app.core.packs import load_pack

    from .conftest import MINI_PACK

    return load_pack(MINI_PACK).pack.risk_method.labels


def test_the_overall_risk_is_one_level_first_then_why(mini):
    # An open high finding (filing overdue) and whatever the mini pack's scenarios give.
    answers = {**COMPLETE, "who.count": 150, "who.reached_on": "2025-09-01", "who.filed": "no"}
    _, raised = assess(mini, answers)
    overall = raised.overall_risk
    labels = evaluation_labels()
    text = _overall(raised)
    assert text.startswith(f"Overall risk: {labels.risk_levels[overall.level].get('en')}.")
    assert "or above" not in text and "at least" not in text
    if overall.raised_by_findings:
        assert "open high or blocking findings" in text and overall.level == "high"
    else:
        assert "It is the scenarios' highest residual risk" in text
    assert _overall(raised, "zh-Hans").startswith(f"总体风险：{labels.risk_levels[overall.level].get('zh-Hans')}。")


def test_open_findings_raise_the_level_and_say_so():
    from dpia_app.core.risk import OverallRisk
    from dpia_app.presentation import overall_risk_text

    labels = evaluation_labels()
    raised = OverallRisk(inherent="high", residual="medium", floor="high", level="high", treatment="fix_within_deadline")
    assert raised.raised_by_findings
    text = overall_risk_text(raised, labels, "en")
    high, medium = labels.risk_levels["high"].get("en"), labels.risk_levels["medium"].get("en")
    assert text.startswith(f"Overall risk: {high}. The scenarios' highest residual risk is {medium}")
    assert text.endswith(f"raise it to {high}. Treatment: {labels.treatments['fix_within_deadline'].get('en')}")
    only_findings = OverallRisk(inherent=None, residual=None, floor="high", level="high", unlawful=True, treatment="unacceptable")
    assert overall_risk_text(only_findings, labels, "en").startswith(f"Overall risk: {high}. No risk scenario applies yet")
    assert "unlawful whatever the matrix says" in overall_risk_text(only_findings, labels, "en")
    matrix = OverallRisk(inherent="serious", residual="serious", floor="high", level="serious", treatment="unacceptable")
    assert not matrix.raised_by_findings
    assert "It is the scenarios' highest residual risk" in overall_risk_text(matrix, labels, "en")
    assert overall_risk_text(OverallRisk(inherent=None, residual=None), labels, "en") == "No risk scenario applies to the answers so far."
