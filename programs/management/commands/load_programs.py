from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programs.catalogue import CATALOGUE_PATH, catalogue_entries, catalogue_sync
from programs.models import SupportProgram
from programs.validators import check_program


class Command(BaseCommand):
    help = (
        "Refresh the support-programme catalogue from a JSON file (default: the one the project ships). "
        "Programmes are matched by code; every field in the file overwrites the stored one; programmes "
        "absent from the file are left as they are. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CATALOGUE_PATH))

    def handle(self, *args, path, **options):
        try:
            entries = catalogue_entries(Path(path))
            with transaction.atomic():
                created, updated = catalogue_sync(model=SupportProgram, entries=entries, check=check_program)
        except (OSError, ValueError, KeyError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{created} created, {updated} updated")
