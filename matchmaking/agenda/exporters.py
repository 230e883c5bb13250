"""Agenda exports: CSV, XLSX, PDF (A4, embedded Japanese font) and iCalendar, from an `Agenda` and nothing else.

The header words come from `LABELS` (Japanese and English); a caller that has translated them (the Django side,
with gettext) passes its own through `labels=`, which override the built-in ones key by key.
"""

import io
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from core.tabular import csv_bytes, xlsx_append, xlsx_bytes, xlsx_workbook
from matchmaking.agenda.model import Agenda, AgendaItem

LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "agenda": "議事次第",
        "date": "日付",
        "start": "開始",
        "end": "終了",
        "time": "時間",
        "room": "場所",
        "startup": "スタートアップ",
        "unit": "部局",
        "need": "ニーズ",
        "need_ref": "ニーズ番号",
        "need_title": "ニーズ名",
        "notes": "備考",
        "venue": "会場",
        "participant": "対象",
        "number": "第{number}回",
        "version": "第{version}版",
        "draft": "下書き",
        "no_items": "面談の予定はありません",
        "page": "{page} / {total}",
    },
    "en": {
        "agenda": "Agenda",
        "date": "Date",
        "start": "Start",
        "end": "End",
        "time": "Time",
        "room": "Room",
        "startup": "Startup",
        "unit": "Unit",
        "need": "Need",
        "need_ref": "Need ref",
        "need_title": "Need title",
        "notes": "Notes",
        "venue": "Venue",
        "participant": "For",
        "number": "No. {number}",
        "version": "Version {version}",
        "draft": "Draft",
        "no_items": "No meetings scheduled",
        "page": "{page} / {total}",
    },
}

_JA_WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(language: str) -> str:
    code = (language or "ja").split("-")[0].split("_")[0].lower()
    return code if code in LABELS else "en"


def _labels(language: str, labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**LABELS[_lang(language)], **(labels or {})}


def _name(local: str, english: str, language: str) -> str:
    """The name in the reader's language, falling back to the other one."""
    return (english or local) if _lang(language) == "en" else (local or english)


def _day_label(day: date, language: str, *, short: bool = False) -> str:
    if _lang(language) == "ja":
        prefix = "" if short else f"{day.year}年"
        return f"{prefix}{day.month}月{day.day}日({_JA_WEEKDAYS[day.weekday()]})"
    suffix = "" if short else f" {day.year}"
    return f"{_EN_WEEKDAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]}{suffix}"


def _local_times(agenda: Agenda, item: AgendaItem) -> tuple[datetime, datetime]:
    tz = agenda.meeting.tz
    return item.start.astimezone(tz), item.end.astimezone(tz)


def _version(agenda: Agenda, words: Mapping[str, str]) -> str:
    """The version label ("第2版") once published; before that the agenda is a draft, with no number yet."""
    version = agenda.meeting.version
    return words["version"].format(version=version) if version else words["draft"]


def _need(item: AgendaItem) -> str:
    return " ".join(part for part in (item.need_ref, item.need_title) if part)


# --- CSV -----------------------------------------------------------------------------------------------------------


def to_csv(agenda: Agenda, language: str = "ja", *, labels: Mapping[str, str] | None = None) -> bytes:
    """One row per appointment in time order, dates and times in the meeting's time zone; UTF-8 with BOM. Names
    are typed by startups: core.tabular writes them so that none runs as a formula."""
    words = _labels(language, labels)
    keys = ("date", "start", "end", "room", "startup", "unit", "need_ref", "need_title", "notes")
    rows = [[words[key] for key in keys]]
    for item in agenda.sorted_items():
        start, end = _local_times(agenda, item)
        rows.append(
            [
                start.date().isoformat(),
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                item.room,
                _name(item.startup_name, item.startup_name_en, language),
                _name(item.unit_name, item.unit_name_en, language),
                item.need_ref,
                item.need_title,
                item.notes,
            ]
        )
    return csv_bytes(rows)


# --- XLSX ----------------------------------------------------------------------------------------------------------

_XLSX_COLUMNS = (("start", 8), ("end", 8), ("room", 14), ("startup", 36), ("unit", 24), ("need", 48), ("notes", 30))


def to_xlsx(agenda: Agenda, language: str = "ja", *, labels: Mapping[str, str] | None = None) -> bytes:
    """One sheet per day; start and end are Excel times in the meeting's time zone; every name is a text cell."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    words = _labels(language, labels)
    workbook = xlsx_workbook()
    for day, items in agenda.by_day():
        sheet = workbook.create_sheet(_day_label(day, language, short=True))
        for cell in xlsx_append(sheet, [words[key] for key, _ in _XLSX_COLUMNS]):
            cell.font = Font(bold=True)
        for index, (_, width) in enumerate(_XLSX_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for item in items:
            start, end = _local_times(agenda, item)
            texts = (
                item.room,
                _name(item.startup_name, item.startup_name_en, language),
                _name(item.unit_name, item.unit_name_en, language),
                _need(item),
                item.notes,
            )
            start_cell, end_cell, *text_cells = xlsx_append(sheet, [start.time(), end.time(), *texts])
            start_cell.number_format = end_cell.number_format = "HH:MM"
            for cell in text_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.oddHeader.center.text = f"{agenda.meeting.title} {_day_label(day, language)}"
    return xlsx_bytes(workbook)


# --- PDF -----------------------------------------------------------------------------------------------------------

PDF_FONT_NAME = "IPAexGothic"
# Debian's fonts-ipaexfont. reportlab embeds TrueType outlines only: CFF-flavoured OpenType (Noto CJK) will not do.
PDF_FONT_FILES = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
)
PDF_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


class AgendaFontMissingError(RuntimeError):
    """The Japanese TrueType font the PDF embeds is not installed."""


def find_japanese_font() -> Path:
    for path in PDF_FONT_FILES:
        if path.is_file():
            return path
    for directory in PDF_FONT_DIRS:  # wherever another distribution puts it
        found = sorted(directory.rglob("ipaexg.ttf")) if directory.is_dir() else []
        if found:
            return found[0]
    raise AgendaFontMissingError(
        "The PDF agenda needs the IPAexGothic TrueType font (ipaexg.ttf), which is not installed. "
        "Install the Debian package fonts-ipaexfont (scripts/system-deps.sh does it), or pass font_path=."
    )


@lru_cache(maxsize=4)
def _register_font(path: str) -> str:
    """Registers the font once per process (parsing the 4 MB file takes a while); returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = PDF_FONT_NAME if Path(path).name == "ipaexg.ttf" else f"AgendaFont-{Path(path).stem}"
    pdfmetrics.registerFont(TTFont(name, path))  # subset and embedded in every PDF that uses it
    return name


def _numbered_canvas(font: str, page_label: str, footer: str):
    """A canvas that holds its pages back until the end, so that each can say "n / N"."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self):  # reportlab's name, overridden to hold the page back
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, 1):
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont(font, 8)
                self.setFillGray(0.35)
                self.drawString(15 * mm, 10 * mm, footer)
                self.drawRightString(width - 15 * mm, 10 * mm, page_label.format(page=number, total=total))
                super().showPage()
            super().save()

    return NumberedCanvas


def to_pdf(
    agenda: Agenda,
    language: str = "ja",
    *,
    labels: Mapping[str, str] | None = None,
    font_path: str | Path | None = None,
) -> bytes:
    """A4 portrait: title, meeting details, then a table per day whose header row repeats on every page it spans;
    "n / N" at the foot of each page. Raises AgendaFontMissingError when the Japanese font is not installed."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font(str(font_path or find_japanese_font()))
    words = _labels(language, labels)
    meeting = agenda.meeting

    def style(name: str, size: float, **extra) -> ParagraphStyle:
        # CJK wrapping breaks a long Japanese name anywhere; Japanese has no spaces to break at.
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.35, wordWrap="CJK", **extra)

    title, info, heading = style("title", 16, spaceAfter=3 * mm), style("info", 9.5), style("day", 12)
    heading.spaceBefore, heading.spaceAfter = 5 * mm, 2 * mm
    cell, head, note = style("cell", 8.5), style("head", 8.5, textColor=colors.white), style("note", 7.5)
    note.textColor = colors.HexColor("#555555")

    def para(text: str, paragraph_style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), paragraph_style)

    subtitle = [words["agenda"]]
    if meeting.number is not None:
        subtitle.append(words["number"].format(number=meeting.number))
    subtitle.append(_version(agenda, words))
    story = [para(meeting.title, title), para(" · ".join(subtitle), info)]
    if agenda.participant:
        story.append(para(f"{words['participant']}: {agenda.participant}", info))
    if meeting.venue:
        story.append(para(f"{words['venue']}: {meeting.venue}", info))
    story.append(para(f"{words['date']}: " + ", ".join(_day_label(day, language) for day in agenda.days()), info))

    widths = [24 * mm, 20 * mm, 50 * mm, 36 * mm, 50 * mm]  # 180 mm: A4 less 15 mm margins
    for day, items in agenda.by_day():
        # A day's heading never sits alone at the foot of a page (keepWithNext would move a long table whole).
        story += [CondPageBreak(35 * mm), para(_day_label(day, language), heading)]
        rows = [[para(words[key], head) for key in ("time", "room", "startup", "unit", "need")]]
        for item in items:
            start, end = _local_times(agenda, item)
            need = [para(_need(item))] + ([para(item.notes, note)] if item.notes else [])
            rows.append(
                [
                    para(f"{start:%H:%M}–{end:%H:%M}"),
                    para(item.room),
                    para(_name(item.startup_name, item.startup_name_en, language)),
                    para(_name(item.unit_name, item.unit_name_en, language)),
                    need,
                ]
            )
        if not items:
            rows.append([para(words["no_items"]), "", "", "", ""])
        table = Table(rows, colWidths=widths, repeatRows=1)
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), font),  # the table's own default is Helvetica, never embedded
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f4f6f")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f8")]),
        ]
        if not items:
            commands.append(("SPAN", (0, 1), (-1, 1)))
        table.setStyle(TableStyle(commands))
        story.append(table)
    story.append(Spacer(1, 1))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"{meeting.title} {words['agenda']}",
        initialFontName=font,  # not reportlab's default Helvetica, which is never embedded
        invariant=True,  # the same agenda gives the same bytes (no creation time or random document id)
    )
    footer = f"{meeting.title} — {_version(agenda, words)}"
    document.build(story, canvasmaker=_numbered_canvas(font, words["page"], footer))
    return buffer.getvalue()


# --- iCalendar -----------------------------------------------------------------------------------------------------

# Fixed for good: the UIDs of every exported appointment are derived from it, and calendars match events by UID.
UID_NAMESPACE = uuid.UUID("6f1d3c2a-5b7e-4e0c-9a51-2d8f4c6b7a10")


def appointment_uid(meeting_id: int | str, uid_key: str) -> str:
    """The same appointment always gets the same UID, so a re-imported agenda updates events instead of adding."""
    return f"{uuid.uuid5(UID_NAMESPACE, f'meeting:{meeting_id}/appointment:{uid_key}')}@dualuse-portal"


def to_ics(
    agenda: Agenda,
    language: str = "ja",
    *,
    labels: Mapping[str, str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """One VEVENT per appointment with DTSTART/DTEND in the meeting's time zone (VTIMEZONE included), a stable
    UID, and SEQUENCE = the agenda's version so that calendars take the newer revision. STATUS: TENTATIVE while the
    agenda is a draft, CONFIRMED once published, CANCELLED for the agenda's `cancelled` appointments."""
    from icalendar import Calendar

    words = _labels(language, labels)
    meeting = agenda.meeting
    stamp = stamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//dualuse-portal//joint promotion meeting agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{meeting.title} {words['agenda']}")
    calendar.add("x-wr-timezone", meeting.timezone)
    # A draft's events are tentative until the agenda is published; a published pair since removed is sent as
    # cancelled under its old UID, so a calendar that imported it drops the event.
    status = "CONFIRMED" if meeting.version else "TENTATIVE"
    events = [(item, status) for item in agenda.sorted_items()]
    events += [(item, "CANCELLED") for item in agenda.cancelled]
    for item, item_status in events:
        calendar.add_component(_event(agenda, item, item_status, words, language, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(agenda: Agenda, item: AgendaItem, status: str, words: Mapping[str, str], language: str, stamp: datetime):
    from icalendar import Event

    meeting = agenda.meeting
    start, end = _local_times(agenda, item)
    startup = _name(item.startup_name, item.startup_name_en, language)
    unit = _name(item.unit_name, item.unit_name_en, language)
    event = Event()
    event.add("uid", appointment_uid(meeting.id, item.uid_key))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)  # a zoneinfo datetime: written with TZID=Asia/Tokyo
    event.add("dtend", end)
    event.add("sequence", meeting.version)
    event.add("summary", f"{startup} × {unit}")
    event.add("location", " / ".join(part for part in (item.room, meeting.venue) if part))
    description = [meeting.title]
    if _need(item):
        description.append(f"{words['need']}: {_need(item)}")
    if item.notes:
        description.append(item.notes)
    event.add("description", "\n".join(description))
    event.add("status", status)
    return event
