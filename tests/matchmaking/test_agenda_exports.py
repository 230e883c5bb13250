"""Agenda exports (matchmaking.agenda): plain data in, files out, read back with the tools a participant would use."""

import csv
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from openpyxl import load_workbook

from matchmaking.agenda import (
    Agenda,
    AgendaFontMissingError,
    AgendaItem,
    AgendaMeeting,
    to_csv,
    to_ics,
    to_pdf,
    to_xlsx,
)
from matchmaking.agenda.exporters import appointment_uid

JST = ZoneInfo("Asia/Tokyo")
DAY_ONE, DAY_TWO = date(2025, 6, 10), date(2025, 6, 11)
TITLE = "防衛産業へのスタートアップ活用に向けた合同推進会"


def appointment(key: str, day: date, hour: int, minute: int, room: str, startup: tuple, unit: tuple, **extra):
    # Stored in UTC, as the database gives them: the exports must show Tokyo time.
    start = datetime.combine(day, time(hour, minute), tzinfo=JST).astimezone(UTC)
    return AgendaItem(
        uid_key=key,
        start=start,
        end=start + timedelta(minutes=30),
        room=room,
        startup_name=startup[0],
        startup_name_en=startup[1],
        unit_name=unit[0],
        unit_name_en=unit[1],
        **extra,
    )


SORAMICHI = ("株式会社ソラミチ・ロボティクス", "Soramichi Robotics KK")
KAZENOTE = ("かぜのて株式会社", "")
GSDF = ("陸上幕僚監部", "GSDF Staff Office")
ATLA = ("防衛装備庁", "ATLA")


def make_agenda(version: int = 1) -> Agenda:
    meeting = AgendaMeeting(
        id=42, number=3, title=TITLE, venue="防衛省 A棟 11階", days=(DAY_ONE, DAY_TWO), version=version
    )
    need = {"need_ref": "G-0001", "need_title": "駐屯地周辺の小型無人機の早期探知"}
    items = [
        # Deliberately out of order: every export sorts by time.
        appointment("3", DAY_TWO, 14, 0, "会議室B", KAZENOTE, GSDF, notes="オンライン参加"),
        appointment("1", DAY_ONE, 9, 30, "会議室A", SORAMICHI, GSDF, **need),
        appointment("2", DAY_ONE, 10, 0, "会議室B", KAZENOTE, ATLA),
        appointment("4", DAY_TWO, 9, 0, "会議室A", SORAMICHI, ATLA, notes='=HYPERLINK("http://x")'),
    ]
    return Agenda(meeting=meeting, items=items)


# (uid_key, local date, start, end, startup, unit) in time order
EXPECTED = [
    ("1", DAY_ONE, "09:30", "10:00", SORAMICHI[0], GSDF[0]),
    ("2", DAY_ONE, "10:00", "10:30", KAZENOTE[0], ATLA[0]),
    ("4", DAY_TWO, "09:00", "09:30", SORAMICHI[0], ATLA[0]),
    ("3", DAY_TWO, "14:00", "14:30", KAZENOTE[0], GSDF[0]),
]


def test_item_rejects_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        AgendaItem(
            uid_key="x",
            start=datetime(2025, 6, 10, 9, 0),  # noqa: DTZ001 (the point of the test)
            end=datetime(2025, 6, 10, 9, 30, tzinfo=JST),
            room="A",
            startup_name="s",
            unit_name="u",
        )


def test_csv_lists_every_item_in_tokyo_time_with_bom():
    data = to_csv(make_agenda(), "ja")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["日付", "開始", "終了", "場所", "スタートアップ", "部局", "ニーズ番号", "ニーズ名", "備考"]
    assert [(row[0], row[1], row[2], row[4], row[5]) for row in rows[1:]] == [
        (day.isoformat(), start, end, startup, unit) for _, day, start, end, startup, unit in EXPECTED
    ]
    assert rows[1][6:8] == ["G-0001", "駐屯地周辺の小型無人機の早期探知"]
    # A note that looks like a formula is neutralised for spreadsheet programs.
    assert rows[3][8] == '\'=HYPERLINK("http://x")'


def test_csv_in_english_uses_english_names_and_falls_back_to_japanese():
    rows = list(csv.reader(io.StringIO(to_csv(make_agenda(), "en").decode("utf-8-sig"))))
    assert rows[0][:6] == ["Date", "Start", "End", "Room", "Startup", "Unit"]
    assert rows[1][4:6] == ["Soramichi Robotics KK", "GSDF Staff Office"]
    assert rows[2][4] == "かぜのて株式会社"  # no English name given


def test_csv_labels_can_be_passed_in():
    rows = list(csv.reader(io.StringIO(to_csv(make_agenda(), "en", labels={"room": "Table"}).decode("utf-8-sig"))))
    assert rows[0][3] == "Table"


def test_xlsx_has_a_sheet_per_day_listing_every_appointment():
    workbook = load_workbook(io.BytesIO(to_xlsx(make_agenda(), "ja")))
    assert workbook.sheetnames == ["6月10日(火)", "6月11日(水)"]
    listed = []
    for sheet, day in zip(workbook.worksheets, (DAY_ONE, DAY_TWO), strict=True):
        header, *rows = sheet.iter_rows(values_only=True)
        assert header == ("開始", "終了", "場所", "スタートアップ", "部局", "ニーズ", "備考")
        assert sheet["A1"].font.b
        assert sheet.column_dimensions["D"].width >= 30
        listed += [(day, f"{row[0]:%H:%M}", f"{row[1]:%H:%M}", row[3], row[4]) for row in rows]
    assert listed == [(day, start, end, startup, unit) for _, day, start, end, startup, unit in EXPECTED]
    first_day = workbook.worksheets[0]
    assert first_day["F2"].value == "G-0001 駐屯地周辺の小型無人機の早期探知"
    # Stored as text, not as a formula, and neutralised as in the CSV (it stays text if the cell is edited).
    assert workbook.worksheets[1]["G2"].value == '\'=HYPERLINK("http://x")'
    assert workbook.worksheets[1]["G2"].data_type == "s"


def test_xlsx_keeps_a_day_without_appointments():
    agenda = make_agenda()
    first_day_only = Agenda(meeting=agenda.meeting, items=agenda.items[1:3], participant="かぜのて株式会社")
    workbook = load_workbook(io.BytesIO(to_xlsx(first_day_only, "en")))
    assert workbook.sheetnames == ["Tue 10 Jun", "Wed 11 Jun"]
    assert workbook.worksheets[1].max_row == 1


def _pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (poppler-utils; `bash scripts/system-deps.sh test` installs it)"
        print(reason)
        pytest.skip(reason)
    return path


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "agenda.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_pdf_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_text_has_the_title_and_japanese_names_in_an_embedded_font(tmp_path):
    pdf = to_pdf(make_agenda(), "ja")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    joined = "".join(text.split())  # a long name may wrap inside its table cell
    for expected in (TITLE, "議事次第", SORAMICHI[0], KAZENOTE[0], GSDF[0], ATLA[0], "09:30–10:00", "14:00"):
        assert expected in joined, expected
    assert re.search(r"1\s*/\s*1\s*$", text.strip())
    fonts = subprocess.run(
        [_pdf_tool("pdffonts"), str(tmp_path / "agenda.pdf")], capture_output=True, text=True, check=True
    ).stdout
    # name  type  encoding  emb  sub  uni  object ID
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows, fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # every font embedded (and subset)
    assert any("IPAexGothic" in row[0] for row in rows), fonts


def test_pdf_repeats_the_header_and_numbers_the_pages(tmp_path):
    agenda = make_agenda()
    start = datetime.combine(DAY_ONE, time(9), tzinfo=JST)
    many = [
        AgendaItem(
            uid_key=f"m{number}",
            start=start + timedelta(minutes=10 * number),
            end=start + timedelta(minutes=10 * number + 10),
            room=f"テーブル{number % 8 + 1}",
            startup_name=SORAMICHI[0],
            unit_name=GSDF[0],
        )
        for number in range(60)
    ]
    text = _pdf_text(to_pdf(Agenda(meeting=agenda.meeting, items=many), "ja"), tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\s*$", page.strip()), page[-200:]
        assert "09:00–09:10" in page if number == 1 else True  # the table starts on the first page
    assert "スタートアップ" in pages[1]  # the header row again on the next page


def test_pdf_says_which_package_to_install_when_the_font_is_missing(tmp_path, monkeypatch):
    from matchmaking.agenda import exporters

    monkeypatch.setattr(exporters, "PDF_FONT_FILES", (tmp_path / "absent.ttf",))
    monkeypatch.setattr(exporters, "PDF_FONT_DIRS", (tmp_path,))
    with pytest.raises(AgendaFontMissingError, match="fonts-ipaexfont"):
        exporters.find_japanese_font()


def _events(data: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def test_ics_has_one_event_per_item_at_the_right_tokyo_times():
    data = to_ics(make_agenda(version=2), "ja")
    calendar = icalendar.Calendar.from_ical(data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    events = _events(data)
    assert len(events) == 4
    for event, (_key, day, start, end, startup, unit) in zip(events, EXPECTED, strict=True):
        dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
        assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
        assert dtstart.utcoffset() == timedelta(hours=9)
        assert dtstart == datetime.combine(day, time.fromisoformat(start), tzinfo=JST)
        assert dtend == datetime.combine(day, time.fromisoformat(end), tzinfo=JST)
        assert str(event["SUMMARY"]) == f"{startup} × {unit}"
        assert str(event["LOCATION"]).endswith("/ 防衛省 A棟 11階")
        assert event.decoded("SEQUENCE") == 2
    assert b"TZID=Asia/Tokyo:20250610T093000" in data


def test_ics_uids_are_stable_across_exports_and_versions():
    first = [str(event["UID"]) for event in _events(to_ics(make_agenda(version=1)))]
    second_events = _events(to_ics(make_agenda(version=2)))
    assert [str(event["UID"]) for event in second_events] == first
    assert len(set(first)) == 4
    assert first[0] == appointment_uid(42, "1")
    assert appointment_uid(43, "1") != appointment_uid(42, "1")
    assert {event.decoded("SEQUENCE") for event in second_events} == {2}
