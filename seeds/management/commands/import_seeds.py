from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seeds.services import startup_import_file


class Command(BaseCommand):
    help = "Import a startup list (CSV in UTF-8 or CP932, or XLSX) into the registry; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from error
        report = startup_import_file(content=content, filename=path.name, actor=None, dry_run=dry_run)
        if report.file_error:
            raise CommandError(report.file_error)
        if report.errors:
            for error in report.errors:
                self.stderr.write(
                    _("line %(line)d, %(column)s: %(message)s")
                    % {"line": error.line, "column": error.column, "message": error.message}
                )
            count = len(report.errors)
            message = ngettext(
                "%(count)d bad row: nothing was imported.", "%(count)d bad rows: nothing was imported.", count
            )
            raise CommandError(message % {"count": count})
        counts = {"created": len(report.created), "updated": len(report.updated), "unchanged": len(report.unchanged)}
        message = (
            _("Dry run: %(created)d would be created, %(updated)d updated, %(unchanged)d unchanged.")
            if dry_run
            else _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        )
        self.stdout.write(message % counts)
