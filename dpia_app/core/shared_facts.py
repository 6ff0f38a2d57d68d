"""One fact, one place: a question that asks again for a fact of the assessment's details (the
organisation's name, the system, the DPO) and that detail fill each other, so nobody types it twice.

A side is filled only while it is empty or still holds what the other side said before: once the
user has written something different on purpose, neither side overwrites it.
"""

from __future__ import annotations

from typing import Any

from .assessment import Metadata
from .formpack import FormPack


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
