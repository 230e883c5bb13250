from django.db import migrations

# Keyword search is a case-blind substring match (Japanese has no spaces to split words on); on PostgreSQL a
# trigram index keeps it fast at national-registry size. SQLite (the embedded default) simply scans.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS seeds_startup_search_trgm ON seeds_startup USING gin (search_text gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS seeds_startup_search_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("seeds", "0002_tech_fields")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
