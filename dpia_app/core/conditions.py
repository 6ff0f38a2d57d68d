"""Conditions: when a question or section shows and when a rule or risk adjustment applies.

Conditions are structured data with a closed set of operators, never code or string expressions:

    {q: alt.non_face_method, eq: "no"}
    {q: scale.stored_individuals, gte: 100000}
    {q: gov.pipia_completed_on, gt: {q: gov.go_live_on}}
    {q: places.devices, any_row: {field: location_type, in: [hotel_room, toilet]}}
    {all: [...]}, {any: [...]}, {not: {...}}, {use: frt_measures_apply}

They evaluate with three-valued (Kleene) logic. A comparison on a question that is unanswered,
hidden or answered with an invalid value is *unknown*, not false, and `not unknown` stays unknown:
a rule fires only when its condition is definitely true, so a half-filled assessment never produces
findings from answers the user has not given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    model_validator,
)

Scalar = Union[bool, int, float, dt.date, str]


class QuestionRef(BaseModel):
    """The right-hand side of a comparison that names another question instead of a literal."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    q: str


Operand = Union[QuestionRef, Scalar]

COMPARISON_OPERATORS = ("eq", "ne", "in", "not_in", "contains", "contains_any", "gt", "gte", "lt", "lte", "answered")
ORDERING_OPERATORS = ("gt", "gte", "lt", "lte")


class _Missing:
    """Marker for 'no usable answer': unanswered, hidden, or invalid for the question's type."""

    _instance: "_Missing | None" = None

    def __new__(cls) -> "_Missing":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


class AnswerSource(Protocol):
    """What conditions read: typed answers of visible questions, and the pack's named conditions."""

    def value(self, question_id: str) -> Any: ...

    def definition(self, name: str) -> "Condition": ...


@dataclass(frozen=True, slots=True)
class QuestionShape:
    """What the loader knows about a question when it checks a condition that names it."""

    type: str
    options: frozenset[str]
    order: int
    fields: Mapping[str, "QuestionShape"]


# Which operators make sense for which question type; anything else is a pack error, caught at load.
OPERATORS_BY_TYPE: dict[str, frozenset[str]] = {
    "yes_no": frozenset({"eq", "ne", "in", "not_in", "answered"}),
    "single_choice": frozenset({"eq", "ne", "in", "not_in", "answered"}),
    "multi_choice": frozenset({"contains", "contains_any", "answered"}),
    "integer": frozenset({"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "answered"}),
    "date": frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "answered"}),
    "short_text": frozenset({"answered"}),
    "long_text": frozenset({"answered"}),
    "group": frozenset({"answered"}),
}
YES_NO_VALUES = frozenset({"yes", "no", "unknown"})


class Compare(BaseModel):
    """One comparison on a question (`q`) or, inside `any_row`, on a field of a table row (`field`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    q: str | None = None
    field: str | None = None
    eq: Operand | None = None
    ne: Operand | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None
    contains: str | None = None
    contains_any: list[str] | None = None
    gt: Operand | None = None
    gte: Operand | None = None
    lt: Operand | None = None
    lte: Operand | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_subject_one_operator(self, info: ValidationInfo) -> "Compare":
        if (self.q is None) == (self.field is None):
            raise ValueError("a comparison names exactly one of `q` (a question) or `field` (inside any_row)")
        used = self.operators()
        if len(used) != 1:
            names = ", ".join(COMPARISON_OPERATORS)
            raise ValueError(f"a comparison needs exactly one operator ({names}); found {len(used)}")
        shapes = (info.context or {}).get("questions") if info is not None else None
        if shapes is not None and self.q is not None:
            problem = leaf_problem(self, shapes)
            if problem:
                raise ValueError(problem)
        return self

    def operators(self) -> list[str]:
        return [name for name in COMPARISON_OPERATORS if getattr(self, _attr(name)) is not None]

    def model_post_init(self, _context: Any) -> None:
        # Conditions are evaluated on every keystroke in the wizard: find the operator once.
        used = self.operators()
        operator = used[0] if used else ""
        object.__setattr__(self, "_operator", operator)
        object.__setattr__(self, "_operand", getattr(self, _attr(operator)) if operator else None)

    @property
    def operator(self) -> str:
        return self._operator  # type: ignore[attr-defined,no-any-return]

    @property
    def operand(self) -> Any:
        return self._operand  # type: ignore[attr-defined]

    @property
    def subject(self) -> str:
        return self.q if self.q is not None else self.field  # type: ignore[return-value]


def _attr(operator: str) -> str:
    return "in_" if operator == "in" else operator


class AllOf(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    all: list["Condition"] = Field(min_length=1)


class AnyOf(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    any: list["Condition"] = Field(min_length=1)


class Not(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: "Condition" = Field(alias="not")


class UseDefinition(BaseModel):
    """Refers to a named condition in the pack's `definitions`, so a rule reads like the law."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    use: str

    @model_validator(mode="after")
    def _defined(self, info: ValidationInfo) -> "UseDefinition":
        names = (info.context or {}).get("definitions") if info is not None else None
        if names is not None and self.use not in names:
            raise ValueError(f"no definition named {self.use!r} (definitions must come before their use)")
        return self


class AnyRow(BaseModel):
    """True when at least one row of a table question satisfies the row condition."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    q: str
    any_row: "Condition"

    @model_validator(mode="after")
    def _fields_exist(self, info: ValidationInfo) -> "AnyRow":
        shapes = (info.context or {}).get("questions") if info is not None else None
        if shapes is None:
            return self
        shape = shapes.get(self.q)
        if shape is None:
            raise ValueError(f"no question with id {self.q!r} in this pack")
        if shape.type != "group":
            raise ValueError(f"any_row needs a table question; {self.q!r} is {shape.type}")
        for leaf in iter_leaves(self.any_row):
            if leaf.q is not None:
                raise ValueError(f"inside any_row, compare the row's fields with `field`, not `q` ({leaf.q!r})")
            problem = leaf_problem(leaf, shape.fields, subject_kind="field", container=self.q)
            if problem:
                raise ValueError(problem)
        return self


def _condition_kind(value: Any) -> str:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if isinstance(value, Mapping):
        for key, kind in (("all", "AllOf"), ("any", "AnyOf"), ("not", "Not"), ("use", "UseDefinition"), ("any_row", "AnyRow")):
            if key in value:
                return kind
    return "Compare"


Condition = Annotated[
    Union[
        Annotated[Compare, Tag("Compare")],
        Annotated[AllOf, Tag("AllOf")],
        Annotated[AnyOf, Tag("AnyOf")],
        Annotated[Not, Tag("Not")],
        Annotated[UseDefinition, Tag("UseDefinition")],
        Annotated[AnyRow, Tag("AnyRow")],
    ],
    Discriminator(_condition_kind),
]

for _model in (AllOf, AnyOf, Not, AnyRow):
    _model.model_rebuild()


def leaf_problem(
    leaf: Compare,
    shapes: Mapping[str, QuestionShape],
    *,
    subject_kind: str = "question",
    container: str | None = None,
) -> str | None:
    """Why a comparison cannot work against the pack (unknown question, wrong operator or value)."""
    subject = leaf.subject
    shape = shapes.get(subject)
    where = f" of table {container!r}" if container else " in this pack"
    if shape is None:
        return f"no {subject_kind} with id {subject!r}{where}"
    operator = leaf.operator
    allowed = OPERATORS_BY_TYPE.get(shape.type, frozenset())
    if operator not in allowed:
        return f"operator {operator!r} cannot be used on {subject!r} ({shape.type}); use one of: {', '.join(sorted(allowed))}"
    operand = leaf.operand
    if operator == "answered":
        return None
    if isinstance(operand, QuestionRef):
        other = shapes.get(operand.q)
        if other is None:
            return f"{operator} compares with unknown {subject_kind} {operand.q!r}"
        if other.type != shape.type:
            return f"{operator} compares {subject!r} ({shape.type}) with {operand.q!r} ({other.type})"
        return None
    values = operand if isinstance(operand, list) else [operand]
    for value in values:
        problem = _literal_problem(value, shape, subject)
        if problem:
            return problem
    return None


def _literal_problem(value: Any, shape: QuestionShape, subject: str) -> str | None:
    if shape.type == "yes_no":
        if value not in YES_NO_VALUES:
            return f"{subject!r} is answered yes, no or unknown; {value!r} can never match"
    elif shape.type in ("single_choice", "multi_choice"):
        if value not in shape.options:
            return f"{subject!r} has no option {value!r} (options: {', '.join(sorted(shape.options))})"
    elif shape.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{subject!r} is a whole number; {value!r} is not"
    elif shape.type == "date":
        if not isinstance(value, dt.date):
            return f"{subject!r} is a date; write {value!r} as YYYY-MM-DD"
    return None


def iter_leaves(condition: Any) -> Iterator[Compare]:
    """Every comparison in a condition, not descending into named definitions."""
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, AllOf):
        for child in condition.all:
            yield from iter_leaves(child)
    elif isinstance(condition, AnyOf):
        for child in condition.any:
            yield from iter_leaves(child)
    elif isinstance(condition, Not):
        yield from iter_leaves(condition.not_)


def referenced_questions(condition: Any, definitions: Mapping[str, Any] | None = None,
                         worked_out: dict[str, frozenset[str]] | None = None) -> set[str]:
    """Question ids a condition reads, following named definitions when they are given. With
    `worked_out` (a dict kept across calls), each definition is followed once: definitions that
    use each other many times over would otherwise be walked once per use."""
    found: set[str] = set()
    if isinstance(condition, Compare):
        if condition.q is not None:
            found.add(condition.q)
        if isinstance(condition.operand, QuestionRef):
            found.add(condition.operand.q)
    elif isinstance(condition, AllOf):
        for child in condition.all:
            found |= referenced_questions(child, definitions, worked_out)
    elif isinstance(condition, AnyOf):
        for child in condition.any:
            found |= referenced_questions(child, definitions, worked_out)
    elif isinstance(condition, Not):
        found |= referenced_questions(condition.not_, definitions, worked_out)
    elif isinstance(condition, AnyRow):
        found.add(condition.q)  # the table itself; its row condition compares fields
    elif isinstance(condition, UseDefinition) and definitions is not None:
        name = condition.use
        if worked_out is None:
            return found | referenced_questions(definitions[name], definitions)
        if name not in worked_out:
            worked_out[name] = frozenset()  # a circle (refused before checks get here) must never loop
            worked_out[name] = frozenset(referenced_questions(definitions[name], definitions, worked_out))
        found |= worked_out[name]
    return found


# --- evaluation -------------------------------------------------------------------------------


def evaluate(condition: Any, source: AnswerSource, row: Mapping[str, Any] | None = None) -> bool | None:
    """True, False, or None for unknown (Kleene logic)."""
    if isinstance(condition, Compare):
        return _compare(condition, source, row)
    if isinstance(condition, AllOf):
        result: bool | None = True
        for child in condition.all:
            value = evaluate(child, source, row)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if isinstance(condition, AnyOf):
        result = False
        for child in condition.any:
            value = evaluate(child, source, row)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    if isinstance(condition, Not):
        value = evaluate(condition.not_, source, row)
        return None if value is None else not value
    if isinstance(condition, UseDefinition):
        return evaluate(source.definition(condition.use), source, row)
    if isinstance(condition, AnyRow):
        rows = source.value(condition.q)
        if rows is MISSING:
            return None
        result = False
        for table_row in rows:
            value = evaluate(condition.any_row, source, table_row)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    raise TypeError(f"not a condition: {condition!r}")


def _read(leaf: Compare, source: AnswerSource, row: Mapping[str, Any] | None) -> Any:
    if leaf.field is not None:
        if row is None:
            return MISSING
        value = row.get(leaf.field, MISSING)
        return MISSING if value is None else value
    return source.value(leaf.q)  # type: ignore[arg-type]


def _compare(leaf: Compare, source: AnswerSource, row: Mapping[str, Any] | None) -> bool | None:
    value = _read(leaf, source, row)
    operator = leaf.operator
    if operator == "answered":
        return (value is not MISSING) == leaf.answered
    if value is MISSING:
        return None
    operand = leaf.operand
    if isinstance(operand, QuestionRef):
        operand = source.value(operand.q)
        if operand is MISSING:
            return None
    try:
        if operator == "eq":
            return value == operand
        if operator == "ne":
            return value != operand
        if operator == "in":
            return value in operand
        if operator == "not_in":
            return value not in operand
        if operator == "contains":
            return operand in value
        if operator == "contains_any":
            return any(item in value for item in operand)
        if operator == "gt":
            return value > operand
        if operator == "gte":
            return value >= operand
        if operator == "lt":
            return value < operand
        if operator == "lte":
            return value <= operand
    except TypeError:
        # A value of the wrong type (e.g. from an older pack) compares as unknown, never crashes.
        return None
    raise AssertionError(f"unhandled operator {operator}")


def witnesses(condition: Any, source: AnswerSource, row: Mapping[str, Any] | None = None) -> list[str]:
    """The questions whose answers make a true condition true: the 'caused by' list of a finding.

    A rule's own comparisons name its causes; named definitions mostly state when a rule applies at
    all (e.g. "the FRT Measures apply"), so the questions behind them count only when the rule has
    no comparison of its own.
    """
    found: dict[str, None] = {}
    _collect_witnesses(condition, source, row, found, follow_definitions=False)
    if not found:
        _collect_witnesses(condition, source, row, found, follow_definitions=True)
    return list(found)


def _collect_witnesses(condition: Any, source: AnswerSource, row: Mapping[str, Any] | None, found: dict[str, None], *, follow_definitions: bool) -> None:
    if isinstance(condition, Compare):
        if condition.q is not None and evaluate(condition, source, row) is True:
            found[condition.q] = None
            if isinstance(condition.operand, QuestionRef):
                found[condition.operand.q] = None
    elif isinstance(condition, AllOf):
        for child in condition.all:
            _collect_witnesses(child, source, row, found, follow_definitions=follow_definitions)
    elif isinstance(condition, AnyOf):
        for child in condition.any:
            if evaluate(child, source, row) is True:
                _collect_witnesses(child, source, row, found, follow_definitions=follow_definitions)
    elif isinstance(condition, Not):
        # What made the inner condition false: every answered question it reads.
        for question_id in sorted(referenced_questions(condition.not_)):
            if source.value(question_id) is not MISSING:
                found[question_id] = None
    elif isinstance(condition, UseDefinition) and follow_definitions:
        _collect_witnesses(source.definition(condition.use), source, row, found, follow_definitions=True)
    elif isinstance(condition, AnyRow):
        if evaluate(condition, source, row) is True:
            found[condition.q] = None
