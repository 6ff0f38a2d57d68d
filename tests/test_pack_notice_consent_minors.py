"""Facts of notice, legal basis and children (form pack 1.2) and the findings honest answers to them give.

Each test starts from a complete example deployment and changes only the facts it is about, so it
shows which rule sees the fact, with what severity and citing which requirements.
"""

from __future__ import annotations

import pytest

from dpia_app.core.evaluation import Evaluation, Finding

from .conftest import assess, example_answers


def office(cn_pack, **changes) -> Evaluation:
    """S1: employees' turnstiles, consent as the basis, planned."""
    return assess(cn_pack, {**example_answers(cn_pack, "s1-office-turnstiles.dpia"), **changes})[1]


def finding(evaluation: Evaluation, rule_id: str) -> Finding | None:
    return next((f for f in evaluation.findings if f.rule_id == rule_id), None)


def fired(evaluation: Evaluation) -> set[str]:
    return {f.rule_id for f in evaluation.findings}


def hr_basis(**changes) -> dict:
    return {"consent.legal_basis": "contract_or_hr", "consent.basis_justification": "Attendance under the staff handbook.",
            "consent.contract_or_hr_ground": "hr_labour_rules", **changes}


# --- notice ------------------------------------------------------------------------------------

def test_a_cctv_sign_that_does_not_say_faces_are_recognised_is_no_notice_of_facial_recognition(cn_pack):
    evaluation = office(cn_pack, **{"notice.says_faces_recognised": "no"})
    found = finding(evaluation, "R-NOTICE-02")
    assert found is not None and found.severity == "blocking"
    assert {"FRT-05", "SPC-02"} <= set(found.refs)
    assert finding(office(cn_pack), "R-NOTICE-02") is None


def test_completeness_and_manner_of_the_notice_cite_frt_05c_not_the_core_duty(cn_pack):
    incomplete = office(cn_pack, **{"notice.contents": ["purpose_and_method"], "notice.separate_from_policy": "no"})
    for rule_id in ("R-NOTICE-03", "R-NOTICE-04", "R-NOTICE-05"):
        found = finding(incomplete, rule_id)
        assert found is not None and found.severity == "high", rule_id
        assert "FRT-05c" in found.refs and "FRT-05" not in found.refs, rule_id


def test_faces_analysed_without_notice_is_blocking_outside_the_measures(cn_pack):
    analysis = {"scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["age_gender", "returning_visitor"],
                "notice.given": "no"}
    found = finding(office(cn_pack, **analysis), "R-NOTICE-08")
    assert found is not None and found.severity == "blocking"
    assert set(found.refs) == {"SPC-02", "PIPL-17", "PIPL-30"}, "analysis alone is not cited to the FRT Measures"
    # "Detection only" that is not confirmed is analysed faces too.
    unconfirmed = office(cn_pack, **{**analysis, "scope.recognition_mode": "detection_only", "scope.detection_keeps_nothing": "not_confirmed"})
    assert "R-NOTICE-08" in fired(unconfirmed)
    # Confirmed pure detection without notice stays a high PIPL finding.
    confirmed = office(cn_pack, **{**analysis, "scope.recognition_mode": "detection_only", "scope.detection_keeps_nothing": "nothing_kept"})
    assert "R-NOTICE-08" not in fired(confirmed) and finding(confirmed, "R-NOTICE-07").severity == "high"


def test_an_incomplete_notice_of_face_analysis_is_high(cn_pack):
    evaluation = office(cn_pack, **{"scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["emotion"],
                                    "notice.contents": ["purpose_and_method", "pi_types"]})
    assert finding(evaluation, "R-NOTICE-09").severity == "high"
    assert "R-NOTICE-08" not in fired(evaluation)


# --- human-resources basis (PIPL-13, OTH-06) ---------------------------------------------------

def test_hr_basis_without_lawful_labour_rules_and_without_consent_is_blocking(cn_pack):
    for procedure in ("partly", "no", "unknown"):
        evaluation = office(cn_pack, **hr_basis(**{"consent.hr_rules_procedure": procedure, "consent.employee_separate_consent": "no"}))
        found = finding(evaluation, "R-CONSENT-13")
        assert found is not None and found.severity == "blocking", procedure
        assert set(found.refs) == {"PIPL-13", "PIPL-29", "OTH-06"}
    no_rules = office(cn_pack, **hr_basis(**{"consent.contract_or_hr_ground": "hr_no_labour_rules", "consent.employee_separate_consent": "no"}))
    assert "R-CONSENT-13" in fired(no_rules)


def test_hr_rules_that_passed_the_procedure_leave_necessity_as_a_legal_question(cn_pack):
    evaluation = office(cn_pack, **hr_basis(**{"consent.hr_rules_procedure": "yes", "consent.employee_separate_consent": "no",
                                               "consent.hr_rules_evidence": "Staff handbook art. on attendance; congress minutes 2026-03-02; notice e-mail 2026-03-10."}))
    assert "R-CONSENT-13" not in fired(evaluation) and "R-CONSENT-18" not in fired(evaluation)
    question = finding(evaluation, "R-CONSENT-16")
    assert question.kind == "legal_question" and question.severity == "high"
    assert set(question.refs) == {"PIPL-13", "PIPL-28", "OTH-06"}


def test_employees_separate_consent_routes_to_the_consent_rules(cn_pack):
    evaluation = office(cn_pack, **hr_basis(**{"consent.hr_rules_procedure": "no", "consent.employee_separate_consent": "yes",
                                               "consent.separate": "no"}))
    assert "R-CONSENT-13" not in fired(evaluation), "with separate consent the HR basis failing is not blocking"
    assert finding(evaluation, "R-CONSENT-18").severity == "high"
    assert finding(evaluation, "R-CONSENT-16").kind == "legal_question"
    # The consent questions now apply to that consent, and a consent that is not separate is blocking.
    assert "consent.separate" in evaluation.visible_questions
    assert finding(evaluation, "R-CONSENT-04").severity == "blocking"


def test_a_change_of_method_under_an_hr_basis_needs_the_rules_amended(cn_pack):
    lawful = hr_basis(**{"consent.hr_rules_procedure": "yes", "consent.hr_rules_evidence": "minutes", "consent.employee_separate_consent": "no",
                         "scope.deployment_stage": "live", "consent.purpose_or_method_changed": "yes"})
    unamended = office(cn_pack, **lawful, **{"consent.change_covered_by_basis": "no"})
    found = finding(unamended, "R-CONSENT-19")
    assert found is not None and found.severity == "blocking" and "PIPL-13" in found.refs
    unknown = office(cn_pack, **lawful, **{"consent.change_covered_by_basis": "unknown"})
    assert finding(unknown, "R-CONSENT-20").kind == "legal_question"
    amended = office(cn_pack, **lawful, **{"consent.change_covered_by_basis": "yes"})
    assert not {"R-CONSENT-19", "R-CONSENT-20"} & fired(amended)
    # Under consent the same change asks for new consent instead.
    assert "consent.change_covered_by_basis" not in office(cn_pack, **{"scope.deployment_stage": "live", "consent.purpose_or_method_changed": "yes"}).visible_questions


# --- children (PIPL-31, PIPL-31b) ------------------------------------------------------------

CHILDREN = {"minors.under_14_possible": "yes", "minors.recognised": "yes", "minors.guardian_consent": "yes"}


def test_special_rules_for_children_are_a_high_duty_under_every_basis(cn_pack):
    for basis in ({}, {"consent.legal_basis": "public_security", "consent.basis_justification": "Station security."}):
        evaluation = office(cn_pack, **CHILDREN, **basis, **{"minors.special_rules": "no", "minors.age_check": "yes"})
        found = finding(evaluation, "R-MINORS-03")
        assert found is not None and found.severity == "high" and list(found.refs) == ["PIPL-31b"], basis


def test_the_age_check_is_asked_only_where_consent_is_the_basis(cn_pack):
    consent = office(cn_pack, **CHILDREN, **{"minors.age_check": "no", "minors.special_rules": "yes"})
    assert finding(consent, "R-MINORS-04").severity == "high"
    security = office(cn_pack, **CHILDREN, **{"consent.legal_basis": "public_security", "consent.basis_justification": "Station security.",
                                              "minors.age_check": "no", "minors.special_rules": "yes"})
    assert "minors.age_check" not in security.visible_questions
    assert "R-MINORS-04" not in fired(security)


# --- must not proceed: stop and delete first ------------------------------------------------

@pytest.mark.parametrize(("stage", "steps"), [("live", ["STOP", "DELETE", "TELL-PEOPLE", "FILING-CHANGE"]), ("planned", ["DO-NOT-START"])])
def test_a_deployment_that_must_not_proceed_is_told_to_stop_and_delete_first(cn_pack, stage, steps):
    answers = example_answers(cn_pack, "s2-mall-vip-recognition.dpia")
    evaluation = assess(cn_pack, {**answers, "scope.deployment_stage": stage})[1]
    assert evaluation.verdict.outcome == "must_not_proceed"
    assert list(evaluation.verdict.first_steps) == steps


def test_a_deployment_that_may_proceed_has_no_first_steps(cn_pack):
    assert office(cn_pack).verdict.first_steps == ()


# --- risk titles fit the deployment ----------------------------------------------------------

def risk_titles(evaluation: Evaluation) -> dict[str, str]:
    return {r.risk_id: r.title.en for r in evaluation.risks}


def test_risk_titles_fit_the_deployment(cn_pack):
    gym = assess(cn_pack, example_answers(cn_pack, "s3-gym-entry-with-children.dpia"))[1]
    mall = assess(cn_pack, example_answers(cn_pack, "s2-mall-vip-recognition.dpia"))[1]
    analytics = office(cn_pack, **{"scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["returning_visitor"]})
    # Members identified at their own entrance are not tracked without their knowledge; shoppers are.
    assert risk_titles(gym)["RISK-SURVEILLANCE"] == "Enrolled people followed beyond what they enrolled for"
    assert risk_titles(mall)["RISK-SURVEILLANCE"] == "Tracking people without their knowledge"
    assert risk_titles(analytics)["RISK-SURVEILLANCE"] == "Profiling people by their faces, without names"
    assert risk_titles(office(cn_pack))["RISK-COERCION"].startswith("No real choice for employees")
    assert risk_titles(gym)["RISK-COERCION"] == "No real choice: people are pushed into facial recognition"


def test_covert_capture_gets_one_surveillance_finding_not_a_notice_finding_beside_it(cn_pack):
    mall = assess(cn_pack, example_answers(cn_pack, "s2-mall-vip-recognition.dpia"))[1]
    assert "R-ALT-16" in fired(mall) and "R-NOTICE-01" not in fired(mall)
    assert risk_titles(mall)["RISK-COERCION"].startswith("No chance to refuse")
    assert list(mall.verdict.first_steps)[:2] == ["STOP", "DELETE"]


def test_capture_without_asking_scores_the_coercion_risk_as_if_nobody_could_refuse(cn_pack):
    mall = assess(cn_pack, example_answers(cn_pack, "s2-mall-vip-recognition.dpia"))[1]
    coercion = next(r for r in mall.risks if r.risk_id == "RISK-COERCION")
    assert "COERCION-NOBODY-ASKED" in {step.id for step in coercion.inherent_steps}
    assert coercion.area_likelihood["processing_procedures"] == "very_high"
    office_coercion = next(r for r in office(cn_pack).risks if r.risk_id == "RISK-COERCION")
    assert "COERCION-NOBODY-ASKED" not in {step.id for step in office_coercion.inherent_steps}


def test_two_requirements_of_one_article_are_cited_once(cn_pack):
    gym = assess(cn_pack, example_answers(cn_pack, "s3-gym-entry-with-children.dpia"))[1]
    filing = finding(gym, "R-SCALE-01")
    assert {"FRT-15a", "FRT-15b"} <= set(filing.refs)
    texts = [c.text.zh_hans for c in filing.citations]
    assert len(texts) == len(set(texts)) and "《人脸识别技术应用安全管理办法》第十五条" in texts


def test_guardian_consent_is_owed_where_consent_is_the_basis(cn_pack):
    no_guardian = {**CHILDREN, "minors.guardian_consent": "no", "minors.special_rules": "yes", "minors.age_check": "yes"}
    assert finding(office(cn_pack, **no_guardian), "R-MINORS-01").severity == "blocking"
    security = office(cn_pack, **no_guardian, **{"consent.legal_basis": "public_security", "consent.basis_justification": "Station security."})
    hr = office(cn_pack, **no_guardian, **hr_basis(**{"consent.hr_rules_procedure": "yes", "consent.hr_rules_evidence": "minutes",
                                                      "consent.employee_separate_consent": "no"}))
    assert "R-MINORS-01" not in fired(security) and "R-MINORS-01" not in fired(hr)


def test_passers_by_not_filtered_under_a_public_security_purpose_is_advisory(cn_pack):
    public = {"places.public_place": "yes", "places.public_security_purpose": "yes", "places.public_security_justification": "Station security.",
              "places.prominent_signs": "yes", "places.capture_area_limited": "yes", "places.used_for_other_purposes": "no",
              "places.remote_watchlist": "no", "places.bystander_filtering": "no"}
    found = finding(office(cn_pack, **public), "R-PLACES-12")
    assert found.severity == "advisory" and list(found.refs) == ["GBT41819-04"]
    assert "R-PLACES-12" not in fired(office(cn_pack, **{**public, "places.bystander_filtering": "yes"}))


def test_a_joint_processor_is_assessed_like_a_recipient(cn_pack):
    joint = office(cn_pack, **{"org.processor_role": "joint", "share.third_parties": "no"})
    assert "share.recipients_assessed" in joint.visible_questions


def test_the_activities_grid_records_what_gbt_39335_lists(cn_pack):
    fields = {f.id for f in cn_pack.pack.question("org.activities").fields}
    assert {"source", "protection", "deletion_method", "copies", "storage_place", "retention", "shared", "cross_border"} <= fields


# --- the Measures are cited where they apply (instrument_scope) --------------------------------

ANALYSIS = {"scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["returning_visitor"]}


def test_findings_on_face_analysis_cite_the_pipl_not_the_measures(cn_pack):
    no_encryption = {"sec.encryption_at_rest": "no"}
    recognition = finding(office(cn_pack, **no_encryption), "R-SECURITY-01")
    analysis = finding(office(cn_pack, **no_encryption, **ANALYSIS), "R-SECURITY-01")
    assert "FRT-14" in recognition.refs
    assert "FRT-14" not in analysis.refs and "PIPL-51" in analysis.refs
    assert all("人脸识别技术应用安全管理办法" not in c.text.zh_hans for c in analysis.citations)


def test_the_measures_stay_cited_where_nothing_else_carries_the_finding(cn_pack):
    # A high finding whose only binding high requirement is FRT-14 keeps it rather than stand on advisory text.
    analysis = finding(office(cn_pack, **{"sec.intrusion_detection": "no"}, **ANALYSIS), "R-SECURITY-08")
    assert "FRT-14" in analysis.refs


def test_an_unanswered_recognition_mode_takes_no_instrument_out(cn_pack):
    answers = {k: v for k, v in example_answers(cn_pack, "s1-office-turnstiles.dpia").items() if k != "scope.recognition_mode"}
    evaluation = assess(cn_pack, {**answers, "sec.encryption_at_rest": "no"})[1]
    found = finding(evaluation, "R-SECURITY-01")
    assert found is not None and "FRT-14" in found.refs
