"""Days on which Japanese government offices are open, for dating the demo's meetings: not a Saturday or a
Sunday, not a public holiday (国民の祝日に関する法律: fixed days, Happy Mondays, the equinoxes, substitute and
citizens' holidays) and not the year-end closure of 29 December to 3 January (行政機関の休日に関する法律)."""

import functools
from datetime import date, timedelta

FIXED_HOLIDAYS = {(1, 1), (2, 11), (2, 23), (4, 29), (5, 3), (5, 4), (5, 5), (8, 11), (11, 3), (11, 23)}
# (month, which Monday): 成人の日, 海の日, 敬老の日, スポーツの日.
MONDAY_HOLIDAYS = {(1, 2), (7, 3), (9, 3), (10, 2)}
YEAR_END_CLOSURE = {(12, 29), (12, 30), (12, 31), (1, 2), (1, 3)}
ONE_DAY = timedelta(days=1)


def _equinoxes(year: int) -> set[date]:
    # The astronomical formula the Cabinet Office's announcements follow, valid for 1980–2099.
    drift = 0.242194 * (year - 1980) - (year - 1980) // 4
    return {date(year, 3, int(20.8431 + drift)), date(year, 9, int(23.2488 + drift))}


def _named_holidays(year: int) -> set[date]:
    days = {date(year, month, day) for month, day in FIXED_HOLIDAYS} | _equinoxes(year)
    for month, nth in MONDAY_HOLIDAYS:
        first = date(year, month, 1)
        days.add(first + timedelta(days=(7 - first.weekday()) % 7, weeks=nth - 1))
    return days


@functools.cache  # asked once per day tried by office_day_from
def public_holidays(year: int) -> frozenset[date]:
    """The year's public holidays, substitute (振替休日) and citizens' holidays (国民の休日) included."""
    named = _named_holidays(year)
    days = set(named)
    for day in sorted(named):
        if day.weekday() == 6:  # a holiday on a Sunday: the next day that is no holiday is off instead
            substitute = day + ONE_DAY
            while substitute in days:
                substitute += ONE_DAY
            days.add(substitute)
        if day + 2 * ONE_DAY in named and day + ONE_DAY not in days:  # a day between two holidays
            days.add(day + ONE_DAY)
    return frozenset(days)


def is_office_day(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in YEAR_END_CLOSURE and day not in public_holidays(day.year)


def office_day_from(day: date, *, step: int = 1) -> date:
    """`day` if offices are open then, else the nearest such day after it (step 1) or before it (step -1)."""
    while not is_office_day(day):
        day += step * ONE_DAY
    return day
