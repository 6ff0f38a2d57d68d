"""Reading saved answers as typed values of their questions, reporting the ones that do not fit.

A saved answer can fail to fit its question for ordinary reasons: a newer pack removed an option,
changed a type or tightened a range, or somebody edited the file by hand. Such an answer is kept in
the draft, reported with what is wrong, and treated as unanswered by the rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .conditions import MISSING, YES_NO_VALUES
from .formpack import Question, TableField

# Dates outside this window are typing mistakes (0205 for 2025), not facts about a deployment.
EARLIEST_PLAUSIBLE_DATE = dt.date(1949, 10, 1)
LATEST_PLAUSIBLE_DATE = dt.date(2200, 12, 31)
# Larger integers are typos and would make the risk arithmetic meaningless.
LARGEST_PLAUSIBLE_INTEGER = 10**12


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Why a saved answer is not used: a code for the message, and what was found."""

    question_id: str
    code: str
    detail: str = ""
    row: int | None = None
    field_id: str | None = None


@dataclass(slots=True)
class TypedAnswer:
    value: Any
    problems: list[AnswerProblem] = field(default_factory=list)


def read_answer(question: Question, raw: Any) -> TypedAnswer:
    """The typed value of a raw answer, or MISSING with the problems that made it unusable."""
    if question.type == "group":
        return _read_table(question, raw)
    return _read_scalar(question.id, question, question.type, raw)


def read_field_answer(table_field: TableField, raw: Any, question_id: str = "", row: int | None = None) -> TypedAnswer:
    """The typed value of one cell of a table question."""
    return _read_scalar(question_id, table_field, table_field.type, raw, row, table_field.id)


def _read_scalar(question_id: str, spec: Question | TableField, kind: str, raw: Any, row: int | None = None, field_id: str | None = None) -> TypedAnswer:
    def problem(code: str, detail: str = "") -> TypedAnswer:
        return TypedAnswer(MISSING, [AnswerProblem(question_id, code, detail, row, field_id)])

    if raw is None:
        return TypedAnswer(MISSING)
    if kind == "yes_no":
        if not isinstance(raw, str) or raw not in YES_NO_VALUES:
            return problem("not_yes_no", repr(raw)[:80])
        return TypedAnswer(raw)
    if kind == "single_choice":
        if not isinstance(raw, str):
            return problem("not_an_option", repr(raw)[:80])
        if spec.option(raw) is None:
            return problem("not_an_option", raw[:80])
        return TypedAnswer(raw)
    if kind == "multi_choice":
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            return problem("not_a_list_of_options", repr(raw)[:80])
        unknown = [item for item in raw if spec.option(item) is None]
        if unknown:
            return problem("not_an_option", ", ".join(item[:80] for item in unknown))
        if not raw:
            return TypedAnswer(MISSING)
        return TypedAnswer(frozenset(raw))
    if kind in ("short_text", "long_text"):
        if not isinstance(raw, str):
            return problem("not_text", repr(raw)[:80])
        if not raw.strip():
            return TypedAnswer(MISSING)
        if spec.max_length is not None and len(raw) > spec.max_length:
            return problem("too_long", f"{len(raw)}/{spec.max_length}")
        return TypedAnswer(raw)
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int):
            return problem("not_a_whole_number", repr(raw)[:80])
        low = spec.min
        high = spec.max if spec.max is not None else LARGEST_PLAUSIBLE_INTEGER
        if (low is not None and raw < low) or raw > high:
            return problem("out_of_range", f"{raw} ({low if low is not None else '…'}–{high})")
        return TypedAnswer(raw)
    if kind == "date":
        if not isinstance(raw, str):
            return problem("not_a_date", repr(raw)[:80])
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            return problem("not_a_date", raw[:80])
        if not EARLIEST_PLAUSIBLE_DATE <= value <= LATEST_PLAUSIBLE_DATE:
            return problem("implausible_date", raw)
        return TypedAnswer(value)
    raise AssertionError(f"unknown question type {kind}")


def _read_table(question: Question, raw: Any) -> TypedAnswer:
    if raw is None:
        return TypedAnswer(MISSING)
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        return TypedAnswer(MISSING, [AnswerProblem(question.id, "not_a_table", repr(raw)[:80])])
    rows: list[dict[str, Any]] = []
    problems: list[AnswerProblem] = []
    for number, raw_row in enumerate(raw, start=1):
        row, row_problems = read_row(question, raw_row, number)
        problems += row_problems
        if row is not None:
            rows.append(row)
    if not rows:
        return TypedAnswer(MISSING, problems)
    return TypedAnswer(rows, problems)


def read_row(question: Question, raw_row: dict[str, Any], number: int) -> tuple[dict[str, Any] | None, list[AnswerProblem]]:
    """One row of a table question, typed, with its problems (numbered from 1 as the user counts).
    A row with nothing usable in it is no row (None): the user added it and never filled it. The table on
    screen and the row form both check a row with this, so they say the same things."""
    row: dict[str, Any] = {}
    problems: list[AnswerProblem] = []
    for table_field in question.fields or []:
        typed = read_field_answer(table_field, raw_row.get(table_field.id), question.id, number)
        problems += typed.problems
        row[table_field.id] = None if typed.value is MISSING else typed.value
    if all(value is None for value in row.values()):
        return None, problems
    for table_field in question.fields or []:
        if table_field.required and row[table_field.id] is None and not any(p.field_id == table_field.id for p in problems):
            problems.append(AnswerProblem(question.id, "row_field_required", "", number, table_field.id))
    return row, problems
