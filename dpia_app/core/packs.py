"""Loading form packs and their catalog, with every problem reported at once, and finding built-in packs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import parse_cache
from .catalog import Catalog
from .conditions import QuestionShape, UseDefinition, referenced_questions
from .formpack import FormPack, Question
from .pack_headers import _pack_header, builtin_forms_dir, builtin_pack_paths  # noqa: F401 - re-exported
from .yaml_source import (
    MAX_DEPTH,
    MAX_NODES,
    DataFileError,
    Problem,
    has_lines,
    line_of,
    problems_from_validation,
    read_yaml,
    require_format,
)

# Conditions one definition stands for, counting each `use` of another definition in full: a
# definition used twice by the next, and so on, doubles at each step (the built-in pack's largest
# definition has 9 conditions).
MAX_DEFINITION_SIZE = 200

_PACK = ("dpia-form-pack", "a form pack")
_CATALOG = ("dpia-catalog", "a requirements catalog")


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
    except DataFileError as error:
        if error.located:
            raise
        return _load_catalog(path, with_lines=True)


def _load_catalog(path: Path, *, with_lines: bool) -> tuple[bytes, Catalog]:
    name = str(path)
    raw, data = read_yaml(path, with_lines=with_lines, max_expanded=MAX_NODES, remember=False)
    require_format(name, data, *_CATALOG, others={_PACK[0]: _PACK[1]})
    try:
        catalog = Catalog.model_validate(data)
        _remember(raw, data, with_lines)
        return raw, catalog
    except ValidationError as error:
        problems = problems_from_validation(name, data, error)
    except RecursionError:
        problems = [_too_deep(name)]
    raise DataFileError(problems, located=has_lines(data))


def _remember(raw: bytes, data: Any, with_lines: bool) -> None:
    """Keep a file's parse for the next start once it has validated: a broken file is parsed
    afresh each time (it is about to be fixed), and a parse read with lines after a cached one
    failed is not trusted to the cache again."""
    if has_lines(data) and not with_lines:
        parse_cache.remember(raw, data)


def _too_deep(name: str) -> Problem:
    return Problem(name, None, "", "the file is nested too deeply to be checked")


def load_pack(path: Path | str) -> LoadedPack:
    """Load and check a pack; raise DataFileError listing every problem with its file and line."""
    path = Path(path)
    try:
        # A good pack is read fast (often from the parse cache); a broken one read from the cache,
        # whose problems know no lines, is read again to locate them.
        return _load_pack(path, with_lines=False)
    except DataFileError as error:
        if error.located:
            raise
        return _load_pack(path, with_lines=True)


def _load_pack(path: Path, *, with_lines: bool) -> LoadedPack:
    name = str(path)
    raw, data = read_yaml(path, with_lines=with_lines, max_expanded=MAX_NODES, remember=False)
    require_format(name, data, *_PACK, others={_CATALOG[0]: _CATALOG[1]})

    catalog, catalog_raw, problems, located = _catalog_for(path, data, with_lines)
    located = located and has_lines(data)
    pack: FormPack | None = None
    try:
        shapes, id_problems = _question_shapes(name, data)
        problems += id_problems
        definitions = set(data["definitions"]) if isinstance(data.get("definitions"), dict) else set()
        context = {"questions": shapes, "definitions": definitions, "catalog": catalog}
        try:
            pack = FormPack.model_validate(data, context=context)
        except ValidationError as error:
            problems += problems_from_validation(name, data, error)
        if pack is not None:
            problems += _cross_checks(name, data, pack)
    except RecursionError:
        problems.append(_too_deep(name))
    if problems:
        raise DataFileError(sorted(problems, key=lambda p: (p.file != name, p.line or 0)), located=located)
    assert pack is not None and catalog is not None
    _remember(raw, data, with_lines)
    digest = hashlib.sha256(raw + b"\0" + catalog_raw).hexdigest()
    return LoadedPack(pack=pack, catalog=catalog, sha256=digest, path=path)


def check_pack(path: Path | str) -> list[Problem]:
    """The problems of a pack (the first MAX_PROBLEMS, then how many more), or none."""
    try:
        load_pack(path)
    except DataFileError as error:
        return error.problems
    return []


def _catalog_for(path: Path, data: dict, with_lines: bool) -> tuple[Catalog | None, bytes, list[Problem], bool]:
    """The pack's catalog, its bytes, its problems and whether they know their lines."""
    name = data.get("catalog")
    if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
        # The field validator reports the bad value; references cannot be checked without a catalog.
        return None, b"", [], True
    catalog_path = path.parent / name
    if not os.path.lexists(catalog_path):
        line = line_of(data, ["catalog"])
        return None, b"", [Problem(str(path), line, "catalog", f"the catalog file {name!r} is not next to the pack")], has_lines(data)
    try:
        raw, catalog = _load_catalog(catalog_path, with_lines=with_lines)
    except DataFileError as error:
        # Whatever it is (a folder, a device, a link to some other file), read_yaml and
        # require_format said so in one short problem.
        return None, b"", error.all_problems, error.located
    return catalog, raw, [], True


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

    order, cycle = _definition_order(pack)
    if cycle:
        problem(["definitions", cycle[0]], f"definitions.{cycle[0]}", "definitions refer to each other in a circle: " + " -> ".join(cycle))
        return problems  # ordering checks below follow definitions and would not terminate
    oversized = _oversized_definition(pack, order)
    if oversized:
        definition, message = oversized
        problem(["definitions", definition], f"definitions.{definition}", message)
        return problems  # the checks below (and every evaluation) would follow it in full

    worked_out: dict[str, frozenset[str]] = {}  # each definition followed once, for every show_if

    def references(condition: Any) -> set[str]:
        return referenced_questions(condition, pack.definitions, worked_out)

    position = {question_id: i for i, question_id in enumerate(pack.questions)}
    for s_index, section in enumerate(pack.sections):
        first_in_section = position[section.questions[0].id]
        if section.show_if is not None:
            for ref in sorted(references(section.show_if)):
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
            for ref in sorted(references(question.show_if)):
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


def _definition_order(pack: FormPack) -> tuple[list[str], list[str] | None]:
    """The definitions, each after those it uses, or the first circle found (a -> b -> a).

    Without recursion: a chain of thousands of definitions, each using the next, is a problem to
    report, not a RecursionError."""
    def uses(condition: Any) -> Iterator[str]:
        if isinstance(condition, UseDefinition):
            yield condition.use
        for child in _children(condition):
            yield from uses(child)  # a condition's own nesting is bounded by MAX_DEPTH

    used_by = {name: [u for u in dict.fromkeys(uses(definition)) if u in pack.definitions]
               for name, definition in pack.definitions.items()}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    order: list[str] = []
    for root in pack.definitions:
        if root in state:
            continue
        path = [root]
        pending = [iter(used_by[root])]
        state[root] = 1
        while pending:
            for used in pending[-1]:
                if state.get(used) == 1:
                    return order, path[path.index(used):] + [used]
                if used not in state:
                    state[used] = 1
                    path.append(used)
                    pending.append(iter(used_by[used]))
                    break
            else:
                done = path.pop()
                pending.pop()
                state[done] = 2
                order.append(done)
    return order, None


def _oversized_definition(pack: FormPack, order: list[str]) -> tuple[str, str] | None:
    """The first definition that, with the definitions it uses counted in full, holds more than
    MAX_DEFINITION_SIZE conditions or nests deeper than MAX_DEPTH: the `use` equivalent of an
    alias bomb, which validation, the checks and every evaluation would otherwise follow."""
    sizes: dict[str, tuple[int, int]] = {}

    def extent(condition: Any) -> tuple[int, int]:
        if isinstance(condition, UseDefinition):
            size, depth = sizes.get(condition.use, (1, 1))
            return size, depth + 1
        total, deepest = 1, 0
        for child in _children(condition):
            size, depth = extent(child)
            total += size
            deepest = max(deepest, depth)
        return total, deepest + 1

    for name in order:
        size, depth = extent(pack.definitions[name])
        if size > MAX_DEFINITION_SIZE:
            return name, (f"expands to more than {MAX_DEFINITION_SIZE:,} conditions with the definitions it uses "
                          "(each `use` counted in full); split it or simplify it")
        if depth > MAX_DEPTH:
            return name, f"nested more than {MAX_DEPTH} levels deep with the definitions it uses (`use` inside `use`)"
        sizes[name] = (size, depth)
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
