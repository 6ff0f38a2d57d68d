"""Capture people cannot avoid or refuse, withheld and presented alternatives, friction, claimed mandates.

Issue 9, sections 2 and 3: each test answers the China pack the way an honest operator of a real
deployment would, starting from an example draft, and checks the findings the rules give for that fact
(rule, severity, references), and that a lawful variant does not get them.
"""

from __future__ import annotations

import pytest

from .conftest import assess, example_answers

# Findings that presuppose a point where people choose: "only way", "steered", "refused", "forced".
CHOICE_RULES = {"R-ALT-01", "R-ALT-02", "R-ALT-03", "R-ALT-04", "R-ALT-05", "R-ALT-06", "R-ALT-07",
                "R-ALT-08", "R-ALT-10", "R-ALT-12", "R-ALT-13", "R-ALT-14", "R-ALT-15"}
SURVEILLANCE_RULES = {"R-ALT-16", "R-ALT-17", "R-ALT-18", "R-ALT-19"}


@pytest.fixture
def office(cn_pack) -> dict:
    """S1: employees present their face at their own office's turnstiles; badges work just as well."""
    return example_answers(cn_pack, "s1-office-turnstiles.dpia")


@pytest.fixture
def mall(cn_pack) -> dict:
    """S2: cameras at every mall entrance recognise everyone who walks in; only a CCTV sign."""
    return example_answers(cn_pack, "s2-mall-vip-recognition.dpia")


@pytest.fixture
def hotel(office) -> dict:
    """A hotel check-in kiosk: guests show their ID document at the desk or verify by face."""
    return {**office, "scope.venue_types": ["hotel_accommodation"], "scope.data_subjects": ["customers_members"],
            "purpose.category": "identity_verification", "alt.capture_mode": ["presents_face"]}


def findings(cn_pack, answers: dict) -> dict:
    _, evaluation = assess(cn_pack, answers)
    return {f.rule_id: f for f in evaluation.findings}


def refs_cited(found: dict) -> set[str]:
    return {ref for f in found.values() for ref in f.refs}


def test_examples_answer_how_people_come_to_be_captured(office, mall, cn_pack):
    assert office["alt.capture_mode"] == ["presents_face"]
    assert mall["alt.capture_mode"] == ["everyone_in_view"]
    assert example_answers(cn_pack, "s3-gym-entry-with-children.dpia")["alt.capture_mode"] == ["presents_face"]


# --- 1. Capture people cannot avoid or refuse ------------------------------------------------------


def test_refusal_questions_are_asked_only_where_people_present_their_face(cn_pack, office):
    choice_questions = {"alt.non_face_method", "alt.refusal_consequence", "alt.face_is_default",
                        "alt.staff_say_face_required", "alt.national_mandate", "alt.reprompt_after_refusal",
                        "access.accessible_alternative"}
    _, before = assess(cn_pack, {k: v for k, v in office.items() if k != "alt.capture_mode"})
    assert choice_questions <= before.visible_questions, "shown until the capture mode is known"
    _, ambient = assess(cn_pack, {**office, "alt.capture_mode": ["everyone_in_view"]})
    assert not choice_questions & ambient.visible_questions
    _, mixed = assess(cn_pack, {**office, "alt.capture_mode": ["presents_face", "everyone_in_view"]})
    assert choice_questions <= mixed.visible_questions


def test_covert_recognition_cameras_get_stop_and_delete_not_add_an_alternative(cn_pack, mall):
    found = findings(cn_pack, mall)
    covert = found["R-ALT-16"]
    assert covert.severity == "blocking" and covert.kind == "finding"
    assert set(covert.refs) == {"FRT-05", "FRT-06", "PIPL-29", "SPC-02"}
    assert "Stop capturing" in covert.recommendation.en and "Delete" in covert.recommendation.en
    assert "立即停止采集" in covert.recommendation.zh_hans and "删除" in covert.recommendation.zh_hans
    # The mall's old answers to the refusal questions are hidden now and raise nothing.
    assert not CHOICE_RULES & set(found)
    assert not {"FRT-10", "FRT-12", "OTH-03", "GBT41819-01"} & refs_cited(found)
    mine = [f for f in found.values() if f.rule_id.startswith(("R-ALT-", "R-PLACES-", "R-ACCESS-"))]
    assert mine and all("non-face" not in f.recommendation.en for f in mine)


def test_hidden_analytics_camera_gets_surveillance_findings_without_frt_only_citations(cn_pack, mall):
    answers = {**mall, "scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["age_gender", "returning_visitor"],
               "purpose.category": "footfall_analytics", "alt.capture_mode": ["hidden_or_unannounced"]}
    found = findings(cn_pack, answers)
    covert = found["R-ALT-17"]
    assert covert.severity == "blocking"
    assert set(covert.refs) == {"SPC-02", "PIPL-17", "PIPL-30", "PIPL-29"}
    assert "Stop the analysis" in covert.recommendation.en and "立即停止分析" in covert.recommendation.zh_hans
    assert "R-ALT-16" not in found, "the FRT Measures' version is for recognition"
    assert not CHOICE_RULES & set(found)
    assert not {"FRT-10", "FRT-12"} & refs_cited(found)
    # In the public place the analysis is tested under the PIPL's public-place rule, not FRT-13a.
    assert set(found["R-PLACES-10"].refs) == {"PIPL-26", "PIPL-29", "SPC-02"}
    assert set(found["R-PLACES-11"].refs) == {"PIPL-26"}
    assert not {"R-PLACES-01", "R-PLACES-04"} & set(found)


def test_announced_camera_that_captures_everyone_is_still_surveillance(cn_pack, mall):
    announced = {**mall, "notice.given": "yes", "notice.before_capture": "yes"}
    found = findings(cn_pack, announced)
    ambient = found["R-ALT-18"]
    assert ambient.severity == "blocking"
    assert set(ambient.refs) == {"FRT-04", "FRT-06", "PIPL-28", "PIPL-29", "SPC-02"}
    assert "Stop recognising people" in ambient.recommendation.en
    assert "R-ALT-16" not in found
    analysed = findings(cn_pack, {**announced, "scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["age_gender"]})
    assert set(analysed["R-ALT-19"].refs) == {"PIPL-28", "PIPL-29", "SPC-02"}
    assert "R-ALT-18" not in analysed


def test_notice_that_comes_after_capture_leaves_the_capture_covert(cn_pack, mall):
    found = findings(cn_pack, {**mall, "notice.given": "yes", "notice.before_capture": "no"})
    assert "R-ALT-16" in found and "R-ALT-18" not in found


def test_bystanders_captured_in_a_public_place_block_with_frt_13a_and_pipl_26(cn_pack, mall):
    # Even if the operator believes bystanders are filtered, a camera that captures everyone in view is not.
    found = findings(cn_pack, {**mall, "places.bystander_filtering": "yes"})
    bystanders = found["R-PLACES-06"]
    assert bystanders.severity == "blocking"
    assert {"GBT41819-04", "FRT-13a", "PIPL-26"} <= set(bystanders.refs)
    assert "Stop processing bystanders" in bystanders.recommendation.en


def test_ambient_capture_claimed_for_public_security_is_a_question_for_counsel_not_a_stop(cn_pack, mall):
    security = {**mall, "notice.given": "yes", "notice.before_capture": "yes", "places.public_security_purpose": "yes",
                "places.public_security_justification": "Required in writing by the district public security bureau.",
                "places.used_for_other_purposes": "no", "purpose.category": "public_security"}
    found = findings(cn_pack, security)
    assert "R-ALT-18" not in found
    assert found["R-PLACES-09"].kind == "legal_question"


def test_people_presenting_their_face_with_a_real_choice_get_no_surveillance_finding(cn_pack, office):
    assert not SURVEILLANCE_RULES & set(findings(cn_pack, office))


def test_a_terminal_and_ambient_cameras_in_one_deployment_get_both_kinds_of_finding(cn_pack, mall):
    answers = {**mall, "alt.capture_mode": ["presents_face", "everyone_in_view"]}
    found = findings(cn_pack, answers)
    assert {"R-ALT-16", "R-ALT-01"} <= set(found), "the kiosk is the only way; the entrance cameras are covert"


# --- 2. An alternative withheld, and how it is presented ------------------------------------------


def test_card_reader_installed_but_switched_off_is_no_alternative(cn_pack, office):
    found = findings(cn_pack, {**office, "alt.alternative_availability": "withheld"})
    withheld = found["R-ALT-14"]
    assert withheld.severity == "blocking"
    assert {"FRT-10", "FRT-12", "PIPL-05"} == set(withheld.refs)
    assert "不得将人脸识别技术作为唯一验证方式" in withheld.why.zh_hans


def test_staff_told_not_to_offer_the_id_check_in_a_hotel_is_a_forced_scan(cn_pack, hotel):
    found = findings(cn_pack, {**hotel, "alt.alternative_availability": "withheld"})
    assert {"R-ALT-14", "R-ALT-10"} <= set(found)
    assert "OTH-03" in found["R-ALT-10"].refs and found["R-ALT-10"].severity == "blocking"


def test_alternative_offered_only_on_request_is_steering_not_a_missing_alternative(cn_pack, office):
    found = findings(cn_pack, {**office, "alt.alternative_availability": "on_request"})
    steering = found["R-ALT-06"]
    assert steering.severity == "blocking" and set(steering.refs) == {"FRT-12", "PIPL-05"}
    assert "FRT-10" not in refs_cited(found), "the alternative itself exists and is as good"


def test_face_as_default_or_alternative_shown_smaller_is_inducement_under_frt_12(cn_pack, office):
    for emphasis in (["face_preselected"], ["other_way_smaller"], ["other_way_later"]):
        found = findings(cn_pack, {**office, "alt.face_is_default": "yes", "alt.face_emphasis": emphasis})
        assert set(found["R-ALT-06"].refs) == {"FRT-12", "PIPL-05"}
        assert "FRT-10" not in refs_cited(found)


def test_a_fee_or_a_slower_lane_for_the_alternative_cites_frt_10(cn_pack, office):
    worse = {**office, "alt.equally_convenient": "no", "alt.inconvenience": ["extra_fee"], "alt.friction_source": "operator_made"}
    found = findings(cn_pack, worse)
    assert found["R-ALT-04"].severity == "blocking" and "FRT-10" in found["R-ALT-04"].refs
    slower = findings(cn_pack, {**worse, "alt.inconvenience": ["longer_wait"]})
    assert "FRT-10" in slower["R-ALT-04"].refs


def test_repeated_prompting_alone_is_advisory_and_may_amount_to_disguised_coercion(cn_pack, office):
    found = findings(cn_pack, {**office, "alt.reprompt_after_refusal": "repeatedly"})
    prompting = found["R-ALT-08"]
    assert prompting.severity == "advisory" and prompting.refs == ("GBT41819-03",)
    assert "可能构成变相强迫" in prompting.why.zh_hans and "即构成胁迫" not in prompting.why.zh_hans
    assert "may amount to disguised coercion" in prompting.why.en
    assert "R-ALT-13" not in found


def test_repeated_prompting_with_a_face_first_design_is_high_citing_frt_12(cn_pack, office):
    answers = {**office, "alt.reprompt_after_refusal": "repeatedly", "alt.face_is_default": "yes", "alt.face_emphasis": ["face_preselected"]}
    found = findings(cn_pack, answers)
    combined = found["R-ALT-13"]
    assert combined.severity == "high" and set(combined.refs) == {"GBT41819-03", "FRT-12"}
    assert "可能构成变相强迫" in combined.why.zh_hans
    assert "R-ALT-08" not in found


def test_equal_presentation_with_a_working_alternative_raises_nothing(cn_pack, office):
    assert not CHOICE_RULES & set(findings(cn_pack, office))


# --- 3. Friction the operator causes versus friction in the situation -------------------------------


def test_face_check_offered_only_to_guests_without_their_document_is_not_coercion(cn_pack, hotel):
    guest = {**hotel, "alt.refusal_consequence": "service_denied", "alt.friction_source": "inherent"}
    found = findings(cn_pack, guest)
    assert not {"R-ALT-03", "R-ALT-04", "R-ALT-05", "R-ALT-10", "R-ALT-12"} & set(found)
    assert not {"FRT-10", "PIPL-16", "OTH-03"} & refs_cited(found)


def test_refusal_penalised_by_the_operator_is_coercion(cn_pack, hotel):
    for source in ("operator_made", "not_sure"):
        found = findings(cn_pack, {**hotel, "alt.refusal_consequence": "service_denied", "alt.friction_source": source})
        assert found["R-ALT-03"].severity == "blocking" and "PIPL-16" in found["R-ALT-03"].refs
        assert found["R-ALT-10"].severity == "blocking" and "OTH-03" in found["R-ALT-10"].refs


def test_a_fee_is_never_friction_of_the_situation(cn_pack, office):
    answers = {**office, "alt.equally_convenient": "no", "alt.inconvenience": ["extra_fee"], "alt.friction_source": "inherent"}
    assert "R-ALT-04" in findings(cn_pack, answers)


# --- 4. A claimed national mandate ---------------------------------------------------------------


@pytest.fixture
def face_only(office) -> dict:
    return {**office, "alt.non_face_method": "no", "alt.refusal_consequence": "service_denied",
            "alt.friction_source": "operator_made", "alt.national_mandate": "yes", "alt.national_mandate_citation": "Head office says a national rule requires it."}


def test_unnamed_mandate_is_a_blocking_question_for_counsel_and_switches_nothing_off(cn_pack, face_only):
    for named in ("no", "unknown"):
        _, evaluation = assess(cn_pack, {**face_only, "alt.national_mandate_named": named})
        found = {f.rule_id: f for f in evaluation.findings}
        question = found["R-ALT-15"]
        assert (question.severity, question.kind, question.refs) == ("blocking", "legal_question", ("FRT-10",))
        assert {"R-ALT-01", "R-ALT-03"} <= set(found), "the alternatives rules stay on"
        assert "R-ALT-09" not in found
        assert evaluation.verdict.outcome == "must_not_proceed"


def test_mandate_named_by_instrument_and_article_is_a_question_for_counsel_not_a_silent_pass(cn_pack, face_only):
    found = findings(cn_pack, {**face_only, "alt.national_mandate_named": "yes"})
    question = found["R-ALT-09"]
    assert (question.severity, question.kind) == ("high", "legal_question")
    assert not {"R-ALT-01", "R-ALT-03", "R-ALT-15"} & set(found)


def test_unnamed_mandate_with_a_working_alternative_blocks_nothing(cn_pack, office):
    answers = {**office, "alt.national_mandate": "yes", "alt.national_mandate_citation": "Not known.", "alt.national_mandate_named": "no"}
    assert "R-ALT-15" not in findings(cn_pack, answers)


# --- 5. SPC-10 is for building managers, not an employer's own office ----------------------------


def test_employer_office_with_face_only_turnstiles_cites_frt_10_alone(cn_pack, office):
    found = findings(cn_pack, {**office, "alt.non_face_method": "no"})
    assert found["R-ALT-01"].severity == "blocking" and "FRT-10" in found["R-ALT-01"].refs
    assert "R-ALT-02" not in found and "SPC-10" not in refs_cited(found)


@pytest.mark.parametrize("venue", ["residential_compound", "office_workplace"])
def test_building_manager_making_face_the_only_way_in_cites_spc_10(cn_pack, office, venue):
    answers = {**office, "scope.venue_types": [venue], "scope.data_subjects": ["residents"],
               "alt.entrance_controller": "building_manager", "alt.non_face_method": "no"}
    found = findings(cn_pack, answers)
    assert found["R-ALT-02"].severity == "blocking" and set(found["R-ALT-02"].refs) == {"SPC-10", "FRT-10"}
    assert "R-ALT-01" not in found


def test_only_rules_about_building_managers_cite_spc_10(cn_pack):
    for rule in cn_pack.pack.rules:
        if "SPC-10" in rule.refs:
            assert rule.id == "R-ALT-02", f"{rule.id} cites SPC-10"


# --- 6. GB/T 41819 severity lines --------------------------------------------------------------


def test_gbt41819_03_is_advisory_unless_combined_with_frt_12(cn_pack):
    for rule in cn_pack.pack.rules:
        if "GBT41819-03" in rule.refs and rule.severity != "advisory":
            assert rule.severity == "high" and "FRT-12" in rule.refs, rule.id


def test_gbt41819_04_blocks_only_with_frt_13a_and_pipl_26(cn_pack):
    for rule in cn_pack.pack.rules:
        if "GBT41819-04" in rule.refs and rule.severity == "blocking":
            assert {"FRT-13a", "PIPL-26"} <= set(rule.refs), rule.id
