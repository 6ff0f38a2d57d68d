"""Issue 9, the facts of a deployment's life cycle, individuals' rights, security, disclosure and scale.

Each test starts from an honest example deployment (examples/*.dpia), changes the answers that state one
fact, and checks the finding the law gives for it (rule, severity, citations), and that the lawful
variant of the same fact gives none.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dpia_app.core.filing import add_working_days

from .conftest import assess, example_answers


@pytest.fixture
def office(cn_pack) -> dict:
    """S1: employees' 1:1 turnstiles with a real choice; may proceed."""
    return example_answers(cn_pack, "s1-office-turnstiles.dpia")


@pytest.fixture
def gym(cn_pack) -> dict:
    """S3: members' face entry, 140,000 stored, threshold reached 2026-10-12."""
    return example_answers(cn_pack, "s3-gym-entry-with-children.dpia")


@pytest.fixture
def mall(cn_pack) -> dict:
    """S2: a returning-shopper gallery of 350,000 faces in the vendor's cloud."""
    return example_answers(cn_pack, "s2-mall-vip-recognition.dpia")


def findings(cn_pack, answers: dict) -> dict:
    return {f.rule_id: f for f in assess(cn_pack, answers)[1].findings}


def evaluation(cn_pack, answers: dict):
    return assess(cn_pack, answers)[1]


def filing(cn_pack, answers: dict, duty_id: str):
    return next(f for f in evaluation(cn_pack, answers).filing if f.duty_id == duty_id)


def rule(cn_pack, rule_id: str):
    return cn_pack.pack.rule(rule_id)


def question(cn_pack, question_id: str):
    return next(q for section in cn_pack.pack.sections for q in section.questions if q.id == question_id)


def test_the_lawful_examples_raise_none_of_the_new_lifecycle_rights_and_security_findings(cn_pack, office):
    fired = findings(cn_pack, office)
    new = {f"R-STORAGE-{n}" for n in range(11, 22)} | {f"R-SECURITY-{n}" for n in range(16, 25)} | \
          {f"R-RIGHTS-0{n}" for n in range(1, 9)} | {f"R-SCALE-{n:02d}" for n in range(4, 12)} | \
          {"R-SHARE-02", "R-SHARE-08", "R-SHARE-09", "R-SHARE-10", "R-VENDOR-08", "R-GOV-10", "R-GOV-11", "R-GOV-12"}
    assert not new & set(fired)


# --- FRT-08b / FRT-08c: withdrawal, end of the relationship, deletion requests -------------------


def test_facial_information_kept_after_withdrawal_is_blocking_under_frt_08c(cn_pack, office):
    answers = {**office, "storage.kept_after_withdrawal": "yes", "storage.withdrawal_retention_ground": "other_reason"}
    finding = findings(cn_pack, answers)["R-STORAGE-07"]
    assert finding.severity == "blocking"
    assert set(finding.refs) == {"FRT-08c", "FRT-06", "PIPL-47"}
    assert "backups" in question(cn_pack, "storage.kept_after_withdrawal").text.en
    assert "供应商持有的副本" in question(cn_pack, "storage.kept_after_withdrawal").text.zh_hans


def test_kept_after_withdrawal_only_under_a_statutory_hold_is_high_not_blocking(cn_pack, office):
    answers = {**office, "storage.kept_after_withdrawal": "yes", "storage.withdrawal_retention_ground": "statutory_hold"}
    fired = findings(cn_pack, answers)
    assert "R-STORAGE-07" not in fired
    assert (fired["R-STORAGE-11"].severity, set(fired["R-STORAGE-11"].refs)) == ("high", {"FRT-08b", "PIPL-47"})
    assert not any(f.severity == "blocking" for f in fired.values())
    option = question(cn_pack, "storage.withdrawal_retention_ground").option("statutory_hold")
    assert "stored and protected, no other processing" in option.label.en


def test_not_knowing_whether_withdrawal_deletes_is_not_silent(cn_pack, office):
    fired = findings(cn_pack, {**office, "storage.kept_after_withdrawal": "unknown"})
    assert fired["R-STORAGE-12"].severity == "high"


def test_retention_after_the_relationship_ends_is_high_legacy_over_retention(cn_pack, office):
    fired = findings(cn_pack, {**office, "storage.kept_after_relationship_ends": "yes", "storage.used_after_relationship_ends": "no"})
    assert fired["R-STORAGE-06"].severity == "high"
    assert {"FRT-08b", "PIPL-47"} <= set(fired["R-STORAGE-06"].refs)
    assert not any(f.severity == "blocking" for f in fired.values())
    assert "R-STORAGE-06" in findings(cn_pack, {**office, "storage.kept_after_relationship_ends": "unknown"})


def test_former_members_faces_still_matched_or_marketed_is_blocking(cn_pack, office):
    fired = findings(cn_pack, {**office, "storage.kept_after_relationship_ends": "yes", "storage.used_after_relationship_ends": "yes"})
    assert fired["R-STORAGE-13"].severity == "blocking"
    assert set(fired["R-STORAGE-13"].refs) == {"FRT-08c", "PIPL-47", "SPC-02"}
    unknown = findings(cn_pack, {**office, "storage.kept_after_relationship_ends": "yes", "storage.used_after_relationship_ends": "unknown"})
    assert unknown["R-STORAGE-14"].severity == "high" and "R-STORAGE-13" not in unknown


@pytest.mark.parametrize("refusal", ["some_refused", "refused"])
def test_refusing_deletion_requests_of_former_members_or_people_never_enrolled_is_blocking(cn_pack, office, refusal):
    finding = findings(cn_pack, {**office, "rights.deletion_on_request": refusal})["R-RIGHTS-05"]
    assert finding.severity == "blocking"
    assert set(finding.refs) == {"FRT-08c", "PIPL-47", "PIPL-50"}
    assert "non-enrolled" not in question(cn_pack, "rights.deletion_on_request").text.en
    assert "never enrolled but were captured" in question(cn_pack, "rights.deletion_on_request").text.en


def test_deletion_refused_only_under_a_statutory_hold_is_high(cn_pack, office):
    fired = findings(cn_pack, {**office, "rights.deletion_on_request": "statutory_hold"})
    assert (fired["R-RIGHTS-06"].severity, set(fired["R-RIGHTS-06"].refs)) == ("high", {"FRT-08b", "PIPL-47"})
    assert "R-RIGHTS-05" not in fired


def test_untested_deletion_requests_are_not_silent(cn_pack, office):
    assert findings(cn_pack, {**office, "rights.deletion_on_request": "not_known"})["R-RIGHTS-07"].severity == "high"


def test_deletion_requests_record_within_how_many_days_and_by_whom(cn_pack, office):
    result = evaluation(cn_pack, office)
    assert {"rights.handled_by", "rights.response_days", "rights.deletion_days"} <= result.visible_questions
    refused = evaluation(cn_pack, {**office, "rights.deletion_on_request": "refused"})
    assert "rights.deletion_days" not in refused.visible_questions


def test_legacy_face_data_kept_after_switching_system_is_high(cn_pack, office):
    finding = findings(cn_pack, {**office, "storage.legacy_biometrics": ["old_face_data"]})["R-STORAGE-15"]
    assert finding.severity == "high" and "FRT-08b" in finding.refs


def test_legacy_fingerprints_kept_after_switching_to_faces_is_high_without_frt_citation(cn_pack, office):
    finding = findings(cn_pack, {**office, "storage.legacy_biometrics": ["other_biometrics"]})["R-STORAGE-16"]
    assert finding.severity == "high"
    assert {"PIPL-47", "PIPL-28"} <= set(finding.refs) and not any(ref.startswith("FRT") for ref in finding.refs)
    assert "R-STORAGE-17" in findings(cn_pack, {**office, "storage.legacy_biometrics": ["not_checked"]})
    clean = findings(cn_pack, {**office, "storage.legacy_biometrics": ["all_deleted"]})
    assert not {"R-STORAGE-15", "R-STORAGE-16", "R-STORAGE-17"} & set(clean)


def test_switching_facial_recognition_off_without_a_deletion_plan_is_high(cn_pack, office):
    fired = findings(cn_pack, {**office, "storage.decommissioning": ["no_plan"]})
    assert (fired["R-STORAGE-18"].severity, set(fired["R-STORAGE-18"].refs)) == ("high", {"PIPL-47", "FRT-15c"})
    assert "R-STORAGE-21" not in fired, "one finding for having no plan at all"
    partial = findings(cn_pack, {**office, "storage.decommissioning": ["templates_images_deleted", "backups_deleted", "logs_deleted"]})
    assert "R-STORAGE-18" not in partial
    assert set(partial["R-STORAGE-21"].refs) == {"PIPL-21", "PIPL-47"}, "the vendor keeps its copies"


def test_switch_off_plan_must_cancel_a_filing_within_30_working_days(cn_pack, gym):
    plan = ["templates_images_deleted", "backups_deleted", "logs_deleted"]
    fired = findings(cn_pack, {**gym, "scale.filed": "yes", "storage.decommissioning": plan})
    assert set(fired["R-STORAGE-19"].refs) == {"FRT-15c"}
    cancelled = findings(cn_pack, {**gym, "scale.filed": "yes", "storage.decommissioning": [*plan, "filing_cancelled"]})
    assert "R-STORAGE-19" not in cancelled
    assert "R-STORAGE-19" not in findings(cn_pack, {**gym, "storage.decommissioning": plan}), "nothing to cancel before filing"


def test_raw_images_kept_beyond_what_the_purpose_needs_is_high_under_frt_08b(cn_pack, office):
    answers = {**office, "storage.raw_images_kept": "yes", "storage.raw_images_written_authorisation": "no"}
    beyond = findings(cn_pack, {**answers, "storage.raw_images_needed": "beyond_purpose"})
    assert (beyond["R-STORAGE-20"].severity, beyond["R-STORAGE-20"].refs[0]) == ("high", "FRT-08b")
    assert "GBT41819-05" in beyond["R-STORAGE-20"].refs
    short = findings(cn_pack, {**answers, "storage.raw_images_needed": "short_period_purpose_needs"})
    assert "R-STORAGE-20" not in short
    assert short["R-STORAGE-08"].severity == "advisory" and "FRT-08b" not in short["R-STORAGE-08"].refs


# --- Individuals' rights (PIPL-44 to PIPL-50) ----------------------------------------------------


def test_rights_is_its_own_section_after_sharing(cn_pack):
    ids = [section.id for section in cn_pack.pack.sections]
    assert ids.index("rights") == ids.index("sharing") + 1
    assert {q.id for q in cn_pack.pack.sections[ids.index("rights")].questions} >= {
        "rights.mechanism", "rights.deletion_on_request", "rights.refusals_reasoned"}


def test_no_request_mechanism_is_high(cn_pack, office):
    finding = findings(cn_pack, {**office, "rights.mechanism": "no"})["R-RIGHTS-01"]
    assert finding.severity == "high"
    assert {"PIPL-50", "PIPL-45", "PIPL-46", "PIPL-48"} <= set(finding.refs)


@pytest.mark.parametrize(("missing", "rule_id", "ref"), [
    ("access_copy", "R-RIGHTS-02", "PIPL-45"),
    ("correction", "R-RIGHTS-03", "PIPL-46"),
    ("explanation", "R-RIGHTS-04", "PIPL-48"),
])
def test_a_channel_that_cannot_handle_a_right_is_high(cn_pack, office, missing, rule_id, ref):
    covers = [item for item in ("access_copy", "correction", "explanation") if item != missing]
    finding = findings(cn_pack, {**office, "rights.mechanism_covers": covers})[rule_id]
    assert finding.severity == "high" and ref in finding.refs


def test_refusals_without_reasons_are_high(cn_pack, office):
    finding = findings(cn_pack, {**office, "rights.refusals_reasoned": "no"})["R-RIGHTS-08"]
    assert (finding.severity, finding.refs) == ("high", ("PIPL-50",))


def test_pipl_44_is_never_cited_alone(cn_pack):
    for each in cn_pack.pack.rules:
        if "PIPL-44" in each.refs:
            assert len(each.refs) > 1, each.id


# --- PIPL-25: public disclosure ------------------------------------------------------------------


def test_public_disclosure_without_separate_consent_is_blocking(cn_pack, office):
    fired = findings(cn_pack, {**office, "share.public_disclosure": "yes", "share.public_disclosure_consent": "no"})
    assert fired["R-SHARE-02"].severity == "blocking"
    assert set(fired["R-SHARE-02"].refs) == {"PIPL-25", "PIPL-55", "GBT35273-05"}


def test_public_disclosure_with_separate_consent_is_only_the_standards_advice(cn_pack, office):
    fired = findings(cn_pack, {**office, "share.public_disclosure": "yes", "share.public_disclosure_consent": "yes"})
    assert "R-SHARE-02" not in fired
    assert fired["R-SHARE-08"].severity == "advisory"
    assert findings(cn_pack, {**office, "share.public_disclosure": "unknown"})["R-SHARE-09"].severity == "high"


def test_gbt35273_05_is_never_cited_alone(cn_pack):
    for each in cn_pack.pack.rules:
        if "GBT35273-05" in each.refs:
            assert len(each.refs) > 1, each.id


# --- FRT-14, FRT-04, PIPL-28, OTH-05: security ---------------------------------------------------


def test_unencrypted_templates_on_an_internet_exposed_system_is_blocking_strict_protection(cn_pack, office):
    answers = {**office, "sec.encryption_at_rest": "no", "sec.internet_exposed": "yes"}
    finding = findings(cn_pack, answers)["R-SECURITY-02"]
    assert finding.severity == "blocking"
    assert list(finding.refs) == ["FRT-04", "PIPL-28", "FRT-14"]


def test_unencrypted_face_analysis_store_on_the_internet_is_blocking_without_frt_citations(cn_pack, mall):
    answers = {**mall, "scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["returning_visitor"],
               "sec.encryption_at_rest": "no", "sec.internet_exposed": "yes"}
    fired = findings(cn_pack, answers)
    assert "R-SECURITY-02" not in fired
    assert fired["R-SECURITY-16"].severity == "blocking"
    assert not any(ref.startswith("FRT") for ref in fired["R-SECURITY-16"].refs)


def test_logs_kept_less_than_six_months_on_a_networked_system_is_high(cn_pack, office):
    finding = findings(cn_pack, {**office, "sec.audit_log_retention": "under_six_months"})["R-SECURITY-17"]
    assert (finding.severity, set(finding.refs)) == ("high", {"OTH-05", "FRT-14"})
    assert "R-SECURITY-17" in findings(cn_pack, {**office, "sec.audit_log_retention": "not_known"})


def test_short_logs_on_a_sealed_device_are_not_a_network_log_finding(cn_pack, office):
    sealed = {**office, "sec.mlps_grade": "not_graded", "sec.audit_log_retention": "under_six_months"}
    assert office["storage.locations"] == ["on_device"] and office["sec.internet_exposed"] == "no"
    assert "R-SECURITY-17" not in findings(cn_pack, sealed)


def test_logs_not_reviewed_is_advisory_under_gbt39335_07(cn_pack, office):
    finding = findings(cn_pack, {**office, "sec.audit_log_reviewed": "no"})["R-SECURITY-07"]
    assert (finding.severity, finding.refs) == ("advisory", ("GBT39335-07",))
    assert "R-SECURITY-17" not in findings(cn_pack, {**office, "sec.audit_log_reviewed": "no"})


def test_in_transit_protocol_outdated_is_high_and_tlcp_is_named_properly(cn_pack, office):
    assert "R-SECURITY-18" in findings(cn_pack, {**office, "sec.transit_protocol": "outdated_or_proprietary"})
    assert "R-SECURITY-18" not in findings(cn_pack, {**office, "sec.transit_protocol": "tlcp"})
    label = question(cn_pack, "sec.transit_protocol").option("tlcp").label.zh_hans
    assert label == "符合国家密码管理要求的传输层密码协议（如 GB/T 38636 TLCP）"


def test_known_unpatched_vulnerabilities_are_high(cn_pack, office):
    fired = findings(cn_pack, {**office, "sec.known_vulnerabilities": "open_no_plan"})
    assert fired["R-SECURITY-20"].severity == "high"
    assert "R-SECURITY-20" in findings(cn_pack, {**office, "sec.known_vulnerabilities": "not_checked"})
    assert "R-SECURITY-20" not in findings(cn_pack, {**office, "sec.known_vulnerabilities": "open_with_plan"})


def test_known_unpatched_vulnerability_on_an_internet_exposed_face_system_is_blocking(cn_pack, office):
    fired = findings(cn_pack, {**office, "sec.known_vulnerabilities": "open_no_plan", "sec.internet_exposed": "yes"})
    assert fired["R-SECURITY-21"].severity == "blocking"
    assert {"FRT-04", "PIPL-28"} <= set(fired["R-SECURITY-21"].refs)
    assert "R-SECURITY-20" not in fired


def test_no_vulnerability_management_is_high(cn_pack, office):
    assert findings(cn_pack, {**office, "sec.vulnerability_management": "no"})["R-SECURITY-19"].severity == "high"


def test_no_evidence_that_mitigations_work_is_high_under_frt_09(cn_pack, office):
    finding = findings(cn_pack, {**office, "sec.mitigation_evidence": ["none"]})["R-SECURITY-23"]
    assert (finding.severity, set(finding.refs)) == ("high", {"FRT-09", "PIPL-56"})


@pytest.mark.parametrize("gap", ["gallery_tampering", "injection", "insider_export", "destruction"])
def test_uncontrolled_integrity_and_misuse_risks_are_high(cn_pack, office, gap):
    finding = findings(cn_pack, {**office, "sec.misuse_gaps": [gap]})["R-SECURITY-24"]
    assert finding.severity == "high" and "FRT-09" in finding.refs


def test_each_vendor_and_recipient_is_assessed_for_purpose_method_and_security(cn_pack, office):
    vendor = findings(cn_pack, {**office, "vendor.assessed": "no"})["R-VENDOR-08"]
    assert (vendor.severity, vendor.refs[0]) == ("high", "FRT-09")
    shared = {**office, "share.third_parties": "yes", "share.recipients": "Group HR company",
              "share.provision_basis": "separate_consent", "share.recipients_assessed": "no"}
    assert findings(cn_pack, shared)["R-SHARE-10"].severity == "high"
    assert "R-SHARE-10" not in findings(cn_pack, {**shared, "share.recipients_assessed": "yes"})


# --- GBT39335-06 and -10: accuracy, bias, publication -------------------------------------------


def test_accuracy_not_measured_across_groups_is_advisory(cn_pack, office):
    fired = findings(cn_pack, {**office, "gov.accuracy_measured": "not_measured"})
    assert (fired["R-GOV-09"].severity, fired["R-GOV-09"].refs) == ("advisory", ("GBT39335-06",))
    assert "R-GOV-09" not in findings(cn_pack, {**office, "gov.accuracy_measured": "measured_across_groups"})


def test_unmeasured_bias_behind_a_watch_list_is_high(cn_pack, office):
    listing = {**office, "auto.watchlist": "yes", "auto.watchlist_controls": "yes", "gov.accuracy_measured": "overall_only"}
    fired = findings(cn_pack, listing)
    assert fired["R-GOV-10"].severity == "high" and "PIPL-24" in fired["R-GOV-10"].refs
    assert "R-GOV-09" not in fired
    no_procedure = findings(cn_pack, {**listing, "gov.false_match_handling": "no"})
    assert no_procedure["R-GOV-12"].severity == "high" and "R-GOV-11" not in no_procedure
    assert findings(cn_pack, {**office, "gov.false_match_handling": "no"})["R-GOV-11"].severity == "advisory"


def test_accuracy_questions_ask_for_rates_threshold_and_groups(cn_pack):
    text = question(cn_pack, "gov.accuracy_measured").text.en
    for word in ("false-match", "false-non-match", "threshold", "age", "skin tone", "disability"):
        assert word in text


def test_unpublished_assessment_summary_is_advisory(cn_pack, office):
    assert findings(cn_pack, office)["R-GOV-13"].refs == ("GBT39335-10",)
    assert "R-GOV-13" not in findings(cn_pack, {**office, "gov.summary_published": "yes"})


# --- FRT-15a/c: the filing headcount ------------------------------------------------------------


def test_a_headcount_of_one_system_only_is_high(cn_pack, office):
    fired = findings(cn_pack, {**office, "scale.count_method": "this_system_only"})
    assert (fired["R-SCALE-09"].severity, fired["R-SCALE-09"].refs) == ("high", ("FRT-15a",))
    assert findings(cn_pack, {**office, "scale.count_method": "estimate"})["R-SCALE-10"].severity == "advisory"


def test_an_entrusted_party_over_the_threshold_gets_a_legal_question_not_the_filing_duty(cn_pack, gym):
    vendor = {**gym, "scale.filing_role": "entrusted_only"}
    finding = findings(cn_pack, vendor)["R-SCALE-11"]
    assert (finding.kind, finding.severity) == ("legal_question", "high")
    assert "R-SCALE-01" not in findings(cn_pack, vendor)
    assert filing(cn_pack, vendor, "initial_filing").state == "not_required"
    assert filing(cn_pack, gym, "initial_filing").state == "required"


def test_a_returning_visitor_gallery_without_names_counts_for_the_filing(cn_pack, mall):
    analysis = {**mall, "scope.recognition_mode": "analysis_only", "scope.analysis_kinds": ["returning_visitor"]}
    status = filing(cn_pack, analysis, "initial_filing")
    assert (status.state, status.deadline) == ("required", dt.date(2026, 9, 20))
    assert "R-SCALE-01" in findings(cn_pack, analysis)
    detection = {**mall, "scope.recognition_mode": "detection_only", "scope.detection_keeps_nothing": "nothing_kept"}
    assert filing(cn_pack, detection, "initial_filing").state == "not_required"


def test_filing_findings_use_the_wording_of_the_measures(cn_pack):
    assert "应当自达到之日起30个工作日内向所在地省级网信部门履行备案手续" in rule(cn_pack, "R-SCALE-01").recommendation.zh_hans
    assert "应当自达到之日起30个工作日内向所在地省级网信部门履行备案手续" in rule(cn_pack, "R-SCALE-02").why.zh_hans
    assert "自变更之日起" in rule(cn_pack, "R-SCALE-03").why.zh_hans
    assert "实质性变更" in question(cn_pack, "scale.changed_since_filing").text.zh_hans


# --- PIPL-52 / PIPL-52b: the personal information protection officer ---------------------------


def test_one_million_people_and_no_officer_is_high(cn_pack, office):
    answers = {**office, "org.pio_appointed": "no", "scale.pi_individuals": 1_000_000,
               "scale.pi_threshold_reached_on": "2026-03-02", "scale.pio_reported": "no"}
    finding = findings(cn_pack, answers)["R-SCALE-04"]
    assert (finding.severity, set(finding.refs)) == ("high", {"PIPL-52", "PIPL-52b"})
    below = findings(cn_pack, {**office, "org.pio_appointed": "no", "scale.pi_individuals": 999_999})
    assert "R-SCALE-04" not in below


def test_an_uncounted_headcount_is_a_high_legal_question_and_leaves_the_report_undetermined(cn_pack, office):
    uncounted = {key: value for key, value in office.items() if key != "scale.pi_individuals"}
    finding = findings(cn_pack, uncounted)["R-SCALE-05"]
    assert (finding.kind, finding.severity) == ("legal_question", "high")
    status = filing(cn_pack, uncounted, "pio_report")
    assert (status.state, status.pending_questions) == ("undetermined", ("scale.pi_individuals",))
    assert "R-SCALE-05" not in findings(cn_pack, office)


def test_the_officer_report_is_due_30_prc_working_days_after_reaching_one_million(cn_pack, office):
    answers = {**office, "scale.pi_individuals": 1_200_000, "scale.pi_threshold_reached_on": "2026-03-02", "scale.pio_reported": "no"}
    status = filing(cn_pack, answers, "pio_report")
    assert status.state == "required"
    assert status.deadline == add_working_days(dt.date(2026, 3, 2), 30)
    assert status.authority.zh_hans == "所在地设区的市级网信部门"
    assert "R-SCALE-06" in findings(cn_pack, answers)
    assert filing(cn_pack, {**answers, "scale.pio_reported": "yes", "scale.pio_changed_since_report": "no"}, "pio_report").state == "done"


def test_an_officer_report_for_a_number_reached_before_the_announcement_was_due_29_august_2025(cn_pack, office):
    answers = {**office, "scale.pi_individuals": 3_000_000, "scale.pi_threshold_reached_on": "2024-05-01", "scale.pio_reported": "no"}
    status = filing(cn_pack, answers, "pio_report")
    assert (status.deadline, status.deadline_basis, status.overdue) == (dt.date(2025, 8, 29), "transition", True)


def test_a_change_to_the_officer_information_must_be_reported(cn_pack, office):
    answers = {**office, "scale.pi_individuals": 1_200_000, "scale.pi_threshold_reached_on": "2025-01-10",
               "scale.pio_reported": "yes", "scale.pio_changed_since_report": "yes",
               "scale.pio_changed_on": "2026-10-08", "scale.pio_change_reported": "no"}
    assert findings(cn_pack, answers)["R-SCALE-07"].refs == ("PIPL-52b",)
    assert filing(cn_pack, answers, "pio_change_report").state == "required"


def test_a_personal_information_total_below_the_face_count_is_flagged(cn_pack, office):
    assert "R-SCALE-08" in findings(cn_pack, {**office, "scale.pi_individuals": 500})
    assert "R-SCALE-08" not in findings(cn_pack, office)
