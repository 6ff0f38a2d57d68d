"""Which editor each question type gets."""

from __future__ import annotations

from ..core.formpack import Question
from ..core.text import Language
from .question_widgets import (
    DateEditor,
    IntegerEditor,
    LongTextEditor,
    MultiChoiceEditor,
    QuestionEditor,
    ShortTextEditor,
    SingleChoiceEditor,
    YesNoEditor,
)
from .table_editor import TableEditor

EDITORS: dict[str, type[QuestionEditor]] = {
    "yes_no": YesNoEditor,
    "single_choice": SingleChoiceEditor,
    "multi_choice": MultiChoiceEditor,
    "short_text": ShortTextEditor,
    "long_text": LongTextEditor,
    "integer": IntegerEditor,
    "date": DateEditor,
    "group": TableEditor,
}


def editor_for(question: Question, language: Language) -> QuestionEditor:
    return EDITORS[question.type](question, language)
