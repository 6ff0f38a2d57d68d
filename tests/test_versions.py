"""Approved versions inside the draft, what changed since the last one, and `dpia approve` / `dpia diff`."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil

import pytest

from dpia_app.changes_report import as_json, as_text, change_lines
from dpia_app.cli import main
from dpia_app.core import drafts
from dpia_app.core.assessment import SignOff
from dpia_app.core.changes import State, approved_state, compare
from dpia_app.core.drafts import DraftError, read_draft
from dpia_app.core.evaluation import evaluate
from dpia_app.core.versions import (
    CannotApprove,
    approve,
    is_intact,
    last_approved,
    retention_ends,
    summarise,
)

from .conftest import EXAMPLES, TODAY

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def s1(cn_pack):
    """S1 (office turnstiles): complete, with the approver's sign-off."""
    return read_draft(EXAMPLES / "s1-office-turnstiles.dpia", cn_pack).assessment


def _approved(cn_pack, assessment, today=TODAY):
    return approve(assessment, evaluate(cn_pack, assessment, today), NOW)


def _draft_state(cn_pack, assessment, today=TODAY) -> State:
    return State(assessment, summarise(evaluate(cn_pack, assessment, today)), cn_pack.version)


def test_approving_freezes_the_assessment_with_its_conclusions_and_work_goes_on_in_the_draft(cn_pack, s1):
    approved = _approved(cn_pack, s1)
    version = last_approved(approved)
    assert version.number == 1 and version.approved_on == TODAY and version.approved_by == "Liu Yang"
    assert version.assessment.answers == s1.answers and version.assessment.approved_versions == []
    assert version.summary.verdict == evaluate(cn_pack, s1, TODAY).verdict.outcome
    assert version.summary.risks and version.summary.filing and is_intact(version)
    # The draft goes on; the frozen copy does not follow it.
    edited = approved.model_copy(update={"answers": {**approved.answers, "org.device_count": 40}})
    assert last_approved(edited).assessment.answers["org.device_count"] == s1.answers["org.device_count"]
    again = _approved(cn_pack, edited)
    assert [v.number for v in again.approved_versions] == [1, 2]


def test_approving_is_refused_without_an_approver_while_incomplete_or_when_nothing_changed(cn_pack, s1):
    no_approver = s1.model_copy(update={"signoffs": [s for s in s1.signoffs if s.role != "approver"]})
    with pytest.raises(CannotApprove) as refused:
        _approved(cn_pack, no_approver)
    assert refused.value.code == "no_approver"
    incomplete = s1.model_copy(update={"answers": {k: v for k, v in s1.answers.items() if k != "purpose.statement"}})
    with pytest.raises(CannotApprove) as refused:
        _approved(cn_pack, incomplete)
    assert refused.value.code == "incomplete" and "purpose.statement" in refused.value.details
    approved = _approved(cn_pack, s1)
    resaved = approved.model_copy(update={"metadata": approved.metadata.model_copy(update={"modified_at": NOW})})
    with pytest.raises(CannotApprove) as refused:
        _approved(cn_pack, resaved)
    assert refused.value.code == "unchanged" and refused.value.details == ("1",), "a save alone changes nothing"


def test_the_latest_approver_sign_off_is_the_approval(cn_pack, s1):
    later = SignOff(role="approver", name="Chen Jie", signed_on=TODAY, decision="proceed_with_conditions")
    version = last_approved(_approved(cn_pack, s1.model_copy(update={"signoffs": [*s1.signoffs, later]})))
    assert version.approved_by == "Chen Jie" and version.decision == "proceed_with_conditions"


def test_approved_versions_survive_saving_and_a_hand_edited_one_is_detected(cn_pack, s1, tmp_path):
    path = tmp_path / "s1.dpia"
    drafts.save_draft(_approved(cn_pack, s1), path)
    reopened = read_draft(path, cn_pack).assessment
    assert is_intact(reopened.approved_versions[0])
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format_version"] == drafts.CURRENT_FORMAT_VERSION == 2
    document["approved_versions"][0]["assessment"]["answers"]["org.device_count"] = 1
    path.write_text(json.dumps(document), encoding="utf-8")
    assert not is_intact(read_draft(path, cn_pack).assessment.approved_versions[0])


@pytest.mark.parametrize("damage, says", [
    (lambda versions: versions[0].update(number=2), "numbered 1, 2, 3"),
    (lambda versions: versions[0]["assessment"].update(approved_versions=[copy.deepcopy(versions[0])]), "cannot itself hold approved versions"),
])
def test_a_file_whose_versions_do_not_hold_together_is_refused_and_left_alone(cn_pack, s1, tmp_path, damage, says):
    path = tmp_path / "s1.dpia"
    drafts.save_draft(_approved(cn_pack, s1), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    damage(document["approved_versions"])
    path.write_text(json.dumps(document), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DraftError, match=says):
        read_draft(path, cn_pack)
    assert path.read_bytes() == before


def test_a_format_1_draft_opens_unchanged_with_no_approved_versions(cn_pack, tmp_path):
    old = tmp_path / "old.dpia"
    shutil.copyfile(EXAMPLES.parent / "tests" / "data" / "pack-1.2" / "s2-mall-vip-recognition.dpia", old)
    raw = old.read_bytes()
    assert json.loads(raw)["format_version"] == 1
    opened = read_draft(old, cn_pack)
    assert opened.format_version == 1 and opened.assessment.approved_versions == []
    assert old.read_bytes() == raw


def test_what_changed_lists_answers_findings_risks_verdict_and_filing(cn_pack, s1):
    version = last_approved(_approved(cn_pack, s1))
    answers = {**s1.answers, "scope.recognition_mode": "identification", "org.device_count": 40}
    answers.pop("purpose.statement")
    draft = s1.model_copy(update={"answers": answers, "notes": {**s1.notes, "org.device_count": "recounted in March"}})
    changes = compare(approved_state(version), _draft_state(cn_pack, draft), list(cn_pack.pack.questions))
    assert [a.question_id for a in changes.answers] == ["scope.recognition_mode", "org.device_count", "purpose.statement"], "in the pack's order"
    assert changes.answers[2].after is None and changes.notes == ("org.device_count",)
    assert changes.verdict == (version.summary.verdict, "incomplete")
    assert changes.opened or changes.risks, "identifying people from a gallery changes the findings or risks"
    text = as_text(changes, cn_pack.pack, "en")
    assert f"Changes from approved version 1 ({TODAY}) to the working draft" in text
    assert "What the system does with faces: Verification (1:1): confirm a claimed identity → Identification (1:N)" in text
    assert "6 devices → 40 devices" in text and "→ Not answered" in text
    chinese = as_text(changes, cn_pack.pack, "zh-Hans")
    assert f"自已批准的第 1 版（{TODAY}）至当前工作稿的变更" in chinese and "6 台 → 40 台" in chinese
    data = as_json(changes, cn_pack.pack, "en")
    assert data["before"]["approved_version"] == 1 and data["answers"][1] == {"question_id": "org.device_count", "before": 6, "after": 40}
    links = [line.question_id for line in change_lines(changes, cn_pack.pack, "en") if line.kind == "answer"]
    assert links == ["scope.recognition_mode", "org.device_count", "purpose.statement"], "each answer line links to its question"


def test_nothing_changed_says_so(cn_pack, s1):
    version = last_approved(_approved(cn_pack, s1))
    changes = compare(approved_state(version), _draft_state(cn_pack, s1))
    assert changes.nothing and "Nothing changed." in as_text(changes, cn_pack.pack, "en")


def test_findings_opened_and_closed_between_two_drafts(cn_pack, s1):
    s3 = read_draft(EXAMPLES / "s3-gym-entry-with-children.dpia", cn_pack).assessment
    before, after = _draft_state(cn_pack, s1), _draft_state(cn_pack, s3)
    changes = compare(before, after)
    old = {f for ids in before.summary.findings.values() for f in ids}
    new = {f for ids in after.summary.findings.values() for f in ids}
    assert {f.rule_id for f in changes.opened} == new - old and {f.rule_id for f in changes.closed} == old - new
    order = [(not f.opened, ["blocking", "high", "advisory"].index(f.severity)) for f in changes.findings]
    assert order == sorted(order), "raised first, most severe first"


def test_each_approved_version_is_kept_three_years(cn_pack, s1):
    approved = _approved(cn_pack, s1, today=dt.date(2028, 2, 29))
    assert retention_ends(approved, 3)[0].keep_until == dt.date(2031, 2, 28)


# --- command line -------------------------------------------------------------------------------


def _run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_approve_then_diff(capsys, tmp_path):
    path = tmp_path / "s1.dpia"
    shutil.copyfile(EXAMPLES / "s1-office-turnstiles.dpia", path)
    code, out, _ = _run(capsys, "diff", str(path))
    assert code == 3
    code, out, _ = _run(capsys, "approve", str(path), "--today", "2026-12-01")
    assert code == 0 and "approved version 1" in out
    code, out, err = _run(capsys, "approve", str(path), "--today", "2026-12-01")
    assert code == 1 and "Nothing has changed since approved version 1" in err
    code, out, _ = _run(capsys, "diff", str(path), "--today", "2026-12-01")
    assert code == 0 and "Nothing changed." in out
    document = json.loads(path.read_text(encoding="utf-8"))
    document["answers"]["org.device_count"] = 40
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(capsys, "diff", str(path), "--today", "2026-12-01", "--json")
    data = json.loads(out)
    assert code == 1 and data["answers"] == [{"question_id": "org.device_count", "before": 6, "after": 40}]
    code, out, _ = _run(capsys, "diff", str(path), "--version", "2")
    assert code == 3


def test_cli_approve_refuses_without_an_approver(capsys, tmp_path):
    path = tmp_path / "s2.dpia"
    shutil.copyfile(EXAMPLES / "s2-mall-vip-recognition.dpia", path)
    before = path.read_bytes()
    code, _out, err = _run(capsys, "approve", str(path))
    assert code == 1 and "The approver has not signed off yet" in err and path.read_bytes() == before


def test_cli_diff_of_two_drafts_in_chinese(capsys):
    code, out, _ = _run(capsys, "diff", str(EXAMPLES / "s1-office-turnstiles.dpia"), str(EXAMPLES / "s3-gym-entry-with-children.dpia"),
                        "--lang", "zh", "--today", "2026-12-01")
    assert code == 1 and "新增的发现事项（严重问题）" in out and "结论（" in out


def test_the_report_of_a_reassessment_has_a_section_on_what_changed(cn_pack, s1):
    from dpia_app.report.content import build_report

    approved = _approved(cn_pack, s1)
    draft = approved.model_copy(update={"answers": {**approved.answers, "org.device_count": 40}})
    evaluation = evaluate(cn_pack, draft, TODAY)
    report = build_report(cn_pack, draft, evaluation, drafts.serialise(draft), "en", TODAY)
    assert report.changes_intro.main == f"Compared with approved version 1 of {TODAY} (approved by Liu Yang)."
    groups = {title.main: [item.main for item in items] for title, items in report.changes}
    assert "Number of devices: 6 devices → 40 devices" in groups["Answers"]
    assert "changes" in [key for key, _title in report.toc]
    bilingual = build_report(cn_pack, draft, evaluation, drafts.serialise(draft), "bilingual", TODAY)
    assert any("6 台 → 40 台" in item.main for _title, items in bilingual.changes for item in items)
    unchanged = build_report(cn_pack, approved, evaluate(cn_pack, approved, TODAY), drafts.serialise(approved), "zh", TODAY)
    assert [title.main for title, items in unchanged.changes] == ["没有变更。"]
    first = build_report(cn_pack, s1, evaluate(cn_pack, s1, TODAY), drafts.serialise(s1), "en", TODAY)
    assert first.changes_intro is None and "changes" not in [key for key, _title in first.toc]


# --- substantive change to what was filed (FRT-15c) ---------------------------------------------


FILED = {"scale.stored_individuals": 150_000, "scale.filing_role": "processor", "scale.threshold_reached_on": "2026-01-12",
         "scale.filed": "yes", "scale.filing_receipt_number": "ZJ-2026-0113", "scale.filing_date": "2026-02-10",
         "scale.filing_materials": ["processor_information", "purpose_and_method", "stored_quantity", "security_measures", "processing_rules", "pipia_report"],
         "scale.changed_since_filing": "no"}


def _filed_version(cn_pack, s1, **answers):
    """S1 grown past 100,000 people, filed, then approved: its filing was done when approved."""
    approved = _approved(cn_pack, _with(s1, **FILED, **answers))
    assert approved.approved_versions[0].summary.filing["initial_filing"] == "done"
    return approved


def _with(assessment, **answers):
    return assessment.model_copy(update={"answers": {**assessment.answers, **answers}})


def test_a_filed_fact_that_changed_since_the_filed_version_is_a_substantive_change(cn_pack, s1):
    from dpia_app.core.substantial_change import substantial_changes

    pack = cn_pack.pack
    filed = _filed_version(cn_pack, s1)
    assert substantial_changes(pack, filed) == ()
    vendor = s1.answers["org.vendor_product"]
    assert substantial_changes(pack, _with(filed, **{"org.vendor_product": "  " + vendor.upper() + " "})) == (), "spacing and capitals"
    assert substantial_changes(pack, _with(filed, **{"org.vendor_product": "DeepFace Cloud"})) == ("org.vendor_product",)
    assert substantial_changes(pack, _with(filed, **{"storage.locations": ["on_device", "vendor_cloud"]})) == ("storage.locations",)
    banded = _filed_version(cn_pack, s1)
    assert substantial_changes(pack, _with(banded, **{"scale.stored_individuals": 900_000})) == (), "same band"
    assert substantial_changes(pack, _with(banded, **{"scale.stored_individuals": 1_200_000})) == ("scale.stored_individuals",)
    never_filed = _approved(cn_pack, _with(s1, **{**FILED, "scale.filed": "no"}))
    assert substantial_changes(pack, _with(never_filed, **{"org.vendor_product": "DeepFace Cloud"})) == (), "nothing was filed"


def test_a_substantive_change_raises_the_change_filing_and_a_reassessment_now(cn_pack, s1):
    from dpia_app.presentation import reassessment_text

    changed = _with(_filed_version(cn_pack, s1), **{"org.vendor_product": "DeepFace Cloud", "scope.recognition_mode": "identification"})
    evaluation = evaluate(cn_pack, changed, TODAY)
    change_filing = next(f for f in evaluation.filing if f.duty_id == "change_filing")
    assert change_filing.state == "required" and change_filing.deadline_problem == "start_date_missing"
    trigger = next(t for t in evaluation.review.reassess_now if t.trigger_id == "SUBSTANTIAL-CHANGE")
    assert trigger.questions == ("scope.recognition_mode", "org.vendor_product")
    assert "Changed: What the system does with faces, Vendor and product." in reassessment_text(trigger, cn_pack.pack, "en")
    dated = _with(changed, **{"scale.changed_since_filing": "yes", "scale.changed_on": "2026-11-02"})
    change_filing = next(f for f in evaluate(cn_pack, dated, TODAY).filing if f.duty_id == "change_filing")
    assert change_filing.deadline is not None and change_filing.deadline > dt.date(2026, 11, 2)
    unchanged = evaluate(cn_pack, _filed_version(cn_pack, s1), TODAY)
    assert next(f for f in unchanged.filing if f.duty_id == "change_filing").state == "not_required"
    assert not any(t.trigger_id == "SUBSTANTIAL-CHANGE" for t in unchanged.review.reassess_now)


def test_a_pack_whose_substantial_facts_are_not_its_own_is_refused_at_their_lines(tmp_path):
    from dpia_app.core.packs import check_pack

    forms = EXAMPLES.parent / "forms"
    for name in ("cn-frt-2025.yaml", "catalog-cn.yaml"):
        shutil.copy(forms / name, tmp_path / name)
    pack = tmp_path / "cn-frt-2025.yaml"
    text = pack.read_text(encoding="utf-8")
    broken = (text.replace("  change_duty: change_filing", "  change_duty: change_filling")
                  .replace("    - org.vendor_product\n    - purpose.category", "    - org.vendor\n    - purpose.category")
                  .replace("{q: scale.stored_individuals, bands: [100000, 1000000, 10000000]}", "{q: scale.filed, bands: [1]}"))
    pack.write_text(broken, encoding="utf-8")
    problems = {p.message: p.line for p in check_pack(pack)}
    assert problems == {
        "'change_filling' is not a filing duty of this pack": broken[:broken.index("change_duty: change_filling")].count("\n") + 1,
        "'org.vendor' is not a question of this pack": broken[:broken.index("- org.vendor\n")].count("\n") + 1,
        "'scale.filed' must be a whole-number question of this pack": broken[:broken.index("{q: scale.filed, bands")].count("\n") + 1,
    }


@pytest.mark.usefixtures("report_libraries_present")
def test_cli_renders_an_approved_version_as_approved(capsys, cn_pack, s1, tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "s1.dpia"
    drafts.save_draft(_approved(cn_pack, s1), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["metadata"]["title"] = "Lobby turnstiles, after the refit"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert _run(capsys, "render", str(path), "--version", "1", "-o", str(tmp_path / "v1.pdf"))[0] == 0
    text = "".join(page.extract_text() or "" for page in PdfReader(tmp_path / "v1.pdf").pages[:2])
    assert "Lobby turnstiles: face verification" in text and "after the refit" not in text
    assert f"Approved version 1, approved on {TODAY} by Liu Yang" in text and "not approved for filing" not in text
    assert _run(capsys, "render", str(path), "--version", "2", "-o", str(tmp_path / "v2.pdf"))[0] == 3


def test_the_start_screen_reminds_of_the_review_overdue_actions_and_how_long_to_keep_the_version(cn_pack, s1):
    from dpia_app.core.assessment import Action
    from dpia_app.presentation import reminders_text

    approved = _approved(cn_pack, s1)
    late = Action(measure="Replace the signs", due=TODAY - dt.timedelta(days=3), status="in_progress")
    with_action = approved.model_copy(update={"actions": [*approved.actions, late]})
    evaluation = evaluate(cn_pack, with_action, TODAY)
    text = reminders_text(evaluation, with_action, "en")
    assert text.startswith(f"Next review {evaluation.review.next_review}")
    assert "1 action overdue" in text and f"Approved version 1, keep until {TODAY.replace(year=TODAY.year + 3)}" in text
    years_later = evaluate(cn_pack, with_action, evaluation.review.next_review + dt.timedelta(days=1))
    assert reminders_text(years_later, with_action, "zh-Hans").startswith(f"复核已于 {evaluation.review.next_review} 逾期")
