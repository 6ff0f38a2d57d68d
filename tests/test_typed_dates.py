"""Dates as people type them into a date question."""

from __future__ import annotations

import datetime as dt

import pytest

from dpia_app.presentation import parse_typed_date


@pytest.mark.parametrize("text", ["2026-12-02", "2026/12/2", "2026.12.02", "2026年12月2日", " 2026 年 12 月 2 日 ", "2026-12-2"])
def test_year_first_dates_are_read(text):
    assert parse_typed_date(text) == dt.date(2026, 12, 2)


@pytest.mark.parametrize("text", ["12/2/2026", "2/12/2026", "2026-02-30", "2026-13-01", "yesterday", "", "2026-12", "<b>2026-12-02</b>"])
def test_anything_else_is_not_guessed(text):
    assert parse_typed_date(text) is None
