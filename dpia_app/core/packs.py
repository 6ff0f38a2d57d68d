"""Loading form packs and their catalog, with every problem reported at once, and finding built-in packs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .catalog import Catalog
from .conditions import QuestionShape, UseDefinition, referenced_questions
from .formpack import FormPack, Question
from .pack_headers import _pack_header, builtin_forms_dir, builtin_pack_paths  # noqa: F401 - re-exported
from .yaml_source import (
    DataFileError,
    Problem,
    line_of,
    problems_from_validation,
    read_yaml,
)


@dataclass(frozen=True)
class LoadedPack:
    """A validated pack with its catalog and the hash that drafts record to detect pack changes."""

    pack: FormPack
    catalog: Catalog
    sha256: str
    path: Path

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def version(self) -> str:
        return self.pack.version


def load_catalog(path: Path) -> tuple[bytes, Catalog]:
    try:
        return _load_catalog(path, with_lines=False)
    except DataFileError:
        return _load_catalog(path, with_lines=True)


def _load_catalog(path: Path, *, with_lines: bool) -> tuple[bytes, Catalog]:
    raw, data = read_yaml(path, with_lines=with_lines)
    try:
        return raw, Catalog.model_validate(data)
    except ValidationError as error:
        raise DataFileError(problems_from_validation(str(path), data, error)) from error


def load_pack(path: Path | str) -> LoadedPack:
    """Load and check a pack; raise DataFileError listing every problem with its file and line."""
    path = Path(path)
    try:
        # A good pack is read fast; only a broken one is read again to locate its problems.
        return _load_pack(path, with_lines=False)
    except DataFileError:
        return _load_pack(path, with_lines=True)


def _load_pack(path: Path, *, with_lines: bool) -> LoadedPack:
    name = str(path)
    raw, data = read_yaml(path, with_lines=with_lines)
    if data.get("format") == "dpia-catalog":
        raise DataFileError([Problem(name, 1, "format", "this is a requirements catalog, not a form pack")])

    catalog, catalog_raw, problems = _catalog_for(path, data, with_lines)
    shapes, id_problems = _question_shapes(name, data)
    problems += id_problems
    definitions = set(data["definitions"]) if isinstance(data.get("definitions"), dict) else set()
    context = {"questions": shapes, "definitions": definitions, "catalog": catalog}
    pack: FormPack | None = None
    try:
        pack = FormPack.model_validate(data, context=context)
    except ValidationError as error:
        problems += problems_from_validation(name, data, error)
    if pack is not None:
        problems += _cross_checks(name, data, pack)
    if problems:
        raise DataFileError(sorted(problems, key=lambda p: (p.file != name, p.line or 0)))
    assert pack is not None and catalog is not None
    digest = hashlib.sha256(raw + b"\0" + catalog_raw).hexdigest()
    return LoadedPack(pack=pack, catalog=catalog, sha256=digest, path=path)


def check_pack(path: Path | str) -> list[Problem]:
    try:
        load_pack(path)
    except DataFileError as error:
        return error.problems
    return []


def _catalog_for(path: Path, data: dict, with_lines: bool) -> tuple[Catalog | None, bytes, list[Problem]]:
    name = data.get("catalog")
    if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
        # The field validator reports the bad value; references cannot be checked without a catalog.
        return None, b"", []
    catalog_path = path.parent / name
    if not catalog_path.is_file():
        line = line_of(data, ["catalog"])
        return None, b"", [Problem(str(path), line, "catalog", f"the catalog file {name!r} is not next to the pack")]
    try:
        raw, catalog = _load_catalog(catalog_path, with_lines=with_lines)
    except DataFileError as error:
        return None, b"", error.problems
    return catalog, raw, []


def _question_shapes(name: str, data: dict) -> tuple[dict[str, QuestionShape], list[Problem]]:
    """Index the raw questions (tolerating malformed parts) and report duplicate ids with their lines."""
    shapes: dict[str, QuestionShape] = {}
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str], int | None] = {}

    def remember(kind: str, identifier: Any, loc: list[Any]) -> None:
        if not isinstance(identifier, str):
            return
        line = line_of(data, loc)
        key = (kind, identifier)
        if key in first_seen:
            problems.append(Problem(name, line, "", f"{kind} id {identifier!r} is already used on line {first_seen[key]}"))
        else:
            first_seen[key] = line

    order = 0
    for s_index, section in _items(data.get("sections")):
        remember("section", section.get("id"), ["sections", s_index])
        for q_index, question in _items(section.get("questions")):
            identifier = question.get("id")
            remember("question", identifier, ["sections", s_index, "questions", q_index])
            if isinstance(identifier, str) and identifier not in shapes:
                fields = {
                    f.get("id"): QuestionShape(str(f.get("type")), _option_ids(f), 0, {})
                    for _, f in _items(question.get("fields"))
                    if isinstance(f.get("id"), str)
                }
                shapes[identifier] = QuestionShape(str(question.get("type")), _option_ids(question), order, fields)
                order += 1
    for kind, key in (("rule", "rules"), ("risk", "risks"), ("filing duty", "filing_duties"), ("first step", "first_steps")):
        for index, item in _items(data.get(key)):
            remember(kind, item.get("id"), [key, index])
    return shapes, problems


def _items(value: Any) -> Iterator[tuple[int, dict]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _option_ids(node: dict) -> frozenset[str]:
    return frozenset(o.get("id") for _, o in _items(node.get("options")) if isinstance(o.get("id"), str))


def _cross_checks(name: str, data: dict, pack: FormPack) -> list[Problem]:
    """Checks that need the whole validated pack: ordering, cycles, gathered table columns, renamed
    ids, date questions, the public summary's questions."""
    problems: list[Problem] = []

    def problem(loc: list[Any], where: str, message: str) -> None:
        problems.append(Problem(name, line_of(data, loc), where, message))

    cycle = _definition_cycle(pack)
    if cycle:
        problem(["definitions", cycle[0]], f"definitions.{cycle[0]}", "definitions refer to each other in a circle: " + " -> ".join(cycle))
        return problems  # ordering checks below follow definitions and would not terminate

    position = {question_id: i for i, question_id in enumerate(pack.questions)}
    for s_index, section in enumerate(pack.sections):
        first_in_section = position[section.questions[0].id]
        if section.show_if is not None:
            for ref in sorted(referenced_questions(section.show_if, pack.definitions)):
                if position[ref] >= first_in_section:
                    problem(["sections", s_index, "show_if"], f"sections[{section.id}].show_if",
                            f"depends on {ref!r}, which is not in an earlier section")
        for q_index, question in enumerate(section.questions):
            if question.from_table is not None:
                message = _from_table_problem(pack, question)
                if message:
                    problem(["sections", s_index, "questions", q_index, "from_table"],
                            f"sections[{section.id}].questions[{question.id}].from_table", message)
            if question.show_if is None:
                continue
            for ref in sorted(referenced_questions(question.show_if, pack.definitions)):
                if position[ref] >= position[question.id]:
                    problem(["sections", s_index, "questions", q_index, "show_if"],
                            f"sections[{section.id}].questions[{question.id}].show_if",
                            f"depends on {ref!r}, which does not come before this question")

    if pack.public_summary is not None:
        for p_index, part in enumerate(pack.public_summary.parts):
            for q_index, question_id in enumerate(part.questions):
                if question_id not in pack.questions:
                    problem(["public_summary", "parts", p_index, "questions", q_index], f"public_summary.parts[{p_index}].questions",
                            f"{question_id!r} is not a question of this pack")

    for index, duty in enumerate(pack.filing_duties):
        start = pack.questions.get(duty.start_question)
        if start is None or start.type != "date":
            problem(["filing_duties", index, "start_question"], f"filing_duties[{duty.id}].start_question",
                    f"{duty.start_question!r} must be a date question of this pack")

    change = pack.substantial_change
    if change is not None:
        duties = {duty.id for duty in pack.filing_duties}
        for key in ("filed_duty", "change_duty"):
            if getattr(change, key) not in duties:
                problem(["substantial_change", key], f"substantial_change.{key}", f"{getattr(change, key)!r} is not a filing duty of this pack")
        for index, question_id in enumerate(change.facts):
            if question_id not in pack.questions:
                problem(["substantial_change", "facts", index], "substantial_change.facts", f"{question_id!r} is not a question of this pack")
        for index, count in enumerate(change.counts):
            question = pack.questions.get(count.q)
            if question is None or question.type != "integer":
                problem(["substantial_change", "counts", index, "q"], "substantial_change.counts", f"{count.q!r} must be a whole-number question of this pack")

    for old, new in pack.renamed_questions.items():
        if old in pack.questions:
            problem(["renamed_questions", old], f"renamed_questions.{old}", f"{old!r} still exists in this pack")
        if new not in pack.questions:
            problem(["renamed_questions", old], f"renamed_questions.{old}", f"renamed to {new!r}, which is not a question of this pack")
    return problems


def _from_table_problem(pack: FormPack, question: Question) -> str | None:
    """Why a question cannot gather the table column it names, or None if it can."""
    source = question.from_table
    assert source is not None
    table = pack.questions.get(source.question)
    if table is None or table.type != "group":
        return f"{source.question!r} is not a table question of this pack"
    column = table.field(source.field)
    if column is None:
        return f"{source.question!r} has no column {source.field!r}"
    if question.type == "integer" and column.type != "integer":
        return f"a whole number totals a whole-number column; {source.field!r} is {column.type}"
    if question.type == "multi_choice":
        if column.type not in ("single_choice", "multi_choice"):
            return f"choices are gathered from a column of choices; {source.field!r} is {column.type}"
        own = {option.id for option in question.options or []}
        if not own & {option.id for option in column.options or []}:
            return f"no option of column {source.field!r} is an option of this question"
    return None


def _definition_cycle(pack: FormPack) -> list[str] | None:
    def uses(condition: Any) -> Iterator[str]:
        if isinstance(condition, UseDefinition):
            yield condition.use
        for child in _children(condition):
            yield from uses(child)

    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        if state.get(name) == 1:
            return path[path.index(name):] + [name]
        if state.get(name) == 2:
            return None
        state[name] = 1
        for used in uses(pack.definitions[name]):
            found = visit(used, path + [name])
            if found:
                return found
        state[name] = 2
        return None

    for name in pack.definitions:
        found = visit(name, [])
        if found:
            return found
    return None


def _children(condition: Any) -> list[Any]:
    for attribute in ("all", "any"):
        value = getattr(condition, attribute, None)
        if isinstance(value, list):
            return value
    for attribute in ("not_", "any_row"):
        value = getattr(condition, attribute, None)
        if value is not None:
            return [value]
    return []


# --- built-in packs --------------------------------------------------------------------------
# Listed without the models by core/pack_headers.py; re-exported here, where callers look for them.


@lru_cache(maxsize=8)
def load_builtin_pack(pack_id: str) -> LoadedPack:
    paths = builtin_pack_paths()
    if pack_id not in paths:
        known = ", ".join(sorted(paths)) or "none"
        raise KeyError(f"no built-in form pack {pack_id!r} (available: {known})")
    return load_pack(paths[pack_id])
