"""Installs the shipped catalogue (programs/catalogue.json), so that a production portal starts with it.
`manage.py load_programs` refreshes it later."""

from django.db import migrations


def install(apps, schema_editor):
    from programs.catalogue import catalogue_entries, catalogue_sync

    catalogue_sync(model=apps.get_model("programs", "SupportProgram"), entries=catalogue_entries())


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
