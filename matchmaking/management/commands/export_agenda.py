from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matchmaking.agenda import AgendaFontMissingError
from matchmaking.meetings.exports import FORMATS, export_agenda
from matchmaking.models import JointMeeting


class Command(BaseCommand):
    help = "Write a joint promotion meeting's whole agenda as XLSX, CSV, PDF or iCalendar."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", help="The meeting's id (as in the API and the page addresses).")
        parser.add_argument("--format", dest="fmt", required=True, help="xlsx, csv, pdf or ics")
        parser.add_argument("out", type=Path)
        parser.add_argument("--language", default="ja", choices=["ja", "en"])

    def handle(self, *args, meeting_id: str, fmt: str, out: Path, language: str, **options):
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                _("Unknown format “%(format)s”: use one of %(formats)s.")
                % {"format": fmt, "formats": ", ".join(FORMATS)}
            )
        meeting = JointMeeting.objects.filter(pk=int(meeting_id)).first() if meeting_id.isdigit() else None
        if meeting is None:
            raise CommandError(_("There is no meeting with id %(id)s.") % {"id": meeting_id})
        try:
            exported = export_agenda(meeting, fmt, language=language)
        except AgendaFontMissingError as error:
            raise CommandError(str(error)) from error
        out.write_bytes(exported.content)
        self.stdout.write(
            _("Agenda of meeting %(number)s written to %(path)s (%(bytes)d bytes).")
            % {"number": meeting.number, "path": out, "bytes": len(exported.content)}
        )
