"""Agenda exports for joint promotion meetings (合同推進会): CSV, XLSX, PDF and iCalendar, without Django."""

from matchmaking.agenda.exporters import LABELS, AgendaFontMissingError, to_csv, to_ics, to_pdf, to_xlsx
from matchmaking.agenda.model import Agenda, AgendaItem, AgendaMeeting

__all__ = [
    "LABELS",
    "Agenda",
    "AgendaFontMissingError",
    "AgendaItem",
    "AgendaMeeting",
    "to_csv",
    "to_ics",
    "to_pdf",
    "to_xlsx",
]
