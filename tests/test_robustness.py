"""Bad input never crashes: arbitrary answers, arbitrary draft files, arbitrary pack files."""

from __future__ import annotations

import json
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpia_app.core.drafts import DraftError, read_draft
from dpia_app.core.evaluation import OUTCOMES, evaluate
from dpia_app.core.packs import builtin_pack_paths, load_builtin_pack, load_pack
from dpia_app.core.yaml_source import DataFileError

from .conftest import MINI_PACK, TODAY, assess

CN = load_builtin_pack("cn-frt-2025")
QUESTION_IDS = sorted(CN.pack.questions)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["yes", "no", "unknown", "2025-06-01", "2025-02-30", "9999-12-31", "<script>", "file:///etc/passwd"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=10)
plausible = st.one_of(values, st.builds(lambda q: q, st.sampled_from(["yes", "no"])), st.lists(st.sampled_from(["none", "on_device", "vendor_cloud", "employees", "retail_mall"]), max_size=3))
answers = st.dictionaries(st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=20)), plausible, max_size=40)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(answers=answers)
def test_any_answers_evaluate_without_crashing(answers):
    assessment, evaluation = assess(CN, answers)
    verdict = evaluation.verdict
    assert verdict.outcome in OUTCOMES
    # Nothing unanswered is ever cleared: open required questions mean "incomplete" unless
    # something found already blocks.
    if verdict.provisional:
        assert verdict.outcome == ("must_not_proceed" if verdict.reasons else "incomplete")
    else:
        assert verdict.outcome != "incomplete"
    for problem in evaluation.answer_problems:
        assert problem.question_id in CN.pack.questions
    # Whatever was saved is kept: unknown ids are reported, never dropped.
    assert set(evaluation.pack_drift.orphaned) == {q for q in answers if q not in CN.pack.questions}
    assert evaluate(CN, assessment, TODAY) == evaluation


@SETTINGS
@given(document=st.dictionaries(st.sampled_from(["format", "format_version", "kind", "pack", "answers", "metadata", "actions", "signoffs", "risk_overrides", "changelog", "notes"]), values, max_size=8))
def test_any_json_document_is_a_draft_or_a_clear_error(tmp_path_factory, document):
    document.setdefault("format", "dpia-draft")
    path = tmp_path_factory.mktemp("json") / "x.dpia"
    data = json.dumps(document).encode("utf-8")
    path.write_bytes(data)
    try:
        read_draft(path, CN)
    except DraftError as error:
        assert str(path) in str(error)
    assert path.read_bytes() == data


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_are_a_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "x.dpia"
    path.write_bytes(data)
    try:
        read_draft(path)
    except DraftError:
        pass
    assert path.read_bytes() == data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 10_000), junk=st.text(max_size=20))
def test_damaged_pack_files_are_reported_not_raised(tmp_path_factory, cut, junk):
    folder = tmp_path_factory.mktemp("pack")
    shutil.copy(MINI_PACK.parent / "mini-catalog.yaml", folder / "mini-catalog.yaml")
    text = MINI_PACK.read_text(encoding="utf-8")
    cut = cut % len(text)
    path = folder / "pack.yaml"
    path.write_text(text[:cut] + junk + text[cut + len(junk):], encoding="utf-8")
    try:
        load_pack(path)
    except DataFileError as error:
        assert error.problems and all(p.file for p in error.problems)


def test_builtin_packs_stay_valid():
    for path in builtin_pack_paths().values():
        load_pack(path)
