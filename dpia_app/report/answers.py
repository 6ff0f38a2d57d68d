"""Saved answers as a reader sees them: option labels, dates, numbers with units, tables as rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..core.answers import read_answer, read_field_answer
from ..core.conditions import MISSING
from ..core.formpack import Question, TableField
from ..core.text import Language
from ..presentation import item_separator, yes_no_labels
from .words import Said, Voice, _


@dataclass(frozen=True, slots=True)
class AnswerTable:
    columns: tuple[Said, ...]
    rows: tuple[tuple[str | Said, ...], ...]


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
        return ShownAnswer(table=AnswerTable(columns, tuple(rows)))
    value = _scalar(question, typed.value, voice)
    return ShownAnswer(text=value if isinstance(value, Said) else voice.plain(value))


def _scalar(spec: Question | TableField, value: Any, voice: Voice) -> str | Said:
    kind = spec.type
    if kind == "yes_no":
        return voice(lambda language: yes_no_labels(language)[value])
    if kind == "single_choice":
        option = spec.option(value)
        return voice.text(option.label) if option else str(value)  # type: ignore[return-value]
    if kind == "multi_choice":
        options = [spec.option(v) for v in value]

        def joined(language: Language) -> str:
            if not options:
                return "—"
            return item_separator(language).join(o.label.get(language) if o else str(v) for o, v in zip(options, value))

        return voice(joined)
    if kind == "integer":
        unit = spec.unit
        if unit is None:
            return f"{value:,}"
        return voice(lambda language: f"{value:,} {unit.get(language)}")
    if kind == "date":
        return value.isoformat()
    return str(value)


def _raw_text(raw: Any) -> str:
    try:
        return json.dumps(raw, ensure_ascii=False)[:2000]
    except (TypeError, ValueError):
        return repr(raw)[:2000]
