"""Dates and times read from a draft, a recovery copy or a lock file: printed for people, and
counted forward (the next review, how long to keep a report).

The app writes every time in UTC, but a file edited by hand or by another program may hold a time
without a zone, or one at the very edge of the calendar (year 1 at +14:00) that cannot be moved to
another zone at all; and a date field accepts 9999-12-31, to which no month can be added. Neither may
stop the app: a time without a zone is taken as UTC, one that cannot be converted is printed as
written, with its offset, and a date counted past the calendar's end is its last day.
"""

from __future__ import annotations

import datetime as dt


def later_by(day: dt.date, *, months: int = 0, years: int = 0) -> dt.date:
    """`day` plus so many months or years (31 January plus one month is 28 or 29 February), or
    9999-12-31 when that is past the end of the calendar."""
    # Imported here: the start screen imports this module for local_text, and dateutil costs 5 ms.
    from dateutil.relativedelta import relativedelta

    try:
        return day + relativedelta(months=months, years=years)
    except (ValueError, OverflowError):
        return dt.date.max


def as_aware(moment: dt.datetime) -> dt.datetime:
    """The same time with a zone: UTC when it has none (this app writes UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def utc_text(moment: dt.datetime) -> str:
    """'2026-11-16 09:30 UTC'."""
    moment = as_aware(moment)
    try:
        return _minutes(moment.astimezone(dt.timezone.utc)) + " UTC"
    except OverflowError:
        return _as_written(moment)


def local_text(moment: dt.datetime) -> str:
    """'2026-11-16 17:30' in this computer's time zone."""
    moment = as_aware(moment)
    try:
        return _minutes(moment.astimezone())
    except (OverflowError, OSError):  # OSError: the platform's time functions refuse the year (Windows)
        return _as_written(moment)


def _as_written(moment: dt.datetime) -> str:
    """'0001-01-01 00:00 +14:00'."""
    offset = moment.isoformat(timespec="minutes")[16:]
    return _minutes(moment) + (f" {offset}" if offset else "")


def _minutes(moment: dt.datetime) -> str:
    # isoformat, not strftime: "%Y" prints year 1 as "1" on some systems and "0001" on others.
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
