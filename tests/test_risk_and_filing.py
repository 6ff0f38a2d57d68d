"""The GB/T 39335 risk method and the working-day filing deadline, on the mini pack."""

from __future__ import annotations

import datetime as dt

import pytest

from dpia_app.core.assessment import Action, RiskOverride
from dpia_app.core.filing import CalendarUnknown, add_working_days, is_working_day
from dpia_app.core.levels import IMPACT_LEVELS, LIKELIHOOD_LEVELS, shift

from .conftest import assess

BASE = {"who.groups": ["adults"], "who.count": 50, "alt.offered": "yes", "alt.kind": "pin"}


def risk(evaluation, risk_id="RISK-LEAK"):
    return next(r for r in evaluation.risks if r.risk_id == risk_id)


@pytest.mark.parametrize(
    ("impact", "likelihood", "expected"),
    [
        ("serious", "low", "medium"), ("serious", "medium", "high"), ("serious", "high", "serious"), ("serious", "very_high", "serious"),
        ("high", "low", "medium"), ("high", "medium", "medium"), ("high", "high", "high"), ("high", "very_high", "serious"),
        ("medium", "low", "low"), ("medium", "medium", "medium"), ("medium", "high", "medium"), ("medium", "very_high", "high"),
        ("low", "low", "low"), ("low", "medium", "low"), ("low", "high", "medium"), ("low", "very_high", "medium"),
    ],
)
def test_matrix_is_the_gbt_39335_approval_draft_table(cn_pack, impact, likelihood, expected):
    assert cn_pack.pack.risk_method.risk_level(impact, likelihood) == expected


def test_levels_stop_at_the_ends_of_the_scale():
    assert shift(IMPACT_LEVELS, "serious", 1) == "serious"
    assert shift(LIKELIHOOD_LEVELS, "low", -1) == "low"
    assert shift(LIKELIHOOD_LEVELS, "medium", 2) == "very_high"


def test_inherent_risk_from_base_ratings(mini):
    _, evaluation = assess(mini, BASE)
    leak = risk(evaluation)
    assert leak.inherent.impact == {"autonomy": "medium", "discrimination": "low", "reputation": "high", "property": "medium"}
    assert leak.inherent.likelihood == "medium"  # worst area: network_technology
    assert leak.inherent.level_by_dimension["reputation"] == "medium"
    assert leak.inherent.level == "medium"
    assert leak.inherent_steps == ()
    assert leak.treatment == "weigh_cost_and_impact"


def test_vulnerable_group_raises_every_dimension_with_its_reason(mini):
    _, evaluation = assess(mini, {**BASE, "who.groups": ["adults", "children"]})
    leak = risk(evaluation)
    assert leak.inherent.impact == {"autonomy": "high", "discrimination": "medium", "reputation": "serious", "property": "high"}
    step = next(s for s in leak.inherent_steps if s.id == "ADJ-KIDS")
    assert step.change == "+1" and step.reason.en == "+1 for children"
    assert leak.inherent.level == "high"  # serious impact x medium likelihood
    # A scenario that only applies to children appears only then.
    assert {r.risk_id for r in evaluation.risks} == {"RISK-LEAK", "RISK-KIDS"}


def test_area_floor_then_worst_area_then_method_floor_then_change(mini):
    _, evaluation = assess(mini, {**BASE, "alt.offered": "no", "who.count": 2_000_000, "who.reached_on": "2026-01-05", "who.filed": "yes"})
    leak = risk(evaluation)
    assert leak.area_likelihood["processing_procedures"] == "very_high"
    assert leak.inherent.likelihood == "very_high"
    ids = [s.id for s in leak.inherent_steps]
    assert ids == ["LIK-NO-ALT", "LIK-BIG"]
    # The floor of the method is checked after the worst area and never lowers it.
    assert leak.inherent_steps[1].before == "very_high" and leak.inherent_steps[1].after == "very_high"


def test_documented_controls_lower_likelihood_after_the_scale_floor(mini):
    _, evaluation = assess(mini, {**BASE, "alt.kind": "card", "who.count": 2_000_000, "who.reached_on": "2026-01-05", "who.filed": "yes"})
    leak = risk(evaluation)
    assert [(s.id, s.before, s.after) for s in leak.inherent_steps] == [("LIK-BIG", "medium", "high"), ("LIK-CARD", "high", "medium")]
    assert leak.inherent.likelihood == "medium"


def test_unanswered_questions_trigger_no_adjustment(mini):
    _, evaluation = assess(mini, {})
    leak = risk(evaluation)
    assert leak.inherent_steps == ()
    assert [r.risk_id for r in evaluation.risks] == ["RISK-LEAK"]


def test_override_replaces_a_level_and_records_the_justification(mini):
    override = RiskOverride(risk_id="RISK-LEAK", target="impact", dimension="reputation", level="serious",
                            justification="Faces of celebrities are enrolled; exposure is severe.", by="DPO")
    _, evaluation = assess(mini, BASE, risk_overrides=[override])
    leak = risk(evaluation)
    assert leak.inherent.impact["reputation"] == "serious"
    assert leak.inherent.level == "high"
    step = leak.inherent_steps[-1]
    assert (step.kind, step.before, step.after) == ("override", "high", "serious")
    assert "celebrities" in step.reason.en and "(DPO)" in step.reason.en


def test_override_needs_a_real_justification():
    with pytest.raises(ValueError, match="at least 10 characters"):
        RiskOverride(risk_id="RISK-LEAK", target="likelihood", level="low", justification="   because ")
    with pytest.raises(ValueError, match="names the dimension"):
        RiskOverride(risk_id="RISK-LEAK", target="impact", level="low", justification="long enough reason")
    with pytest.raises(ValueError, match="not one of"):
        RiskOverride(risk_id="RISK-LEAK", target="likelihood", level="serious", justification="long enough reason")


def test_residual_risk_after_planned_actions(mini):
    actions = [
        Action(id="A-1", measure="Encrypt templates", risk_ids=["RISK-LEAK"], effect="lowers_likelihood"),
        Action(id="A-2", measure="Delete raw images", risk_ids=["RISK-LEAK"], effect="lowers_impact"),
        Action(id="A-3", measure="Cancelled idea", risk_ids=["RISK-LEAK"], effect="lowers_likelihood", status="cancelled"),
    ]
    _, evaluation = assess(mini, {**BASE, "who.groups": ["children"]}, actions=actions)
    leak = risk(evaluation)
    assert leak.inherent.level == "high"
    assert leak.residual.likelihood == "low"
    assert leak.residual.impact == {"autonomy": "medium", "discrimination": "low", "reputation": "high", "property": "medium"}
    assert leak.residual.level == "medium"
    assert [s.id for s in leak.residual_steps] == ["A-1", "A-2"]
    assert leak.action_ids == ("A-1", "A-2")
    assert leak.treatment == "weigh_cost_and_impact"


def test_acceptance_policy_of_the_assessment_is_used(mini):
    policy = {"serious": "unacceptable", "high": "unacceptable", "medium": "unacceptable", "low": "accept"}
    _, evaluation = assess(mini, BASE, acceptance_policy=policy)
    assert risk(evaluation).treatment == "unacceptable"
    assert evaluation.verdict.outcome == "must_not_proceed"
    assert evaluation.verdict.reasons[0].code == "unacceptable_residual_risks"


# --- working days ---------------------------------------------------------------------------


def test_national_day_holiday_and_make_up_days():
    assert not is_working_day(dt.date(2025, 10, 1))  # National Day
    assert not is_working_day(dt.date(2025, 10, 8))  # still in the 2025 golden week
    assert is_working_day(dt.date(2025, 9, 28))  # Sunday, make-up working day
    assert is_working_day(dt.date(2025, 10, 11))  # Saturday, make-up working day
    assert not is_working_day(dt.date(2025, 10, 12))  # ordinary Sunday


def test_thirty_working_days_across_national_day():
    # 2025-09-15 (Mon) + 30 working days: 9/16-9/30 gives 12 (incl. make-up Sunday 9/28), 10/1-10/8
    # is the holiday, 10/9-10/10 gives 2, make-up Saturday 10/11 gives 1, then three full weeks give 15:
    # the 30th working day is Friday 2025-10-31 (weekends alone would give 2025-10-27).
    assert add_working_days(dt.date(2025, 9, 15), 30) == dt.date(2025, 10, 31)


def test_thirty_working_days_across_spring_festival_2026():
    end = add_working_days(dt.date(2026, 2, 2), 30)
    plain = dt.date(2026, 2, 2)
    weekdays = 0
    while weekdays < 30:  # the same count ignoring holidays ends much earlier
        plain += dt.timedelta(days=1)
        weekdays += plain.weekday() < 5
    assert end > plain


def test_a_year_the_calendar_does_not_know_is_flagged_not_guessed():
    with pytest.raises(CalendarUnknown) as raised:
        add_working_days(dt.date(2026, 12, 20), 30)
    assert raised.value.year == 2027


def test_filing_deadline_in_the_evaluation(mini):
    answers = {**BASE, "who.count": 150, "who.reached_on": "2025-09-15", "who.filed": "no"}
    _, evaluation = assess(mini, answers)
    filing = evaluation.filing[0]
    assert (filing.state, filing.deadline, filing.deadline_basis) == ("required", dt.date(2025, 10, 31), "working_days")
    assert filing.overdue  # evaluated on 2026-11-20
    assert evaluation.verdict.conditions[0].code == "high_findings_without_dated_action"
    assert "filing_overdue" in [c.code for c in evaluation.verdict.conditions]


def test_filing_transition_deadline_for_those_over_the_threshold_before_the_rule(mini):
    _, evaluation = assess(mini, {**BASE, "who.count": 150, "who.reached_on": "2025-03-01", "who.filed": "no"})
    filing = evaluation.filing[0]
    assert (filing.deadline, filing.deadline_basis) == (dt.date(2025, 7, 14), "transition")
    assert filing.transition_note is not None


def test_filing_states(mini):
    assert assess(mini, BASE)[1].filing[0].state == "not_required"
    undetermined = assess(mini, {})[1].filing[0]
    assert (undetermined.state, undetermined.pending_questions) == ("undetermined", ("who.count",))
    done = assess(mini, {**BASE, "who.count": 150, "who.reached_on": "2025-09-15", "who.filed": "yes"})[1].filing[0]
    assert done.state == "done" and not done.overdue
    no_date = assess(mini, {**BASE, "who.count": 150})[1].filing[0]
    assert (no_date.state, no_date.deadline, no_date.deadline_problem) == ("required", None, "start_date_missing")
    unknown_year = assess(mini, {**BASE, "who.count": 150, "who.reached_on": "2026-12-20"})[1].filing[0]
    assert (unknown_year.deadline, unknown_year.deadline_problem) == (None, "calendar_unknown:2027")
