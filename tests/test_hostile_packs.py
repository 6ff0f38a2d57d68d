"""Hostile and broken form packs and catalogs (issue 13, items 4 and 5): each is refused quickly with
a short problem naming its line, never a traceback, a crash, an endless wait or a copy of a foreign
file's contents."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dpia_app.cli import EXIT_BAD_FILE, main
from dpia_app.core.conditions import MISSING, evaluate
from dpia_app.core.packs import check_pack, load_catalog, load_pack
from dpia_app.core.yaml_source import (
    MAX_DATA_FILE_BYTES,
    MAX_DEPTH,
    MAX_PROBLEMS,
    DataFileError,
)

from .conftest import MINI_PACK

FORMS = Path(__file__).parent.parent / "forms"
MINI_CATALOG = MINI_PACK.parent / "mini-catalog.yaml"
DEFINITIONS = "definitions:\n  children:\n    q: who.groups\n    contains: children\n"


def _mini(tmp_path: Path, old: str = "", new: str = "", *, name: str = "pack.yaml") -> Path:
    """A copy of the mini pack with one edit, next to a copy of its catalog."""
    text = MINI_PACK.read_text(encoding="utf-8")
    if old:
        assert old in text, f"test set-up: {old!r} not in the mini pack"
        text = text.replace(old, new, 1)
    if not (tmp_path / "mini-catalog.yaml").exists():
        shutil.copy(MINI_CATALOG, tmp_path / "mini-catalog.yaml")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _with_definitions(tmp_path: Path, extra: str) -> Path:
    return _mini(tmp_path, DEFINITIONS, DEFINITIONS + extra)


def _line(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def _refused(path: Path, *, seconds: float = 5.0):
    """The single problem check_pack finds, checked to come fast."""
    start = time.perf_counter()
    problems = check_pack(path)
    elapsed = time.perf_counter() - start
    assert len(problems) == 1, "\n".join(map(str, problems[:5]))
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return problems[0]


def _alias_bomb(levels: int) -> str:
    """Definitions that expand to 10**levels conditions if the aliases are followed."""
    lines = ["  b0: &b0 {q: who.groups, contains: children}"]
    lines += [f"  b{i}: &b{i} {{any: [{', '.join([f'*b{i - 1}'] * 10)}]}}" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


# --- item 4: aliases, nesting, numbers, size -----------------------------------------------


@pytest.mark.parametrize("levels", [6, 9])
def test_an_alias_bomb_in_definitions_is_refused_before_validation(tmp_path, levels):
    path = _with_definitions(tmp_path, _alias_bomb(levels))
    problem = _refused(path)
    assert "aliases" in problem.message and "expand" in problem.message
    assert problem.file == str(path) and problem.line is not None
    assert _line(path, "b0: &b0") <= problem.line <= _line(path, f"b{levels}: &b{levels}")


def test_a_pack_sharing_a_few_parts_through_aliases_still_loads(tmp_path):
    path = _mini(tmp_path, "        options:\n          - {id: adults", "        options: &groups\n          - {id: adults")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(DEFINITIONS, DEFINITIONS + "  kids: &kids {q: who.groups, contains: children}\n"
                                 "  young: {any: [*kids, *kids]}\n"), encoding="utf-8")
    loaded = load_pack(path)
    assert set(loaded.pack.definitions) == {"children", "kids", "young"}


def test_an_alias_inside_what_it_names_is_refused(tmp_path):
    path = _with_definitions(tmp_path, "  loop: &loop {any: [*loop]}\n")
    problem = _refused(path)
    assert "alias" in problem.message and problem.line == _line(path, "loop: &loop")


def test_flow_nesting_100000_deep_is_refused_without_a_crash(tmp_path):
    """The C parser of ruamel.yaml.clib overflows its stack (a segfault) on such a file: the
    nesting is measured before it builds anything. In a child process, so a crash would show."""
    path = _with_definitions(tmp_path, "  deep: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code = ("import sys; from dpia_app.core.packs import check_pack; problems = check_pack(sys.argv[1]); "
            "print(len(problems)); print(problems[0])")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    count, problem = done.stdout.splitlines()[:2]
    assert count == "1" and f":{_line(path, 'deep: [[[')}:" in problem and "nested more than" in problem
    assert time.perf_counter() - start < 30


@pytest.mark.parametrize("shape", ["flow", "block", "conditions"])
def test_nesting_deeper_than_the_limit_is_refused_with_its_line(tmp_path, shape):
    levels = MAX_DEPTH + 200
    if shape == "flow":
        extra = "  deep: " + "[" * levels + "]" * levels + "\n"
    elif shape == "block":
        extra = "  deep:\n" + "".join("  " * (i + 2) + "not:\n" for i in range(levels)) + "  " * (levels + 2) + "q: who.count\n"
    else:
        extra = "  deep: " + "{any: [" * levels + "{q: who.groups, contains: children}" + "]}" * levels + "\n"
    path = _with_definitions(tmp_path, extra)
    problem = _refused(path)
    assert f"nested more than {MAX_DEPTH} levels" in problem.message
    assert _line(path, "deep:") <= problem.line <= _line(path, "deep:") + levels


def test_conditions_nested_within_the_limit_load_and_evaluate(tmp_path):
    levels = MAX_DEPTH - 10  # the definition itself sits two levels down
    extra = "  deep: " + "{not: " * levels + "{q: who.groups, contains: children}" + "}" * levels + "\n"
    extra += "  deeper: {any: [{use: deep}, {not: {use: deep}}]}\n"
    path = _with_definitions(tmp_path, extra)
    pack = load_pack(path).pack

    class Answers:
        def value(self, question_id):
            return ["children"] if question_id == "who.groups" else MISSING

        def definition(self, name):
            return pack.definitions[name]

    assert evaluate(pack.definitions["deep"], Answers()) is (levels % 2 == 0)
    assert evaluate(pack.definitions["deeper"], Answers()) is True


def test_definitions_using_each_other_in_a_long_chain_are_refused_not_a_recursion_error(tmp_path):
    chain = "".join(f"  link{i}: {{use: link{i - 1}}}\n" for i in range(1, 3000))
    path = _with_definitions(tmp_path, "  link0: {q: who.groups, contains: children}\n" + chain)
    problem = _refused(path)
    assert "definitions" in problem.where and "deep" in problem.message


def test_definitions_that_double_through_use_are_refused_quickly(tmp_path):
    """Not YAML aliases but the same bomb: each definition uses the one before twice."""
    chain = "".join(f"  d{i}: {{any: [{{use: d{i - 1}}}, {{use: d{i - 1}}}]}}\n" for i in range(1, 60))
    path = _with_definitions(tmp_path, "  d0: {q: who.groups, contains: children}\n" + chain)
    path.write_text(path.read_text(encoding="utf-8").replace("show_if: {q: who.count, gte: 100}", "show_if: {use: d59}", 1),
                    encoding="utf-8")
    problem = _refused(path)
    assert "expand" in problem.message and problem.where.startswith("definitions")


def test_a_number_of_100001_digits_is_a_problem_on_its_line(tmp_path):
    path = _mini(tmp_path, "        min: 0\n", "        min: " + "1" * 100_001 + "\n")
    problem = _refused(path)
    assert problem.line == _line(path, "min: 111") and "number" in problem.message
    assert len(str(problem)) < 300


def test_a_date_that_does_not_exist_in_a_catalog_is_a_problem_on_its_line(tmp_path):
    catalog = tmp_path / "catalog.yaml"
    text = MINI_CATALOG.read_text(encoding="utf-8")
    catalog.write_text(text.replace("instruments:\n", "instruments:\n", 1) + "extra: 2021-02-30\n", encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        load_catalog(catalog)
    problem = refused.value.problems[0]
    assert problem.line == _line(catalog, "2021-02-30") and "day is out of range" in problem.message


@pytest.mark.parametrize("body", ["x: [" + "0," * 1_500_000 + "0]\n", "".join(f"k{i}: 0\n" for i in range(430_000))])
def test_a_file_of_too_many_values_is_refused_before_it_is_built(tmp_path, body):
    path = tmp_path / "pack.yaml"
    path.write_text("format: dpia-form-pack\n" + body, encoding="utf-8")
    assert path.stat().st_size <= MAX_DATA_FILE_BYTES
    problem = _refused(path, seconds=5)
    assert "values" in problem.message


def test_a_large_broken_pack_is_checked_in_reasonable_time_with_lines_and_a_capped_list(tmp_path):
    """A copy of the built-in pack with its sections repeated (every id used twice or more) and an
    unknown field in each: thousands of problems, listed by line up to a limit."""
    shutil.copy(FORMS / "catalog-cn.yaml", tmp_path / "catalog-cn.yaml")
    text = (FORMS / "cn-frt-2025.yaml").read_text(encoding="utf-8")
    head, rest = text.split("\nsections:\n", 1)
    sections, tail = rest.split("\nrules:\n", 1)
    sections = sections.replace("\n      - id: ", "\n      - colour: red\n        id: ")
    copies = (int(MAX_DATA_FILE_BYTES * 0.6) - len(text)) // len(sections) + 1
    path = tmp_path / "big.yaml"
    path.write_text(head + "\nsections:\n" + "\n".join([sections] * copies) + "\nrules:\n" + tail, encoding="utf-8")
    start = time.perf_counter()
    problems = check_pack(path)
    elapsed = time.perf_counter() - start
    assert elapsed < 20, f"took {elapsed:.1f} s"
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("and ") and "more problem" in problems[-1].message
    first = problems[0]
    assert first.line == _line(path, "colour: red") and first.message == "unknown field 'colour'"
    assert [p.line for p in problems[:-1]] == sorted(p.line for p in problems[:-1])


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_bytes(b"format: dpia-form-pack\n" + b"# padding\n" * (MAX_DATA_FILE_BYTES // 10))
    assert "data files are limited" in _refused(path).message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_as_pack_or_catalog_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    assert "not a regular file" in _refused(pipe).message
    pack = _mini(tmp_path)
    (tmp_path / "mini-catalog.yaml").unlink()
    os.mkfifo(tmp_path / "mini-catalog.yaml")
    problem = _refused(pack)
    assert problem.file == str(tmp_path / "mini-catalog.yaml") or "catalog" in problem.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_as_catalog_is_refused(tmp_path):
    pack = _mini(tmp_path)
    (tmp_path / "mini-catalog.yaml").unlink()
    (tmp_path / "mini-catalog.yaml").symlink_to("/dev/zero")
    problem = _refused(pack)
    assert "mini-catalog.yaml" in str(problem)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    assert "not a regular file" in _refused(zero).message


def test_a_folder_as_pack_is_refused(tmp_path):
    folder = tmp_path / "pack.yaml"
    folder.mkdir()
    assert "not a regular file" in _refused(folder).message


# --- item 5: foreign files, short excerpts ------------------------------------------------------

SECRET = "hunter2-do-not-print"


def _foreign_mapping(path: Path) -> None:
    """Lines of a password-like file that happen to read as a YAML mapping."""
    lines = [f"user{i}:x:{1000 + i}:{1000 + i}:User {i}:/home/user{i}: /bin/{SECRET}{i}" for i in range(200)]
    path.write_text("root:x:0:0:root:/root: /bin/bash\n" + "\n".join(lines) + "\n", encoding="utf-8")


def test_a_catalog_that_is_a_link_to_a_foreign_file_gives_one_short_problem(tmp_path, capsys):
    foreign = tmp_path / "elsewhere" / "passwd"
    foreign.parent.mkdir()
    _foreign_mapping(foreign)
    pack = _mini(tmp_path)
    (tmp_path / "mini-catalog.yaml").unlink()
    (tmp_path / "mini-catalog.yaml").symlink_to(foreign)
    problem = _refused(pack)
    assert "not a requirements catalog" in problem.message
    assert SECRET not in str(problem) and "user1" not in str(problem) and len(str(problem)) < 300
    code = main(["forms", "check", str(pack)])
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_FILE and SECRET not in out + err and len(out.splitlines()) == 1


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="no /etc/passwd here")
def test_a_catalog_linked_to_the_system_password_file_is_refused_in_one_line(tmp_path, capsys):
    pack = _mini(tmp_path)
    (tmp_path / "mini-catalog.yaml").unlink()
    (tmp_path / "mini-catalog.yaml").symlink_to("/etc/passwd")
    code = main(["forms", "check", str(pack)])
    out, _ = capsys.readouterr()
    assert code == EXIT_BAD_FILE and len(out.splitlines()) == 1 and len(out) < 300
    assert "/bin/" not in out.replace(str(tmp_path), "")


def test_a_foreign_file_checked_as_a_pack_gives_one_short_problem(tmp_path):
    foreign = tmp_path / "passwd.yaml"
    _foreign_mapping(foreign)
    problem = _refused(foreign)
    assert "not a form pack" in problem.message and problem.line == 1
    assert SECRET not in str(problem) and len(str(problem)) < 300


@pytest.mark.parametrize("content", [b"plain words, no YAML mapping\n" * 100, b"#!/bin/sh\necho hi\n", b"- a\n- b\n",
                                     b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), b"key: [unclosed\n" + b"x" * 10_000])
def test_files_that_are_not_packs_give_one_short_problem(tmp_path, content):
    path = tmp_path / "pack.yaml"
    path.write_bytes(content)
    problem = _refused(path)
    assert len(str(problem)) < 300


def test_a_pack_with_a_wrong_format_says_so_once(tmp_path):
    path = _mini(tmp_path, "format: dpia-form-pack\n", "format: dpia-form-pak\n")
    problem = _refused(path)
    assert "not a form pack" in problem.message and problem.line == 1 and "dpia-form-pak" in problem.message


def test_field_names_and_values_quoted_in_problems_are_short_excerpts(tmp_path):
    long_key = "k" * 500
    path = _mini(tmp_path, "        required: true\n        min: 0\n", f"        required: true\n        {long_key}: 1\n        min: 0\n")
    text = path.read_text(encoding="utf-8").replace("severity: blocking", "severity: " + "z" * 500, 1)
    path.write_text(text, encoding="utf-8")
    problems = check_pack(path)
    assert len(problems) == 2
    for problem in problems:
        assert len(str(problem)) < 400 and "k" * 100 not in str(problem) and "z" * 100 not in str(problem)
    assert any(p.message.startswith("unknown field 'kkkk") and "…" in p.message for p in problems)


def test_problems_beyond_the_limit_are_counted_not_listed(tmp_path):
    extra = "".join(f"        colour{i}: red\n" for i in range(MAX_PROBLEMS * 3))
    path = _mini(tmp_path, "        required: true\n        min: 0\n", "        required: true\n" + extra + "        min: 0\n")
    problems = check_pack(path)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == f"and {MAX_PROBLEMS * 2} more problems (only the first {MAX_PROBLEMS} are listed)"
    assert problems[0].line == _line(path, "colour0: red")
    with pytest.raises(DataFileError) as refused:
        load_pack(path)
    assert refused.value.total == MAX_PROBLEMS * 3 and len(refused.value.all_problems) == MAX_PROBLEMS * 3
    assert refused.value.problems == problems and str(refused.value).count("\n") == MAX_PROBLEMS


def test_options_listed_twice_many_times_are_checked_quickly(tmp_path):
    options = "".join("          - {id: adults, label: {en: A, zh-Hans: A}}\n" for _ in range(20_000))
    path = _mini(tmp_path, "        options:\n", "        options:\n" + options)
    problem = _refused(path, seconds=15)
    assert "option id listed twice: adults" in problem.message


def test_cli_forms_check_on_a_bomb_exits_3_with_a_short_message(tmp_path, capsys):
    path = _with_definitions(tmp_path, _alias_bomb(9))
    code = main(["forms", "check", str(path)])
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_FILE and len(out.splitlines()) == 1 and "1 problem(s)" in err


def test_the_built_in_pack_still_loads_and_a_bad_one_still_names_lines(tmp_path):
    assert load_pack(FORMS / "cn-frt-2025.yaml").pack.id == "cn-frt-2025"
    path = _mini(tmp_path, "severity: blocking", "severity: critical")
    (problem,) = check_pack(path)
    assert problem.line == _line(path, "severity: critical")
