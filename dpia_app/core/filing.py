"""Filing duties with the cyberspace office and their deadlines in PRC working days.

Working days follow the State Council's holiday schedule: statutory holidays are not working days and
make-up working days (调休上班) on weekends are. The schedule is published year by year, so the
calendar comes from a maintained library (chinesecalendar). When a deadline runs into a year the
library does not know yet, the deadline is reported as undetermined, never guessed from weekends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Literal

import chinese_calendar

from .conditions import MISSING, AnswerSource, Condition, evaluate, referenced_questions
from .formpack import FilingDuty
from .text import LocalizedText

FilingState = Literal["not_required", "undetermined", "expected", "required", "done"]


class CalendarUnknown(Exception):
    """The official working-day calendar of a year is not in the calendar library yet."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"the PRC holiday schedule for {year} is not in chinesecalendar {calendar_version()}")


def calendar_version() -> str:
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - frozen app without metadata
        return "unknown"


def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as error:
        raise CalendarUnknown(day.year) from error


@lru_cache(maxsize=256)
def add_working_days(start: dt.date, working_days: int) -> dt.date:
    """The date on which the n-th working day after `start` falls (the start day is not counted)."""
    day = start
    counted = 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


@dataclass(frozen=True, slots=True)
class FilingStatus:
    duty_id: str
    title: LocalizedText
    authority: LocalizedText
    refs: tuple[str, ...]
    explanation: LocalizedText
    state: FilingState
    start_label: LocalizedText
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    # "working_days" (counted) or "transition" (a fixed date set for those already over the threshold).
    deadline_basis: Literal["working_days", "transition"] | None = None
    working_days: int = 0
    transition_note: LocalizedText | None = None
    overdue: bool = False
    # Why no deadline could be given: "start_date_missing" or "calendar_unknown:<year>".
    deadline_problem: str | None = None
    # While undetermined: the shown but unanswered questions the duty depends on.
    pending_questions: tuple[str, ...] = ()


def filing_status(duty: FilingDuty, source: AnswerSource, today: dt.date, visible: frozenset[str], definitions: dict[str, Condition],
                  *, arises: bool = False) -> FilingStatus:
    """The duty's state and deadline. `arises`: the duty applies whatever its conditions say, because
    the evaluation found its event itself (a filed fact changed since the filed approved version)."""
    common = dict(
        duty_id=duty.id, title=duty.title, authority=duty.authority, refs=tuple(duty.refs),
        explanation=duty.explanation, start_label=duty.start_label, working_days=duty.working_days,
    )
    applies = True if arises else evaluate(duty.applies_when, source)
    if applies is not True:
        expected = duty.expected_when is not None and evaluate(duty.expected_when, source) is True
        # Unknown only because questions are hidden (e.g. "filed?" when below the threshold) means
        # the duty does not arise; it is undetermined only while a shown question is unanswered.
        pending = tuple(sorted(
            q for q in referenced_questions(duty.applies_when, definitions) if q in visible and source.value(q) is MISSING
        )) if applies is None else ()
        if expected:
            state: FilingState = "expected"
        else:
            state = "undetermined" if pending else "not_required"
        start = source.value(duty.start_question)
        start_date = None if start is MISSING else start
        if state == "expected" and start_date is not None:
            return _with_deadline(duty, FilingStatus(state=state, start_date=start_date, **common), today)
        return FilingStatus(state=state, start_date=start_date, pending_questions=pending if state == "undetermined" else (), **common)

    done = duty.done_when is not None and evaluate(duty.done_when, source) is True
    start = source.value(duty.start_question)
    if start is MISSING:
        return FilingStatus(state="done" if done else "required", deadline_problem="start_date_missing", **common)
    status = FilingStatus(state="done" if done else "required", start_date=start, **common)
    return _with_deadline(duty, status, today)


def _with_deadline(duty: FilingDuty, status: FilingStatus, today: dt.date) -> FilingStatus:
    assert status.start_date is not None
    fields = {name: getattr(status, name) for name in FilingStatus.__slots__}
    transition = duty.transition
    if transition is not None and status.start_date < transition.reached_before:
        fields.update(deadline=transition.deadline, deadline_basis="transition", transition_note=transition.note)
    else:
        try:
            fields.update(deadline=add_working_days(status.start_date, duty.working_days), deadline_basis="working_days")
        except CalendarUnknown as unknown:
            fields.update(deadline_problem=f"calendar_unknown:{unknown.year}")
    deadline = fields["deadline"]
    fields["overdue"] = status.state == "required" and deadline is not None and today > deadline
    return FilingStatus(**fields)
