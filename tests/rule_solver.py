"""Test support: build answers that make a pack condition true (or false), visibility included.

For every rule of a pack this finds an assessment that fires it and one that answers the same
questions but does not, so each rule is proven reachable and each has a test that fails if the rule
stops working. Candidates are checked with the real condition evaluator, and the final answers with
the real evaluate(), so the solver cannot make a rule look reachable when it is not.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from dpia_app.core.answers import read_answer, read_field_answer
from dpia_app.core.conditions import (
    MISSING,
    AllOf,
    AnyOf,
    AnyRow,
    Compare,
    Not,
    QuestionRef,
    UseDefinition,
    evaluate,
)
from dpia_app.core.formpack import Question, TableField
from dpia_app.core.packs import LoadedPack

UNANSWERED = object()  # the question must stay unanswered
Assignment = dict[str, Any]
MAX_ALTERNATIVES = 400


class _OneValue:
    """An answer source holding just the values a leaf reads."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def value(self, question_id: str) -> Any:
        return self.values.get(question_id, MISSING)

    def definition(self, name: str):  # pragma: no cover - leaves never use definitions
        raise AssertionError(name)


def universe(spec: Question | TableField) -> list[Any]:
    """A small set of raw answers covering every distinction a condition can draw."""
    kind = spec.type
    if kind == "yes_no":
        return ["yes", "no", "unknown"]
    if kind == "single_choice":
        return spec.option_ids()
    if kind == "multi_choice":
        ids = spec.option_ids()
        return [[i] for i in ids] + [list(pair) for pair in itertools.combinations(ids, 2)]
    if kind == "integer":
        low = spec.min if spec.min is not None else 0
        points = {low, low + 1, 10, 99, 100, 101, 800, 99_999, 100_000, 100_001, 140_000, 350_000, 499_999,
                  500_000, 500_001, 1_000_000, 1_000_001, 10_000_000, 10_000_001}
        return sorted(p for p in points if p >= low and (spec.max is None or p <= spec.max))
    if kind == "date":
        return ["2025-03-01", "2025-05-31", "2025-06-01", "2025-06-02", "2025-09-15", "2026-01-05"]
    if kind in ("short_text", "long_text"):
        return ["Example answer written by the assessor."]
    if kind == "group":
        return []
    raise AssertionError(kind)


class Solver:
    def __init__(self, loaded: LoadedPack):
        self.pack = loaded.pack

    # --- conditions ---------------------------------------------------------------------------

    def solve(self, condition: Any, want: bool, table: Question | None = None) -> Iterator[Assignment]:
        if isinstance(condition, Compare):
            yield from self._leaf(condition, want, table)
        elif isinstance(condition, AllOf) and want or isinstance(condition, AnyOf) and not want:
            children = condition.all if isinstance(condition, AllOf) else condition.any
            yield from self._every(children, want, table, {})
        elif isinstance(condition, AllOf) or isinstance(condition, AnyOf):
            children = condition.all if isinstance(condition, AllOf) else condition.any
            for child in children:
                yield from self.solve(child, want, table)
        elif isinstance(condition, Not):
            yield from self.solve(condition.not_, not want, table)
        elif isinstance(condition, UseDefinition):
            yield from self.solve(self.pack.definitions[condition.use], want, table)
        elif isinstance(condition, AnyRow):
            question = self.pack.question(condition.q)
            for row in self.solve(condition.any_row, want, question):
                filled = {f.id: row.get(f.id, universe(f)[0] if f.required else None) for f in question.fields or []}
                yield {condition.q: [{k: v for k, v in filled.items() if v is not None and v is not UNANSWERED}]}
        else:
            raise AssertionError(condition)

    def _every(self, children: list[Any], want: bool, table: Question | None, acc: Assignment) -> Iterator[Assignment]:
        if not children:
            yield acc
            return
        for option in itertools.islice(self.solve(children[0], want, table), MAX_ALTERNATIVES):
            merged = merge(acc, option)
            if merged is not None:
                yield from self._every(children[1:], want, table, merged)

    def _spec(self, subject: str, table: Question | None) -> Question | TableField:
        if table is not None:
            field = table.field(subject)
            assert field is not None, subject
            return field
        return self.pack.question(subject)

    def _leaf(self, leaf: Compare, want: bool, table: Question | None) -> Iterator[Assignment]:
        subject = leaf.subject
        spec = self._spec(subject, table)
        if leaf.operator == "answered":
            if leaf.answered == want:
                yield {subject: universe(spec)[0]} if spec.type != "group" else {subject: [self._any_row(spec)]}
            else:
                yield {subject: UNANSWERED}
            return
        others: list[tuple[str, Question]] = []
        if isinstance(leaf.operand, QuestionRef):
            others.append((leaf.operand.q, self.pack.question(leaf.operand.q)))
        spaces = [universe(spec)] + [universe(q) for _, q in others]
        for combination in itertools.product(*spaces):
            values = {subject: _typed(spec, combination[0])}
            for (other_id, other), raw in zip(others, combination[1:]):
                values[other_id] = _typed(other, raw)
            if evaluate(leaf, _OneValue(values), values if table is not None else None) is want:
                result = {subject: combination[0]}
                result.update({other_id: raw for (other_id, _), raw in zip(others, combination[1:])})
                yield result

    def _any_row(self, question: Question) -> dict[str, Any]:
        return {f.id: universe(f)[0] for f in question.fields or []}

    # --- visibility -----------------------------------------------------------------------------

    def visible(self, assignment: Assignment, depth: int = 0) -> Iterator[Assignment]:
        """Extend an assignment so every question it answers is shown."""
        if depth > 12:
            return
        needs: list[Any] = []
        for question_id, value in assignment.items():
            if value is UNANSWERED:
                continue
            section = self.pack.section_of(question_id)
            question = self.pack.question(question_id)
            for condition in (section.show_if, question.show_if):
                if condition is not None:
                    needs.append(condition)
        if not needs:
            yield assignment
            return
        for extra in itertools.islice(self._every(needs, True, None, {}), MAX_ALTERNATIVES):
            merged = merge(assignment, extra)
            if merged is None:
                continue
            if merged == assignment:
                yield assignment
            else:
                yield from self.visible(merged, depth + 1)


def _typed(spec: Question | TableField, raw: Any) -> Any:
    if isinstance(spec, TableField):
        return read_field_answer(spec, raw).value
    return read_answer(spec, raw).value


def merge(first: Assignment, second: Assignment) -> Assignment | None:
    merged = dict(first)
    for key, value in second.items():
        if key in merged and merged[key] != value:
            return None
        merged[key] = value
    return merged


def answers_of(assignment: Assignment) -> dict[str, Any]:
    return {k: v for k, v in assignment.items() if v is not UNANSWERED}


def find_answers(loaded: LoadedPack, condition: Any, want: bool, check) -> dict[str, Any] | None:
    """Answers under which `check(answers)` holds, tried over the solver's alternatives."""
    solver = Solver(loaded)
    tried = 0
    for option in solver.solve(condition, want):
        for complete in solver.visible(option):
            answers = answers_of(complete)
            tried += 1
            if check(answers):
                return answers
            if tried > MAX_ALTERNATIVES:
                return None
    return None

