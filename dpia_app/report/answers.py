"""Saved answers as a reader sees them: option labels, dates, numbers with units, tables as rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from ..core.answers import read_answer, read_field_answer
from ..core.conditions import MISSING
from ..core.formpack import Question, TableField
from ..presentation import answer_value_text
from .words import Said, Voice, _

# An A4 page in portrait holds about six columns of 8.5pt text; a wider table (the 13 columns of the
# processing activities) would run off the page, so each of its rows is printed as a record instead.
PRINTED_COLUMNS = 6


@dataclass(frozen=True, slots=True)
class AnswerTable:
    columns: tuple[Said, ...]
    rows: tuple[tuple[str | Said, ...], ...]
    # The headings as labels run into a record's values: "Shared with another party: No", not "…?: No".
    record_labels: tuple[Said, ...] = ()

    @property
    def as_records(self) -> bool:
        """Each row as a record headed by its first cell, the other columns as "label: value"."""
        return len(self.columns) > PRINTED_COLUMNS


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    """An answer for print: a phrase in the report's languages, user text as typed, or a table."""

    text: Said | None = None
    table: AnswerTable | None = None
    # Saved but unusable (an option a newer pack removed, a hand-edited file): printed as saved.
    unusable: str | None = None


def show_answer(question: Question, raw: Any, voice: Voice) -> ShownAnswer:
    typed = read_answer(question, raw)
    if typed.value is MISSING:
        if raw is None:
            return ShownAnswer(text=voice.ui(_("Not answered")))
        return ShownAnswer(unusable=_raw_text(raw))
    if question.type == "group":
        fields = question.fields or []
        rows = []
        for index, row in enumerate(typed.value):
            cells: list[str | Said] = []
            for table_field in fields:
                cell = read_field_answer(table_field, row.get(table_field.id) if isinstance(row, dict) else None, question.id, index + 1)
                cells.append(_scalar(table_field, cell.value, voice) if cell.value is not MISSING else "—")
            rows.append(tuple(cells))
        columns = tuple(voice.text(f.label) for f in fields)  # type: ignore[misc]
        return ShownAnswer(table=AnswerTable(columns, tuple(rows), tuple(_run_in(c) for c in columns)))
    value = _scalar(question, typed.value, voice)
    return ShownAnswer(text=value if isinstance(value, Said) else voice.plain(value))


def _scalar(spec: Question | TableField, value: Any, voice: Voice) -> str | Said:
    if spec.type in ("date", "short_text", "long_text"):
        return answer_value_text(spec, value, voice.primary)  # the same in every language
    return voice(lambda language: answer_value_text(spec, value, language))


def _run_in(heading: Said) -> Said:
    def bare(text: str) -> str:
        return text.rstrip().rstrip("?？")
    return replace(heading, main=bare(heading.main), second=None if heading.second is None else bare(heading.second))


def _raw_text(raw: Any) -> str:
    try:
        return json.dumps(raw, ensure_ascii=False)[:2000]
    except (TypeError, ValueError):
        return repr(raw)[:2000]
