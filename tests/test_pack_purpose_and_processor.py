"""Issue 9, section 2: the facts of purpose, face analysis and the processor's role, and the findings they lead to.

Each test starts from honest answers of a complete example (S1, the lawful office turnstiles), changes the
facts one deployment would report, and checks the rule that sees them (id, severity, citations), then a
lawful variant of the same facts that does not produce it.
"""

from __future__ import annotations

import pytest

from dpia_app.core.conditions import MISSING
from dpia_app.core.conditions import evaluate as evaluate_condition
from dpia_app.core.evaluation import Evaluation

from .conftest import assess, example_answers


@pytest.fixture(scope="module")
def office(cn_pack) -> dict:
    """S1's answers: employees choose 1:1 face verification beside their badge, with separate consent."""
    return example_answers(cn_pack, "s1-office-turnstiles.dpia")


def evaluate_with(cn_pack, base: dict, **changes) -> Evaluation:
    answers = dict(base)
    answers.update({key.replace("__", "."): value for key, value in changes.items()})
    return assess(cn_pack, answers)[1]


def fired(evaluation: Evaluation) -> dict[str, object]:
    return {f.rule_id: f for f in evaluation.findings}


def frt_measures_items(refs) -> set[str]:
    return {ref for ref in refs if ref.startswith("FRT-")}


# Face analysis without names, reported honestly by a shop: cameras estimate age and gender and count
# each visitor once; the operator relies on consent but asks nobody separately.
ANALYSIS = {
    "scope.recognition_mode": "analysis_only",
    "scope.analysis_kinds": ["age_gender", "unique_visitor_count"],
    "scope.venue_types": ["retail_mall"],
    "scope.data_subjects": ["visitors_public"],
    "purpose.category": "other",
    "purpose.category_other": "Store layout planning",
    "purpose.commercial_uses": ["none"],
    "purpose.met_without_face_analysis": "no",
    "purpose.alternatives_analysed": "yes",
    "purpose.necessity_grounds": ["documented_problems"],
    "purpose.inferences": ["age_gender"],
    "consent.legal_basis": "consent",
    "consent.separate": "yes",
    "consent.active_step": "yes",
}


def analysis(office: dict, **changes) -> dict:
    answers = {**office, **ANALYSIS}
    answers.update({key.replace("__", "."): value for key, value in changes.items()})
    return answers


# --- 1. Face analysis that is not identification -------------------------------------------------


def test_face_analysis_without_separate_consent_is_blocking_on_pipl_and_spc_items(cn_pack, office):
    findings = fired(assess(cn_pack, analysis(office, consent__separate="no"))[1])
    rule = findings["R-SCOPE-07"]
    assert rule.severity == "blocking"
    assert set(rule.refs) == {"PIPL-28", "PIPL-29", "SPC-02"}
    assert "R-SCOPE-02" not in findings, "analysis must not fall through the detection-only route"

    lawful = fired(assess(cn_pack, analysis(office))[1])
    assert "R-SCOPE-07" not in lawful


def test_findings_on_face_analysis_alone_cite_no_frt_measures_item(cn_pack, office):
    answers = analysis(office, consent__separate="no", purpose__category="footfall_analytics",
                       purpose__alternatives_analysed="no", purpose__inferences=["ethnicity_religion"],
                       purpose__ethnicity_religion_grounds="none", purpose__ethics_concerns="yes",
                       purpose__tracking=["over_time"], purpose__linked_records=["membership"],
                       purpose__linking_consent="no")
    mine = {"R-SCOPE-07", "R-PURPOSE-10", "R-PURPOSE-11", "R-PURPOSE-14", "R-PURPOSE-16", "R-PURPOSE-19", "R-PURPOSE-20"}
    findings = fired(assess(cn_pack, answers)[1])
    assert mine <= set(findings)
    for rule_id in mine:
        assert not frt_measures_items(findings[rule_id].refs), rule_id
    # The FRT-Measures twins stay silent: the Measures' gate is not met.
    assert not {"R-PURPOSE-01", "R-PURPOSE-03", "R-PURPOSE-09"} & set(findings)


def test_confirmed_detection_only_gets_the_advisory_and_nothing_else(cn_pack, office):
    answers = {**office, "scope.recognition_mode": "detection_only", "scope.detection_keeps_nothing": "nothing_kept",
               "purpose.alternatives_analysed": "no", "consent.legal_basis": "consent", "consent.separate": "no"}
    findings = fired(assess(cn_pack, answers)[1])
    assert findings["R-SCOPE-02"].severity == "advisory"
    assert not {"R-SCOPE-06", "R-SCOPE-07", "R-PURPOSE-10", "R-PURPOSE-11", "R-PURPOSE-03"} & set(findings)


def test_unconfirmed_detection_only_is_a_legal_question_and_treated_as_analysis(cn_pack, office):
    answers = {**office, "scope.recognition_mode": "detection_only", "scope.detection_keeps_nothing": "not_confirmed",
               "scope.analysis_kinds": ["other"], "consent.legal_basis": "consent", "consent.separate": "no"}
    findings = fired(assess(cn_pack, answers)[1])
    assert (findings["R-SCOPE-06"].severity, findings["R-SCOPE-06"].kind) == ("high", "legal_question")
    assert "R-SCOPE-02" not in findings
    assert findings["R-SCOPE-07"].severity == "blocking"


def test_detection_that_in_fact_analyses_faces_gets_the_analysis_rules(cn_pack, office):
    answers = {**office, "scope.recognition_mode": "detection_only", "scope.detection_keeps_nothing": "analyses_faces",
               "scope.analysis_kinds": ["returning_visitor"], "purpose.category": "footfall_analytics",
               "purpose.met_without_face_analysis": "yes"}
    findings = fired(assess(cn_pack, answers)[1])
    assert "R-SCOPE-02" not in findings
    assert findings["R-PURPOSE-10"].severity == "blocking"
    assert set(findings["R-PURPOSE-10"].refs) == {"PIPL-28", "PIPL-06", "SPC-02"}


def test_footfall_analysis_of_faces_lacks_necessity_and_needs_separate_consent(cn_pack, office):
    # The showroom pattern: faces analysed to count visitors and estimate age and gender, on no consent.
    answers = analysis(office, purpose__category="footfall_analytics", purpose__met_without_face_analysis="yes",
                       consent__legal_basis="other", consent__basis_justification="Legitimate business interest")
    findings = fired(assess(cn_pack, answers)[1])
    assert findings["R-PURPOSE-10"].severity == "blocking"
    assert findings["R-PURPOSE-17"].severity == "blocking"
    assert {"PIPL-29", "PIPL-28"} <= set(findings["R-PURPOSE-17"].refs)

    lawful = fired(assess(cn_pack, analysis(office))[1])
    assert not {"R-PURPOSE-10", "R-PURPOSE-11", "R-PURPOSE-13", "R-PURPOSE-17"} & set(lawful)


def test_face_analysis_needs_a_necessity_analysis(cn_pack, office):
    findings = fired(assess(cn_pack, analysis(office, purpose__alternatives_analysed="no"))[1])
    assert findings["R-PURPOSE-11"].severity == "blocking"
    assert set(findings["R-PURPOSE-11"].refs) == {"PIPL-28", "PIPL-06"}
    weak = fired(assess(cn_pack, analysis(office, purpose__necessity_grounds=["convenience", "cost"]))[1])
    assert (weak["R-PURPOSE-13"].severity, weak["R-PURPOSE-13"].kind) == ("high", "legal_question")
    assert "R-PURPOSE-11" not in weak


def test_separate_consent_question_is_visible_for_face_analysis(cn_pack, office):
    evaluation = assess(cn_pack, analysis(office))[1]
    assert "consent.separate" in evaluation.visible_questions
    assert "purpose.met_without_face_analysis" in evaluation.visible_questions


# --- 2. Commercial purposes outside the list -----------------------------------------------------


def test_sales_commission_attribution_under_other_keeps_necessity_and_separate_consent(cn_pack, office):
    # A sales office recognises buyers 1:N to decide which agent earns the commission, chosen as "other".
    findings = fired(evaluate_with(cn_pack, office, purpose__category="other", purpose__category_other="Channel attribution",
                                   scope__recognition_mode="identification", purpose__one_to_one_would_suffice="no",
                                   purpose__commercial_uses=["sales_attribution"], consent__legal_basis="contract_or_hr",
                                   consent__contract_or_hr_ground="contract_with_individual",
                                   consent__basis_justification="Purchase agreement"))
    assert findings["R-PURPOSE-01"].severity == "blocking"
    assert "FRT-04" in findings["R-PURPOSE-01"].refs
    # Recognition for a commercial end on a contract basis: the separate-consent finding of the
    # Measures, once (R-PURPOSE-17 is its twin for face analysis without names).
    assert findings["R-CONSENT-03"].severity == "blocking"
    assert "R-PURPOSE-17" not in findings

    lawful = fired(evaluate_with(cn_pack, office, purpose__category="other", purpose__category_other="Examination check-in",
                                 purpose__commercial_uses=["none"]))
    assert not {"R-PURPOSE-01", "R-PURPOSE-17"} & set(lawful)


def test_sales_attribution_as_a_category_is_not_sufficiently_necessary(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__category="sales_attribution",
                                   purpose__commercial_uses=["sales_attribution"]))
    assert findings["R-PURPOSE-01"].severity == "blocking"


def test_staff_performance_monitoring_by_face_needs_separate_consent(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__category="staff_monitoring",
                                   purpose__commercial_uses=["staff_performance"], consent__legal_basis="contract_or_hr",
                                   consent__contract_or_hr_ground="hr_labour_rules",
                                   consent__basis_justification="Labour rules on performance reviews",
                                   consent__hr_rules_procedure="yes", consent__hr_rules_evidence="Congress minutes",
                                   consent__employee_separate_consent="no"))
    # Recognised staff: the Measures' separate-consent finding for a commercial end.
    assert findings["R-CONSENT-03"].severity == "blocking"
    assert findings["R-PURPOSE-18"].severity == "high"
    assert "GBT41819-06" in findings["R-PURPOSE-18"].refs


def test_other_purpose_category_does_not_switch_off_the_necessity_test(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__category="other", purpose__category_other="Visitor check",
                                   purpose__alternatives_analysed="no"))
    assert findings["R-PURPOSE-03"].severity == "blocking"


# --- 3. Tracking across sites or over time; linking to records -----------------------------------


def test_tracking_across_sites_without_separate_consent(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__tracking=["across_sites", "over_time"],
                                   purpose__linking_consent="no"))
    assert findings["R-PURPOSE-19"].severity == "high"
    assert {"PIPL-06", "PIPL-24", "GBT39335-03"} == set(findings["R-PURPOSE-19"].refs)
    assert findings["R-PURPOSE-20"].severity == "blocking"
    assert {"PIPL-14", "PIPL-29"} <= set(findings["R-PURPOSE-20"].refs)

    consented = fired(evaluate_with(cn_pack, office, purpose__tracking=["across_sites"], purpose__linking_consent="yes"))
    assert "R-PURPOSE-20" not in consented
    untracked = fired(evaluate_with(cn_pack, office, purpose__tracking=["none"], purpose__linked_records=["none"]))
    assert not {"R-PURPOSE-19", "R-PURPOSE-20"} & set(untracked)


def test_linking_faces_to_membership_or_sales_records_is_a_change_of_purpose(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__linked_records=["membership", "sales"],
                                   purpose__linking_consent="unknown"))
    assert findings["R-PURPOSE-20"].severity == "blocking"
    # A public-security basis is not a consent basis: the change-of-consent rule does not apply.
    security = fired(evaluate_with(cn_pack, office, purpose__linked_records=["other_records"], purpose__linking_consent="no",
                                   consent__legal_basis="public_security"))
    assert "R-PURPOSE-20" not in security


def test_prices_or_offers_set_from_face_derived_tags(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, auto__differential_treatment="yes"))
    assert (findings["R-AUTO-03"].severity, findings["R-AUTO-03"].refs) == ("high", ("PIPL-24",))
    assert "R-AUTO-03" not in fired(evaluate_with(cn_pack, office, auto__differential_treatment="no"))


# --- 4. Third-party face payment -----------------------------------------------------------------


PAYMENT = {"purpose.category": "payment", "purpose.payment_face_flow": "platform_only",
           "purpose.payment_platform_consent": "yes", "purpose.payment_counter_notice": "yes",
           "org.processor_role": "independent_platform", "org.device_kinds": ["payment_terminal"]}
PAYMENT_RULES = {"R-PURPOSE-21", "R-PURPOSE-22", "R-PURPOSE-23"}


class _Answers:
    """Just enough of an answer source to evaluate one of the pack's named conditions."""

    def __init__(self, values: dict, definitions):
        self.values, self.definitions = values, definitions

    def value(self, question_id: str):
        return self.values.get(question_id, MISSING)

    def definition(self, name: str):
        return self.definitions[name]


def test_platform_face_payment_with_consent_and_notice_gives_the_merchant_no_payment_finding(cn_pack, office):
    evaluation = assess(cn_pack, {**office, **PAYMENT})[1]
    assert not PAYMENT_RULES & set(fired(evaluation))
    # The named condition other sections use to spare the merchant the platform's storage duties.
    definitions = cn_pack.pack.definitions
    platform_only = definitions["face_payment_by_platform_only"]
    assert evaluate_condition(platform_only, _Answers({"purpose.payment_face_flow": "platform_only"}, definitions)) is True
    assert evaluate_condition(platform_only, _Answers({"purpose.payment_face_flow": "platform_and_our_copy"}, definitions)) is False


def test_merchant_copy_of_payers_faces_is_its_own_processing(cn_pack, office):
    findings = fired(assess(cn_pack, {**office, **PAYMENT, "purpose.payment_face_flow": "platform_and_our_copy"})[1])
    assert findings["R-PURPOSE-21"].severity == "high"


def test_platform_consent_not_confirmed_is_a_legal_question_not_a_merchant_breach(cn_pack, office):
    findings = fired(assess(cn_pack, {**office, **PAYMENT, "purpose.payment_platform_consent": "unknown",
                                      "purpose.payment_counter_notice": "no"})[1])
    assert (findings["R-PURPOSE-22"].severity, findings["R-PURPOSE-22"].kind) == ("high", "legal_question")
    assert findings["R-PURPOSE-23"].severity == "advisory"
    assert all(findings[rule].severity != "blocking" for rule in PAYMENT_RULES & set(findings))
    unknown_flow = fired(assess(cn_pack, {**office, **PAYMENT, "purpose.payment_face_flow": "not_known"})[1])
    assert "R-PURPOSE-22" in unknown_flow


# --- 5. Who is the processor ---------------------------------------------------------------------


def test_joint_processing_without_an_agreement_on_rights_and_duties(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, org__processor_role="joint", org__joint_parties="The mall and its tenants",
                                   org__joint_agreement="silent_on_requests"))
    assert findings["R-ORG-04"].severity == "high"
    assert "PIPL-20" in findings["R-ORG-04"].refs
    agreed = fired(evaluate_with(cn_pack, office, org__processor_role="joint", org__joint_parties="The mall and its tenants",
                                 org__joint_agreement="full"))
    assert "R-ORG-04" not in agreed


def test_vendor_collecting_for_a_school_but_deciding_itself(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, org__processor_role="entrusted_for_client",
                                   org__client_name="No. 3 Primary School", org__entrustment_terms="own_decisions"))
    assert findings["R-ORG-05"].severity == "high"
    assert {"PIPL-21", "PIPL-20"} == set(findings["R-ORG-05"].refs)
    bound = fired(evaluate_with(cn_pack, office, org__processor_role="entrusted_for_client",
                                org__client_name="No. 3 Primary School", org__entrustment_terms="written_instructions"))
    assert "R-ORG-05" not in bound


def test_processor_role_not_settled_is_a_legal_question(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, org__processor_role="not_settled"))
    assert (findings["R-ORG-06"].severity, findings["R-ORG-06"].kind) == ("high", "legal_question")


# --- 6. Enrolment source -------------------------------------------------------------------------


def test_importing_hr_file_photos_without_new_consent_is_a_change_of_purpose(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, org__enrolment_sources=["existing_files"],
                                   org__imported_photos_basis="no_new_consent"))
    assert findings["R-ORG-07"].severity == "blocking"
    assert "PIPL-14" in findings["R-ORG-07"].refs
    asked = fired(evaluate_with(cn_pack, office, org__enrolment_sources=["existing_files"],
                                org__imported_photos_basis="separate_consent"))
    assert "R-ORG-07" not in asked


def test_gallery_received_from_another_processor_without_documented_consent(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, org__enrolment_sources=["received_from_others"],
                                   org__received_faces_terms="not_documented"))
    assert findings["R-ORG-08"].severity == "blocking"
    assert {"PIPL-23", "PIPL-14"} <= set(findings["R-ORG-08"].refs)
    documented = fired(evaluate_with(cn_pack, office, org__enrolment_sources=["received_from_others"],
                                     org__received_faces_terms="consented"))
    assert "R-ORG-08" not in documented


# --- 7. Sector rules found -----------------------------------------------------------------------


HOTEL = {"scope.venue_types": ["hotel_accommodation"], "scope.sector_rules_checked": "yes",
         "scope.sector_rules_found": ["hotel_registration"],
         "scope.sector_rules_detail": "Guest real-name registration rules: identity verified at check-in and reported to the police."}


def test_sector_rules_found_are_recorded_and_their_breach_is_a_legal_question(cn_pack, office):
    evaluation = assess(cn_pack, {**office, **HOTEL, "scope.sector_rules_met": "no"})[1]
    assert {"scope.sector_rules_found", "scope.sector_rules_detail", "scope.sector_rules_met"} <= set(evaluation.visible_questions)
    findings = fired(evaluation)
    assert (findings["R-SCOPE-08"].severity, findings["R-SCOPE-08"].kind) == ("high", "legal_question")
    assert findings["R-SCOPE-08"].refs[0] == "PIPL-32"
    unchecked = fired(assess(cn_pack, {**office, **HOTEL, "scope.sector_rules_met": "unknown"})[1])
    assert unchecked["R-SCOPE-04"].severity == "advisory"
    met = fired(assess(cn_pack, {**office, **HOTEL, "scope.sector_rules_met": "yes"})[1])
    assert not {"R-SCOPE-04", "R-SCOPE-08"} & set(met)


def test_property_management_prompts_the_sector_check(cn_pack, office):
    evaluation = assess(cn_pack, {**office, "scope.venue_types": ["residential_compound"]})[1]
    assert "scope.sector_rules_checked" in evaluation.visible_questions


# --- 8. Sensitive traits inferred from faces -----------------------------------------------------


def test_ethnicity_inferred_without_its_own_basis_is_blocking_on_its_own(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__inferences=["ethnicity_religion"],
                                   purpose__ethnicity_religion_grounds="none", purpose__ethics_concerns="no"))
    assert findings["R-PURPOSE-14"].severity == "blocking"
    assert set(findings["R-PURPOSE-14"].refs) == {"PIPL-28", "PIPL-29"}
    assert "R-PURPOSE-09" not in findings
    grounded = fired(evaluate_with(cn_pack, office, purpose__inferences=["ethnicity_religion"],
                                   purpose__ethnicity_religion_grounds="all_three", purpose__ethics_concerns="no"))
    assert "R-PURPOSE-14" not in grounded
    assert (grounded["R-PURPOSE-15"].severity, grounded["R-PURPOSE-15"].kind) == ("high", "legal_question")


def test_sorting_by_inferred_ethnicity_with_a_tool_that_can_single_out_groups(cn_pack, office):
    findings = fired(evaluate_with(cn_pack, office, purpose__inferences=["ethnicity_religion"],
                                   purpose__ethnicity_religion_grounds="all_three", purpose__ethics_concerns="yes",
                                   purpose__ethics_description="Could flag visitors of one ethnicity"))
    assert findings["R-PURPOSE-09"].severity == "blocking"
    assert set(findings["R-PURPOSE-09"].refs) == {"FRT-03", "PIPL-10", "PIPL-24", "PIPL-28", "PIPL-29", "SPC-02"}
    assert "R-PURPOSE-15" not in findings


def test_health_inference_is_a_legal_question_and_blocking_only_without_consent_or_necessity(cn_pack, office):
    grounded = fired(evaluate_with(cn_pack, office, purpose__inferences=["health"], purpose__health_inference_grounds="both",
                                   purpose__ethics_concerns="yes", purpose__ethics_description="Fatigue detection"))
    assert (grounded["R-PURPOSE-15"].severity, grounded["R-PURPOSE-15"].kind) == ("high", "legal_question")
    assert not [f for f in grounded.values() if f.severity == "blocking" and f.rule_id.startswith("R-PURPOSE")]
    assert grounded["R-PURPOSE-08"].severity == "advisory", "the ethics flag alone is a self-report"
    missing = fired(evaluate_with(cn_pack, office, purpose__inferences=["health"], purpose__health_inference_grounds="one"))
    assert missing["R-PURPOSE-14"].severity == "blocking"


def test_frt_03_and_frtd_04_never_carry_a_blocking_rule_alone(cn_pack):
    catalog = cn_pack.catalog
    for rule in cn_pack.pack.rules:
        if rule.severity == "blocking" and "FRT-03" in rule.refs:
            assert any(catalog.get(ref).severity == "blocking" for ref in rule.refs if ref != "FRT-03"), rule.id
        if "FRTD-04" in rule.refs:
            assert rule.severity == "advisory", rule.id


# --- 9. Necessity analysis: absent in substance or weak ------------------------------------------


def test_absent_necessity_analysis_is_blocking_and_a_weak_one_a_legal_question(cn_pack, office):
    absent = fired(evaluate_with(cn_pack, office, purpose__alternatives_analysed="no"))
    assert absent["R-PURPOSE-03"].severity == "blocking"
    assert set(absent["R-PURPOSE-03"].refs) == {"FRT-04", "PIPL-28", "PIPL-06"}
    weak = fired(evaluate_with(cn_pack, office, purpose__necessity_grounds=["convenience", "preference"]))
    assert (weak["R-PURPOSE-12"].severity, weak["R-PURPOSE-12"].kind) == ("high", "legal_question")
    assert "FRT-04" in weak["R-PURPOSE-12"].refs
    sound = fired(evaluate_with(cn_pack, office))
    assert not {"R-PURPOSE-03", "R-PURPOSE-12"} & set(sound)
