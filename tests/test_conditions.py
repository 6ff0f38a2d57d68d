"""The condition language: operators, three-valued logic, witnesses, and type checks at load."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pydantic import TypeAdapter, ValidationError

from dpia_app.core.conditions import MISSING, Condition, QuestionShape, evaluate, referenced_questions, witnesses

parse = TypeAdapter(Condition).validate_python


class Answers:
    def __init__(self, values: dict, definitions: dict | None = None):
        self.values = values
        self.definitions = {k: parse(v) for k, v in (definitions or {}).items()}

    def value(self, question_id):
        return self.values.get(question_id, MISSING)

    def definition(self, name):
        return self.definitions[name]


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ({"q": "a", "eq": "yes"}, {"a": "yes"}, True),
        ({"q": "a", "eq": "yes"}, {"a": "no"}, False),
        ({"q": "a", "eq": "yes"}, {}, None),
        ({"q": "a", "ne": "yes"}, {}, None),
        ({"q": "a", "ne": "yes"}, {"a": "unknown"}, True),
        ({"q": "a", "in": ["x", "y"]}, {"a": "y"}, True),
        ({"q": "a", "not_in": ["x", "y"]}, {"a": "y"}, False),
        ({"q": "m", "contains": "x"}, {"m": frozenset({"x", "z"})}, True),
        ({"q": "m", "contains_any": ["p", "q"]}, {"m": frozenset({"x"})}, False),
        ({"q": "n", "gt": 10}, {"n": 11}, True),
        ({"q": "n", "gte": 10}, {"n": 10}, True),
        ({"q": "n", "lt": 10}, {"n": 10}, False),
        ({"q": "n", "lte": 10}, {"n": 10}, True),
        ({"q": "d", "gt": dt.date(2025, 6, 1)}, {"d": dt.date(2025, 6, 2)}, True),
        ({"q": "d", "gt": {"q": "e"}}, {"d": dt.date(2025, 6, 2), "e": dt.date(2025, 6, 3)}, False),
        ({"q": "d", "gt": {"q": "e"}}, {"d": dt.date(2025, 6, 2)}, None),
        ({"q": "a", "answered": True}, {}, False),
        ({"q": "a", "answered": False}, {}, True),
        # Kleene logic: unknown never becomes true through `not` and does not hide a definite answer.
        ({"not": {"q": "a", "eq": "yes"}}, {}, None),
        ({"all": [{"q": "a", "eq": "yes"}, {"q": "b", "eq": "yes"}]}, {"a": "no"}, False),
        ({"all": [{"q": "a", "eq": "yes"}, {"q": "b", "eq": "yes"}]}, {"a": "yes"}, None),
        ({"any": [{"q": "a", "eq": "yes"}, {"q": "b", "eq": "yes"}]}, {"b": "yes"}, True),
        ({"any": [{"q": "a", "eq": "yes"}, {"q": "b", "eq": "yes"}]}, {"a": "no"}, None),
        # A value of an unexpected type compares as unknown instead of raising.
        ({"q": "n", "gt": 10}, {"n": "ten"}, None),
    ],
)
def test_operators_and_three_valued_logic(condition, values, expected):
    assert evaluate(parse(condition), Answers(values)) is expected


def test_any_row_looks_at_each_row_of_a_table():
    condition = parse({"q": "t", "any_row": {"field": "room", "in": ["toilet", "bath"]}})
    assert evaluate(condition, Answers({"t": [{"room": "lobby"}, {"room": "bath"}]})) is True
    assert evaluate(condition, Answers({"t": [{"room": "lobby"}]})) is False
    assert evaluate(condition, Answers({"t": [{"room": None}]})) is None
    assert evaluate(condition, Answers({})) is None


def test_named_definitions_are_followed():
    answers = Answers({"a": "yes"}, {"a_is_yes": {"q": "a", "eq": "yes"}})
    assert evaluate(parse({"use": "a_is_yes"}), answers) is True
    assert witnesses(parse({"use": "a_is_yes"}), answers) == ["a"]


def test_witnesses_prefer_the_rules_own_comparisons_over_definitions():
    answers = Answers({"a": "yes", "b": "no"}, {"a_is_yes": {"q": "a", "eq": "yes"}})
    assert witnesses(parse({"all": [{"use": "a_is_yes"}, {"q": "b", "eq": "no"}]}), answers) == ["b"]


def test_witnesses_name_only_the_answers_that_made_it_true():
    condition = parse({"all": [{"q": "a", "eq": "yes"}, {"any": [{"q": "b", "eq": "x"}, {"q": "c", "eq": "x"}]}]})
    assert witnesses(condition, Answers({"a": "yes", "b": "y", "c": "x"})) == ["a", "c"]


def test_referenced_questions_include_compared_questions():
    condition = parse({"all": [{"q": "a", "gt": {"q": "b"}}, {"not": {"q": "c", "answered": True}}]})
    assert referenced_questions(condition) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"q": "a", "eq": "yes", "ne": "no"}, "exactly one operator"),
        ({"q": "a"}, "exactly one operator"),
        ({"eq": "yes"}, "exactly one of `q`"),
        ({"q": "a", "equals": "yes"}, "Extra inputs"),
        ({"all": []}, "at least 1"),
        ({"q": "a", "eq": "yse"}, "can never match"),
        ({"q": "missing", "eq": "yes"}, "no question with id 'missing'"),
        ({"q": "a", "gt": 3}, "cannot be used on 'a' (yes_no)"),
        ({"q": "n", "gt": "ten"}, "whole number"),
        ({"q": "c", "eq": "purple"}, "no option 'purple'"),
        ({"q": "d", "gt": "June"}, "YYYY-MM-DD"),
        ({"q": "t", "any_row": {"field": "colour", "eq": "x"}}, "no field with id 'colour' of table 't'"),
        ({"q": "t", "any_row": {"q": "a", "eq": "yes"}}, "compare the row's fields with `field`"),
        ({"use": "nowhere"}, "no definition named 'nowhere'"),
    ],
)
def test_pack_mistakes_in_conditions_are_refused(condition, message):
    shapes = {
        "a": QuestionShape("yes_no", frozenset(), 0, {}),
        "n": QuestionShape("integer", frozenset(), 1, {}),
        "c": QuestionShape("single_choice", frozenset({"red", "blue"}), 2, {}),
        "d": QuestionShape("date", frozenset(), 3, {}),
        "t": QuestionShape("group", frozenset(), 4, {"room": QuestionShape("single_choice", frozenset({"lobby"}), 0, {})}),
    }
    with pytest.raises(ValidationError, match=re.escape(message)):
        TypeAdapter(Condition).validate_python(condition, context={"questions": shapes, "definitions": set()})
