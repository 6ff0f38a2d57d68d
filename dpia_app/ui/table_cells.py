"""A table cell's value as typed and as shown: shared by the table grid and the row form."""

from __future__ import annotations

from typing import Any

from ..core.answers import read_field_answer
from ..core.conditions import MISSING
from ..core.formpack import TableField
from ..core.text import Language
from ..presentation import answer_value_text, parse_typed_date, yes_no_labels


def typed_cell(table_field: TableField, text: str) -> Any:
    """The raw answer for what was typed in a text cell; None when it is empty."""
    if not text:
        return None
    if table_field.type == "integer":
        # Kept as typed so that a mistake is reported against the row, not silently dropped.
        return int(text) if text.isascii() and text.isdigit() else text
    if table_field.type == "date":
        # Typed as people write dates (2026/12/2, 2026年12月2日); anything else is kept and reported.
        date = parse_typed_date(text)
        return date.isoformat() if date is not None else text
    return text


def shown_cell(table_field: TableField, raw: Any, language: Language) -> str:
    """A saved cell value in words (option labels, not option ids), or as saved if it is unreadable."""
    if raw is None:
        return ""
    typed = read_field_answer(table_field, raw)
    if typed.value is MISSING or typed.problems:
        return str(raw)
    return answer_value_text(table_field, typed.value, language)


def cell_choices(table_field: TableField, language: Language) -> list[tuple[str, str]]:
    """The (value, label) pairs a choice column offers."""
    if table_field.type == "yes_no":
        return list(yes_no_labels(language).items())
    return [(option.id, option.label.get(language)) for option in table_field.options or []]
