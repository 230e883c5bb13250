"""A meeting's time slots, derived from its days × opening hours × slot length, less its breaks. Pure functions.

A slot is named by its key, the Japan-time start "YYYY-MM-DDTHH:MM"; availability and the scheduler use keys.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")
CLOCK = re.compile(r"(?P<hours>[0-9]{1,2})(?::(?P<minutes>[0-9]{1,2}))?")


@dataclass(frozen=True, order=True)
class MeetingSlot:
    start: datetime  # aware, Asia/Tokyo
    end: datetime

    @property
    def key(self) -> str:
        return slot_key(self.start)

    @property
    def day(self) -> date:
        return self.start.date()


def slot_key(start: datetime) -> str:
    return start.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")


def parse_clock(text: str) -> time:
    """'9:30' or '09:30' → time; ValueError on anything else (other scripts' digits, or a number of any length:
    int() would take '１２' and time() overflow on 10**30)."""
    match = CLOCK.fullmatch(str(text).strip())
    if match is None:
        raise ValueError(text)
    return time(int(match["hours"]), int(match["minutes"] or 0))


def parse_breaks(text: str) -> list[dict[str, str]]:
    """'12:00-13:00, 15:00-15:15' → [{"start": "12:00", "end": "13:00"}, …]; ValueError when malformed."""
    breaks = []
    for part in text.replace("、", ",").replace("–", "-").replace("〜", "-").replace("~", "-").split(","):
        if not part.strip():
            continue
        start_text, _, end_text = part.partition("-")
        start, end = parse_clock(start_text), parse_clock(end_text)
        if end <= start:
            raise ValueError(part)
        breaks.append({"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return breaks


def compute_slots(
    days: Iterable[tuple[date, time, time]],
    slot_minutes: int,
    breaks: Sequence[dict[str, str]] = (),
) -> list[MeetingSlot]:
    """Back-to-back slots of `slot_minutes` from each day's opening to its closing time; a slot that would overlap
    a break restarts after the break; a slot that would run past closing is dropped."""
    if slot_minutes <= 0:
        return []
    length = timedelta(minutes=slot_minutes)
    slots = []
    for day, opens, closes in sorted(days):
        pauses = sorted(
            (datetime.combine(day, parse_clock(b["start"]), TOKYO), datetime.combine(day, parse_clock(b["end"]), TOKYO))
            for b in breaks
        )
        start, close = datetime.combine(day, opens, TOKYO), datetime.combine(day, closes, TOKYO)
        while start + length <= close:
            end = start + length
            clash = next((pause for pause in pauses if pause[0] < end and start < pause[1]), None)
            if clash is not None:
                start = clash[1]
                continue
            slots.append(MeetingSlot(start, end))
            start = end
    return slots


def meeting_slots(meeting) -> list[MeetingSlot]:
    """The slots of a JointMeeting (its days are read from the database, or the prefetch cache)."""
    days = [(day.date, day.opens_at, day.closes_at) for day in meeting.days.all()]
    return compute_slots(days, meeting.slot_minutes, meeting.breaks or ())
