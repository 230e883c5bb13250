"""An agenda as plain data: the meeting and its appointments, built by the meeting app and read by the exporters.

Nothing here knows Django, so the exporters can be tested (and run) without a database.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, kw_only=True)
class AgendaMeeting:
    """A joint promotion meeting (合同推進会). `version` counts published revisions (the iCalendar SEQUENCE)."""

    id: int | str
    number: int | None  # 第N回; None when the meeting has no number
    title: str
    venue: str  # a place or an online link
    days: Sequence[date]
    timezone: str = "Asia/Tokyo"
    version: int

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, kw_only=True)
class AgendaItem:
    """One appointment (面談): a startup meets a unit in a room for one slot.

    `uid_key` identifies the appointment within its meeting for good (e.g. the appointment's primary key), so a
    re-exported calendar replaces the earlier event instead of adding a second one.
    """

    uid_key: str
    start: datetime  # timezone-aware
    end: datetime  # timezone-aware
    room: str
    startup_name: str
    startup_name_en: str = ""
    unit_name: str
    unit_name_en: str = ""
    # The need the meeting is about, as the agenda's reader may see it: blank when there is none or the reader
    # may not see it (the meeting app decides per reader; exporters print what they are given).
    need_ref: str = ""
    need_title: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"appointment {self.uid_key}: start and end must be timezone-aware")
        if self.end <= self.start:
            raise ValueError(f"appointment {self.uid_key}: end must be after start")
        if not str(self.uid_key):
            raise ValueError("an appointment needs a uid_key")


@dataclass(frozen=True)
class Agenda:
    """A meeting's whole agenda, or one participant's own (`participant` names whose, e.g. a startup)."""

    meeting: AgendaMeeting
    items: Sequence[AgendaItem] = field(default_factory=tuple)
    participant: str = ""
    # Appointments a published version had and the agenda no longer has (the iCalendar export cancels them).
    cancelled: Sequence[AgendaItem] = field(default_factory=tuple)

    def sorted_items(self) -> list[AgendaItem]:
        return sorted(self.items, key=lambda item: (item.start, item.room, item.end, str(item.uid_key)))

    def local_date(self, item: AgendaItem) -> date:
        return item.start.astimezone(self.meeting.tz).date()

    def days(self) -> list[date]:
        """The meeting's days, plus any day an appointment falls on outside them, in order."""
        return sorted(set(self.meeting.days) | {self.local_date(item) for item in self.items})

    def by_day(self) -> list[tuple[date, list[AgendaItem]]]:
        """Every day with its appointments in time order; a day without appointments has an empty list."""
        items = self.sorted_items()
        return [(day, [item for item in items if self.local_date(item) == day]) for day in self.days()]
