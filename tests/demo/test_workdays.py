"""The demo's meetings fall on days Japanese government offices are open."""

from datetime import date, timedelta

import pytest

from demo.workdays import is_office_day, office_day_from, public_holidays

# The Cabinet Office's published lists (内閣府「国民の祝日について」).
HOLIDAYS_2025 = [
    "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
    "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24",
]  # fmt: skip
HOLIDAYS_2026 = [
    "01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
    "07-20", "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23",
]  # fmt: skip


@pytest.mark.parametrize(("year", "listed"), [(2025, HOLIDAYS_2025), (2026, HOLIDAYS_2026)])
def test_public_holidays_are_the_published_ones(year, listed):
    assert sorted(public_holidays(year)) == [date.fromisoformat(f"{year}-{day}") for day in listed]


def test_no_office_day_is_a_weekend_a_holiday_or_in_the_year_end_closure():
    start = date(2025, 1, 1)
    for day in (start + timedelta(days=n) for n in range(3 * 366)):
        closed = day.weekday() >= 5 or day in public_holidays(day.year) or (day.month, day.day) in {
            (12, 29), (12, 30), (12, 31), (1, 2), (1, 3),
        }  # fmt: skip
        assert is_office_day(day) is not closed, day


def test_the_nearest_office_day_is_found_forwards_and_backwards():
    assert office_day_from(date(2026, 5, 2)) == date(2026, 5, 7)  # Saturday before Golden Week → Thursday
    assert office_day_from(date(2026, 5, 2), step=-1) == date(2026, 5, 1)
    assert office_day_from(date(2026, 12, 29)) == date(2027, 1, 4)  # the year-end closure
    assert office_day_from(date(2026, 12, 8)) == date(2026, 12, 8)
