"""Drafts answered with older form packs open with the current one: every answer is carried over,
moved or reported, and the file is left as it was.

tests/data/pack-1.1/ and pack-1.2/ hold the three example drafts as they were saved with pack 1.1.0
(before questions were renamed) and 1.2.0 (before questions gained the report's labels).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dpia_app.check_report import as_text
from dpia_app.core.drafts import read_draft
from dpia_app.core.evaluation import evaluate

from .conftest import TODAY

DATA = Path(__file__).parent / "data"
OLD_DRAFTS = sorted((DATA / "pack-1.1").glob("*.dpia"))
OLDER_PACKS = {"1.1.0": OLD_DRAFTS, "1.2.0": sorted((DATA / "pack-1.2").glob("*.dpia"))}
EVERY_OLD_DRAFT = [(version, path) for version, paths in OLDER_PACKS.items() for path in paths]


@pytest.mark.parametrize("version, path", EVERY_OLD_DRAFT, ids=lambda p: p.stem if isinstance(p, Path) else p)
def test_no_answer_of_an_older_draft_is_dropped(cn_pack, version, path):
    before = read_draft(path).assessment
    assert before.pack.version == version
    opened = read_draft(path, cn_pack)
    after = opened.assessment
    evaluation = evaluate(cn_pack, after, TODAY)
    for question_id, answer in before.answers.items():
        if question_id in opened.renamed:
            # Moved to the question's new id, with the same answer.
            assert after.answers[opened.renamed[question_id]] == answer
            assert question_id not in after.answers
        else:
            # Kept under its id: a question of the new pack, or reported as no longer used.
            assert after.answers[question_id] == answer
            assert question_id in cn_pack.pack.questions or question_id in evaluation.pack_drift.orphaned
    assert evaluation.pack_drift.saved_version == version and evaluation.pack_drift.current_version == cn_pack.version
    assert evaluation.pack_drift.content_changed


@pytest.mark.parametrize("version, path", EVERY_OLD_DRAFT, ids=lambda p: p.stem if isinstance(p, Path) else p)
def test_opening_an_older_draft_leaves_the_file_as_it_was(cn_pack, version, path):
    raw = path.read_bytes()
    read_draft(path, cn_pack)
    assert path.read_bytes() == raw


def test_renamed_questions_of_1_2_move_their_answers_and_say_so(cn_pack):
    renamed = cn_pack.pack.renamed_questions
    for old, new in renamed.items():
        assert old not in cn_pack.pack.questions and new in cn_pack.pack.questions
    path = next(p for p in OLD_DRAFTS if p.stem.startswith("s2"))
    opened = read_draft(path, cn_pack)
    expected = {old: new for old, new in renamed.items() if old in read_draft(path).assessment.answers}
    assert opened.renamed == expected
    text = as_text(path, opened, cn_pack, evaluate(cn_pack, opened.assessment, TODAY), "en")
    for old, new in expected.items():
        assert f"Answer moved from renamed question {old} to {new}." in text
    assert f"Answered with form pack version 1.1.0; checked against version {cn_pack.version}." in text


def test_a_1_1_draft_asks_for_the_facts_1_2_added(cn_pack):
    path = next(p for p in OLD_DRAFTS if p.stem.startswith("s1"))
    evaluation = evaluate(cn_pack, read_draft(path, cn_pack).assessment, TODAY)
    # The new questions are asked, not assumed: the assessment has no conclusion until they are answered.
    assert "notice.says_faces_recognised" in evaluation.missing_required
    assert evaluation.verdict.outcome == "incomplete"


def test_answers_whose_question_changed_meaning_are_kept_reported_and_asked_again(cn_pack):
    # 1.1 asked "kept six months AND reviewed" in one question; 1.2 asks the two apart
    # (sec.audit_log_retention, sec.audit_log_reviewed), so the old answer is not reused for either.
    # Likewise 1.1's yes/no on the PI-officer volume became a headcount (scale.pi_individuals).
    office = next(p for p in OLD_DRAFTS if p.stem.startswith("s1"))
    opened = read_draft(office, cn_pack)
    evaluation = evaluate(cn_pack, opened.assessment, TODAY)
    assert "sec.audit_log_review" in evaluation.pack_drift.orphaned
    assert {"sec.audit_log_retention", "sec.audit_log_reviewed"} <= set(evaluation.missing_required)
    path = next(p for p in OLD_DRAFTS if p.stem.startswith("s2"))
    opened = read_draft(path, cn_pack)
    evaluation = evaluate(cn_pack, opened.assessment, TODAY)
    assert "org.pio_volume_requires" in evaluation.pack_drift.orphaned
    assert opened.assessment.answers["org.pio_volume_requires"] == "unknown"
    text = as_text(path, opened, cn_pack, evaluation, "en")
    assert "Kept, but not used: answers to questions this form pack no longer has" in text
    assert "org.pio_volume_requires" in text
