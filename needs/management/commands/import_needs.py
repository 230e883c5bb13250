from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from needs.services.imports import need_import_file


class Command(BaseCommand):
    help = (
        "Import a need list (CSV or XLSX) by ref; all rows or none. --publish publishes them. The pages' rules apply "
        "(only drafts change; a need keeps its unit; closed or withdrawn needs stay so) and every change is audited, "
        "with no actor: the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish the imported needs.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, path: Path, publish: bool, dry_run: bool, **options):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from error
        # As the other commands: no actor, the audit trail records the command line (accounts/audit.py).
        report = need_import_file(content=content, filename=path.name, actor=None, dry_run=dry_run, publish=publish)
        if report.file_error:
            raise CommandError(report.file_error)
        for error in report.errors:
            self.stderr.write(
                _("line %(line)d, %(column)s: %(message)s")
                % {"line": error.line, "column": error.column, "message": error.message}
            )
        if report.errors:
            raise CommandError(_("Bad rows: nothing was imported."))
        counts = {
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "published": len(report.published),
        }
        message = (
            _(
                "Dry run: %(created)d would be created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(published)d published."
            )
            if dry_run
            else _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(published)d published.")
        )
        self.stdout.write(message % counts)
