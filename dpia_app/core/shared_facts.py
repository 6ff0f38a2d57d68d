"""One fact, one place, so nobody types it twice:
- a question that asks again for a fact of the assessment's details (the organisation's name, the
  system, the DPO) and that detail fill each other;
- a question that a table already answers (how many devices: the devices listed per location; where
  faces are stored: the storage of each processing activity) follows that table.

A side is filled only while it is empty or still holds what the other side said before: once the
user has written something different on purpose, it is never overwritten.
"""

from __future__ import annotations

from typing import Any

from .answers import read_answer
from .assessment import Metadata
from .conditions import MISSING
from .formpack import FormPack, Question


def answers_following_details(pack: FormPack, before: Metadata, after: Metadata, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers after a change of the details: questions that ask the same fact follow it."""
    updated = dict(answers)
    for question in pack.questions.values():
        field = question.same_as
        if field is None:
            continue
        old, new = getattr(before, field), getattr(after, field)
        if old == new:
            continue
        current = updated.get(question.id)
        if current is None or current == old:
            if new:
                updated[question.id] = new
            else:
                updated.pop(question.id, None)
    return updated


def details_following_answer(pack: FormPack, question_id: str, old: Any, new: Any, metadata: Metadata) -> dict[str, str]:
    """The details to change after a question that asks one of them was answered (may be empty)."""
    question = pack.questions.get(question_id)
    if question is None or question.same_as is None:
        return {}
    field = question.same_as
    current = getattr(metadata, field)
    text = new if isinstance(new, str) else ""
    if current and current != (old if isinstance(old, str) else None):
        return {}
    return {field: text} if text != current else {}


def answers_following_tables(pack: FormPack, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The answers after a change: questions gathered from a table column follow the table."""
    updated = dict(after)
    for question in pack.questions.values():
        source = question.from_table
        if source is None or before.get(source.question) == after.get(source.question):
            continue
        old, new = gathered(pack, question, before), gathered(pack, question, after)
        current = updated.get(question.id)
        if old == new or not (current is None or _same(current, old)):
            continue  # nothing new, or the user answered this on purpose
        if new is None:
            updated.pop(question.id, None)
        else:
            updated[question.id] = new
    return updated


def gathered(pack: FormPack, question: Question, answers: dict[str, Any]) -> Any:
    """What the table column says for this question (raw answer), or None if it says nothing."""
    assert question.from_table is not None
    table = pack.question(question.from_table.question)
    typed = read_answer(table, answers.get(table.id))
    if typed.value is MISSING:
        return None
    column = [row[question.from_table.field] for row in typed.value if row.get(question.from_table.field) is not None]
    if question.type == "integer":
        return sum(column) if column else None
    used = set()
    for value in column:
        used |= set(value) if isinstance(value, frozenset) else {value}
    chosen = [option.id for option in question.options or [] if option.id in used]
    return chosen or None


def table_disagrees(pack: FormPack, question: Question, answers: dict[str, Any]) -> Any:
    """What the table says, when the question's own answer says something else (else None): two
    answers to one fact that disagree are pointed out, never silently reconciled."""
    if question.from_table is None:
        return None
    answer = answers.get(question.id)
    value = gathered(pack, question, answers)
    if answer is None or value is None or _same(answer, value):
        return None
    return value


def _same(answer: Any, gathered_value: Any) -> bool:
    # The order of ticked choices means nothing. An answer from a damaged or edited file may hold
    # anything in its list (a mapping cannot go in a set): then it simply is not the same.
    if isinstance(answer, list) and isinstance(gathered_value, list) and all(isinstance(v, str) for v in (*answer, *gathered_value)):
        return set(answer) == set(gathered_value)
    return answer == gathered_value
