"""A broken form pack is refused with every problem located by file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dpia_app.core.packs import builtin_pack_paths, check_pack, load_pack
from dpia_app.core.yaml_source import DataFileError

from .conftest import MINI_PACK


def broken(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    """A copy of the mini pack with one edit, next to a copy of its catalog."""
    text = MINI_PACK.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"test set-up: {old!r} not in the mini pack"
    shutil.copy(MINI_PACK.parent / "mini-catalog.yaml", tmp_path / "mini-catalog.yaml")
    path = tmp_path / "pack.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def only_problem(path: Path):
    problems = check_pack(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_mini_pack_is_valid():
    assert check_pack(MINI_PACK) == []


def test_invalid_yaml_names_the_line(tmp_path):
    path = broken(tmp_path, "      - id: who.count\n", "      - id: who.count\n        text: [unclosed\n")
    problem = only_problem(path)
    assert problem.file == str(path)
    assert "not valid YAML" in problem.message
    assert abs(problem.line - line_of(path, "[unclosed")) <= 1


def test_unknown_field_names_line_and_field(tmp_path):
    path = broken(tmp_path, "        required: true\n        min: 0\n", "        required: true\n        colour: red\n        min: 0\n")
    problem = only_problem(path)
    assert problem.message == "unknown field 'colour'"
    assert problem.line == line_of(path, "colour: red")
    assert problem.where == "sections[who].questions[who.count].colour"
    assert str(problem).startswith(f"{path}:{problem.line}: sections[who]")


def test_missing_translation_is_named(tmp_path):
    path = broken(tmp_path, 'text: {en: "How many?", zh-Hans: "多少？"}', 'text: {en: "How many?"}')
    problem = only_problem(path)
    assert problem.message == "missing translation 'zh-Hans'"
    assert problem.where == "sections[who].questions[who.count].text"
    assert problem.line == line_of(path, 'text: {en: "How many?"}')


def test_blank_translation_is_refused(tmp_path):
    path = broken(tmp_path, 'zh-Hans: "多少？"', 'zh-Hans: "  "')
    assert "translation is empty" in only_problem(path).message


def test_condition_naming_a_missing_question(tmp_path):
    path = broken(tmp_path, "when: {q: alt.offered, eq: \"no\"}", "when: {q: alt.offerd, eq: \"no\"}")
    problem = only_problem(path)
    assert "no question with id 'alt.offerd'" in problem.message
    assert problem.where.startswith("rules[R-ALT-01].when")
    assert problem.line == line_of(path, "alt.offerd")


def test_duplicate_question_id(tmp_path):
    path = broken(tmp_path, "      - id: who.contact\n", "      - id: who.count\n")
    duplicate = next(p for p in check_pack(path) if "already used" in p.message)
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "- id: who.count" in line]
    assert duplicate.message == f"question id 'who.count' is already used on line {lines[0]}"
    assert duplicate.line == lines[1]


def test_duplicate_rule_id(tmp_path):
    path = broken(tmp_path, "  - id: R-DEV-01", "  - id: R-ALT-01")
    assert "rule id 'R-ALT-01' is already used" in only_problem(path).message


def test_reference_not_in_catalog(tmp_path):
    path = broken(tmp_path, "refs: [LAW-02]\n    severity: high", "refs: [LAW-02, LAW-77]\n    severity: high")
    problem = only_problem(path)
    assert problem.message == "not in the requirements catalog: LAW-77"
    assert problem.where == "rules[R-FILE-01].refs"


def test_show_if_must_look_backwards(tmp_path):
    path = broken(tmp_path, "show_if: {q: who.count, gte: 100}\n        required: true", "show_if: {q: alt.offered, eq: \"yes\"}\n        required: true")
    problem = only_problem(path)
    assert "depends on 'alt.offered', which does not come before this question" in problem.message
    assert problem.where == "sections[who].questions[who.reached_on].show_if"


def test_definitions_in_a_circle(tmp_path):
    path = broken(tmp_path, "  children:\n    q: who.groups\n    contains: children\n",
                  "  children:\n    any: [{use: kids}, {q: who.groups, contains: children}]\n  kids:\n    use: children\n")
    assert "definitions refer to each other in a circle" in only_problem(path).message


def test_matrix_that_goes_down_is_refused(tmp_path):
    path = broken(tmp_path, "high: [medium, medium, high, serious]", "high: [medium, low, high, serious]")
    assert "goes down as likelihood rises" in only_problem(path).message


def test_every_problem_is_reported_at_once(tmp_path):
    path = broken(tmp_path, "        required: true\n        min: 0\n", "        required: true\n        colour: red\n        min: 0\n")
    text = path.read_text(encoding="utf-8").replace("refs: [LAW-02]\n    severity: high", "refs: [LAW-77]\n    severity: high")
    text = text.replace("when: {q: alt.offered, eq: \"no\"}", "when: {q: alt.offered, eq: \"nope\"}", 1)
    path.write_text(text, encoding="utf-8")
    messages = [p.message for p in check_pack(path)]
    assert len(messages) == 3, messages
    assert any("colour" in m for m in messages)
    assert any("LAW-77" in m for m in messages)
    assert any("'nope' can never match" in m for m in messages)


def test_file_problems(tmp_path):
    missing = tmp_path / "nothing.yaml"
    assert "cannot read the file" in only_problem(missing).message
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"id: x\n\xff\xfe\x00")
    assert only_problem(binary).message == "the file is not UTF-8 text"
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    assert "mapping" in only_problem(listing).message
    alone = tmp_path / "pack.yaml"
    alone.write_text(MINI_PACK.read_text(encoding="utf-8"), encoding="utf-8")
    assert "catalog file 'mini-catalog.yaml' is not next to the pack" in only_problem(alone).message


def test_catalog_cannot_be_loaded_as_a_pack():
    catalog = MINI_PACK.parent / "mini-catalog.yaml"
    assert "requirements catalog, not a form pack" in only_problem(catalog).message


def test_load_pack_raises_with_all_problems(tmp_path):
    path = broken(tmp_path, "severity: blocking", "severity: critical", count=2)
    with pytest.raises(DataFileError) as raised:
        load_pack(path)
    assert len(raised.value.problems) == 2
    assert all("'critical' is not allowed" in p.message for p in raised.value.problems)


def test_yaml_1_2_keeps_no_as_a_string(tmp_path):
    # PyYAML (YAML 1.1) would read an unquoted `no` as False and the rule would silently never fire.
    path = broken(tmp_path, 'when: {q: alt.offered, eq: "no"}', "when: {q: alt.offered, eq: no}")
    assert check_pack(path) == []


def test_builtin_packs_are_found_through_the_package(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # never the working directory
    assert "cn-frt-2025" in builtin_pack_paths()


def test_pack_listing_reads_the_header_and_falls_back_to_a_full_parse(tmp_path):
    from dpia_app.core.packs import _pack_header

    plain = tmp_path / "plain.yaml"
    plain.write_text('# a pack\nformat: "dpia-form-pack"\nid: mini  # the id\nversion: "1.0.0"\n', encoding="utf-8")
    assert _pack_header(plain) == "mini"
    flow = tmp_path / "flow.yaml"
    flow.write_text("{format: dpia-form-pack, id: flowing}\n", encoding="utf-8")
    assert _pack_header(flow) == "flowing"
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("format: dpia-catalog\nid: cat\n", encoding="utf-8")
    assert _pack_header(catalog) is None
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    assert _pack_header(broken) is None


def test_instrument_scope_names_instruments_of_the_catalog(tmp_path):
    path = broken(tmp_path, "\nsections:\n", "\ninstrument_scope:\n  LAW: {q: who.count, gt: 0}\n  NOPE: {q: who.count, gt: 0}\nsections:\n")
    problem = only_problem(path)
    assert problem.message == "not an instrument of the requirements catalog: NOPE"
    assert problem.where == "instrument_scope"


def test_same_as_belongs_to_short_text_questions(tmp_path):
    path = broken(tmp_path, "      - id: who.count\n", "      - id: who.count\n        same_as: organisation\n")
    assert "`same_as` only belongs to short text questions" in only_problem(path).message
