"""Draft files: round trips, atomic saves with backups, refusing bad files untouched, templates."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpia_app.core import drafts
from dpia_app.core.assessment import Action, Assessment, Metadata, RiskOverride, SignOff
from dpia_app.core.drafts import DraftError, make_template, new_assessment, new_from, read_draft, save_draft

from .conftest import assess

# --- round trips ----------------------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15), text,
                        st.floats(allow_nan=False, allow_infinity=False))
json_value = st.recursive(json_scalar, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(text, children, max_size=4)), max_leaves=12)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
stamps = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.timezone.utc)).map(lambda d: d.replace(microsecond=0))
nonblank = text.filter(lambda s: s.strip())

assessments = st.builds(
    Assessment,
    metadata=st.builds(Metadata, title=text, organisation=text, system=text, site=text, assessors=st.lists(text, max_size=3),
                       dpo=text, assessment_date=st.none() | dates, status=st.sampled_from(["draft", "final"]),
                       created_at=stamps, modified_at=stamps),
    pack=st.just(drafts.PackReference(id="mini", version="1.0.0", sha256="0" * 64)),
    answers=st.dictionaries(st.from_regex(r"[a-z]{1,8}\.[a-z_]{1,12}", fullmatch=True), json_value, max_size=8),
    notes=st.dictionaries(text, text, max_size=3),
    risk_overrides=st.lists(st.builds(RiskOverride, risk_id=st.just("RISK-LEAK"), target=st.just("likelihood"),
                                      level=st.sampled_from(["low", "high"]), justification=nonblank.map(lambda s: s + " justified here"),
                                      on=st.none() | dates), max_size=2),
    actions=st.lists(st.builds(Action, measure=nonblank, owner=text, due=st.none() | dates,
                               status=st.sampled_from(["planned", "done"]), risk_ids=st.lists(text, max_size=2)),
                     max_size=3, unique_by=lambda a: a.id),
    signoffs=st.lists(st.builds(SignOff, role=st.sampled_from(["assessor", "dpo"]), name=nonblank, signed_on=dates,
                                decision=st.sampled_from(["proceed", "do_not_proceed"]), opinion=text), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(assessment=assessments)
def test_every_assessment_survives_save_and_open(tmp_path_factory, assessment):
    path = tmp_path_factory.mktemp("round") / "a.dpia"
    saved = save_draft(assessment, path)
    opened = read_draft(path)
    assert opened.assessment == saved
    assert opened.kind == "assessment"
    # Saving what was opened writes the same bytes: nothing drifts between sessions.
    first = path.read_bytes()
    save_draft(opened.assessment, path, now=saved.metadata.modified_at)
    assert path.read_bytes() == first


def test_saved_file_is_readable_json_with_envelope(tmp_path, mini):
    path = tmp_path / "x.dpia"
    save_draft(new_assessment(mini, title="总部闸机"), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["format_version"], document["kind"]) == ("dpia-draft", drafts.CURRENT_FORMAT_VERSION, "assessment")
    assert document["pack"]["id"] == "mini" and len(document["pack"]["sha256"]) == 64
    assert "总部闸机" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes


# --- saving -----------------------------------------------------------------------------------


def test_previous_version_is_kept_as_backup(tmp_path, mini):
    path = tmp_path / "x.dpia"
    first = save_draft(new_assessment(mini, title="first"), path)
    first_bytes = path.read_bytes()
    save_draft(first.model_copy(update={"metadata": first.metadata.model_copy(update={"title": "second"})}), path)
    assert (tmp_path / "x.dpia.bak").read_bytes() == first_bytes
    assert read_draft(path).assessment.metadata.title == "second"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saving_keeps_permissions_a_shared_drive_needs(tmp_path, mini):
    path = tmp_path / "x.dpia"
    old_umask = os.umask(0o022)
    try:
        saved = save_draft(new_assessment(mini), path)
    finally:
        os.umask(old_umask)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o660)
    save_draft(saved, path)
    assert path.stat().st_mode & 0o777 == 0o660
    assert (tmp_path / "x.dpia.bak").stat().st_mode & 0o777 == 0o660


def test_failed_save_leaves_the_file_as_it_was(tmp_path, mini, monkeypatch):
    path = tmp_path / "x.dpia"
    saved = save_draft(new_assessment(mini, title="keep me"), path)
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(drafts.os, "replace", disk_full)
    with pytest.raises(DraftError, match="No space left on device.*unchanged"):
        save_draft(saved.model_copy(update={"answers": {"who.count": 3}}), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_unwritable_folder_is_reported(tmp_path, mini, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(drafts.tempfile, "mkstemp", denied)
    with pytest.raises(DraftError, match="cannot save in .*Permission denied"):
        save_draft(new_assessment(mini), tmp_path / "x.dpia")
    assert list(tmp_path.iterdir()) == []


def test_change_log_records_what_changed(tmp_path, mini):
    path = tmp_path / "x.dpia"
    first = save_draft(new_assessment(mini), path)
    edited = first.model_copy(update={"answers": {"alt.offered": "no"}, "actions": [Action(measure="Offer cards")]})
    saved = save_draft(edited, path, author="Li Wei", previous=first)
    entry = saved.changelog[-1]
    assert entry.by == "Li Wei"
    assert "answers changed: alt.offered" in entry.summary and "actions: 0 → 1" in entry.summary
    assert read_draft(path).assessment.changelog[-1] == entry
    # Saving without changes adds no entry.
    assert len(save_draft(saved, path, previous=saved).changelog) == 1


# --- refusing bad files -------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", "the file is empty"),
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n1 0 obj", "damaged", "this PDF is damaged: the draft attached to it cannot be read"),
        (b"title,organisation\nA,B\n", "not_a_draft", "not a JSON draft file"),
        (b'{"some": "other app"}', "not_a_draft", "not in the draft format"),
        (b'["dpia-draft"]', "not_a_draft", "not in the draft format"),
        (b'{"format": "dpia-draft", "format_version": "one"}', "damaged", "format version 'one' is not valid"),
        (b'{"format": "dpia-draft", "format_version": 99, "app_version": "9.0"}', "newer_format", "newer version of this app (saved by version 9.0): draft format 99"),
        (b'{"format": "dpia-draft", "format_version": 1, "pack": 5}', "damaged", "pack: Input should be"),
        (b'{"format": "dpia-draft", "format_version": 1, "kind": "spreadsheet"}', "damaged", "'spreadsheet'"),
        (b'{"format": "dpia-draft", "format_version": 1,, }', "damaged", "damaged at line 1"),
    ],
)
def test_bad_files_are_refused_clearly_and_left_untouched(tmp_path, data, code, message):
    path = write(tmp_path, "bad.dpia", data)
    stamp = path.stat().st_mtime_ns
    with pytest.raises(DraftError) as raised:
        read_draft(path)
    assert raised.value.code == code
    assert message in str(raised.value)
    assert str(path) in str(raised.value)
    assert path.read_bytes() == data and path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.dpia"]


def test_truncated_draft_is_recognised(tmp_path, mini):
    path = tmp_path / "x.dpia"
    save_draft(new_assessment(mini, title="A long enough title"), path)
    whole = path.read_bytes()
    for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 3):
        truncated = write(tmp_path, "cut.dpia", whole[:cut])
        with pytest.raises(DraftError) as raised:
            read_draft(truncated)
        assert raised.value.code == "truncated"
        assert "ends too early" in str(raised.value)


def test_missing_and_huge_files(tmp_path, monkeypatch):
    with pytest.raises(DraftError, match="does not exist"):
        read_draft(tmp_path / "none.dpia")
    path = write(tmp_path, "big.dpia", b"{}")
    monkeypatch.setattr(drafts, "MAX_DRAFT_BYTES", 1)
    with pytest.raises(DraftError, match="not a draft"):
        read_draft(path)


def test_draft_of_another_pack_is_refused_with_that_pack(tmp_path, mini):
    path = tmp_path / "x.dpia"
    other = new_assessment(mini).model_copy(update={"pack": drafts.PackReference(id="other", version="1.0.0", sha256="1" * 64)})
    save_draft(other, path)
    with pytest.raises(DraftError, match="form pack 'other', not 'mini'"):
        read_draft(path, mini)


# --- migrations and pack changes --------------------------------------------------------------


def test_older_format_versions_are_migrated_in_memory_only(tmp_path, mini, monkeypatch):
    path = tmp_path / "old.dpia"
    save_draft(new_assessment(mini, title="old"), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["format_version"] = 1
    document["metadata"]["name"] = document["metadata"].pop("title")  # what a v1 file might have had
    path.write_text(json.dumps(document), encoding="utf-8")
    original = path.read_bytes()

    def v1_to_v2(old: dict) -> dict:
        old["metadata"]["title"] = old["metadata"].pop("name")
        return old

    monkeypatch.setattr(drafts, "CURRENT_FORMAT_VERSION", 2)
    monkeypatch.setitem(drafts.MIGRATIONS, 1, v1_to_v2)
    opened = read_draft(path)
    assert opened.assessment.metadata.title == "old"
    assert opened.format_version == 1
    assert path.read_bytes() == original
    monkeypatch.delitem(drafts.MIGRATIONS, 1)
    with pytest.raises(DraftError, match="no way to read draft format 1"):
        read_draft(path)


def test_renamed_questions_keep_their_answers_and_removed_ones_are_kept_and_reported(tmp_path, mini):
    path = tmp_path / "x.dpia"
    old = new_assessment(mini).model_copy(update={
        "answers": {"who.old_count": 12, "who.retired_question": "yes", "alt.offered": "yes"},
        "notes": {"who.old_count": "from HR"},
    })
    save_draft(old, path)
    opened = read_draft(path, mini)
    assert opened.renamed == {"who.old_count": "who.count"}
    assert opened.assessment.answers["who.count"] == 12
    assert opened.assessment.notes["who.count"] == "from HR"
    assert opened.assessment.answers["who.retired_question"] == "yes"
    _, evaluation = assess(mini, opened.assessment.answers)
    assert evaluation.pack_drift.orphaned == ("who.retired_question",)
    resaved = save_draft(opened.assessment, path)
    assert read_draft(path).assessment.answers["who.retired_question"] == "yes"
    assert resaved.answers == opened.assessment.answers


# --- templates ----------------------------------------------------------------------------


def full_assessment(mini) -> Assessment:
    return new_assessment(mini, title="Shanghai HQ", organisation="ACME", site="Lobby", assessors=["Wang"],
                          dpo="Zhao", assessment_date=dt.date(2026, 1, 5), status="final").model_copy(update={
        "answers": {"who.groups": ["adults"], "who.count": 80, "who.contact": "Wang Fang 138...", "alt.offered": "yes"},
        "notes": {"who.contact": "personal phone", "who.count": "HR export"},
        "actions": [Action(id="A-1", measure="Sign at gate", owner="Wang", due=dt.date(2026, 2, 1), status="done", risk_ids=["RISK-LEAK"], effect="lowers_likelihood"),
                    Action(id="A-2", measure="Dropped idea", status="cancelled")],
        "risk_overrides": [RiskOverride(risk_id="RISK-LEAK", target="likelihood", level="low", justification="Isolated network, audited.", by="Zhao", on=dt.date(2026, 1, 5))],
        "signoffs": [SignOff(role="dpo", name="Zhao", signed_on=dt.date(2026, 1, 5), decision="proceed")],
    })


def test_template_keeps_answers_and_drops_identity_people_dates_and_signoffs(tmp_path, mini):
    template = make_template(full_assessment(mini), mini)
    assert template.answers == {"who.groups": ["adults"], "who.count": 80, "alt.offered": "yes"}
    assert template.notes == {"who.count": "HR export"}
    assert (template.metadata.organisation, template.metadata.site, template.metadata.assessors, template.metadata.dpo) == ("", "", [], "")
    assert template.metadata.assessment_date is None and template.metadata.status == "draft"
    assert template.signoffs == [] and template.changelog == []
    assert [(a.id, a.owner, a.due, a.status) for a in template.actions] == [("A-1", "", None, "planned")]
    assert (template.risk_overrides[0].by, template.risk_overrides[0].on) == ("", None)
    path = tmp_path / "t.dpia"
    save_draft(template, path, kind="template")
    assert read_draft(path).kind == "template"


def test_new_from_a_draft_starts_a_fresh_assessment(mini):
    source = full_assessment(mini)
    fresh = new_from(source, "hq.dpia", title="Beijing office", site="Gate 2")
    assert fresh.metadata.assessment_id != source.metadata.assessment_id
    assert (fresh.metadata.title, fresh.metadata.site, fresh.metadata.derived_from) == ("Beijing office", "Gate 2", "hq.dpia")
    assert fresh.answers == source.answers and fresh.answers is not source.answers
    assert fresh.signoffs == [] and fresh.metadata.status == "draft"
    assert [a.measure for a in fresh.actions] == ["Sign at gate"] and fresh.actions[0].id != "A-1"
    assert fresh.changelog[0].summary == "created from hq.dpia"
