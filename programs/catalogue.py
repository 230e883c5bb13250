"""The catalogue the project ships (catalogue.json), read by the data migration and by `load_programs`.

Kept free of the app's models so that the migration can pass its historical model: `catalogue_sync` only sets
plain fields and links tiers to their parent by code.
"""

import json
from pathlib import Path

CATALOGUE_PATH = Path(__file__).with_name("catalogue.json")
# Keys a catalogue entry may carry besides its model fields.
_LINK_KEYS = {"parent"}


def catalogue_entries(path: Path = CATALOGUE_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["programs"]


def catalogue_sync(*, model, entries: list[dict], check=None) -> tuple[int, int]:
    """Create or update one programme per entry, keyed by `code`, in file order (which sets `position`).

    `check(program)` (programs.validators.check_program) runs before each save when given; the migration runs
    without it, as historical models may not match today's validators. Returns (created, updated)."""
    fields = {field.name for field in model._meta.get_fields() if getattr(field, "concrete", False)}
    created = updated = 0
    by_code = {}
    for position, entry in enumerate(entries, start=1):
        unknown = set(entry) - fields - _LINK_KEYS
        if unknown:
            raise ValueError(f"{entry.get('code')}: unknown keys {sorted(unknown)}")
        values = {key: value for key, value in entry.items() if key not in _LINK_KEYS | {"code"}}
        program = model.objects.filter(code=entry["code"]).first()
        if program is None:
            program = model(code=entry["code"])
            created += 1
        else:
            updated += 1
        for name in fields - {"id", "code", "updated_at", "updated_by", "parent"}:
            default = model._meta.get_field(name).get_default()
            setattr(program, name, values.get(name, default))
        program.position = position
        parent_code = entry.get("parent")
        program.parent = by_code.get(parent_code) or (model.objects.get(code=parent_code) if parent_code else None)
        if check is not None:
            check(program)
        elif program.rate_text:
            program.rate = _rate(program.rate_text)
        program.save()
        by_code[program.code] = program
    return created, updated


def _rate(text: str):
    from programs.validators import parse_rate

    return parse_rate(text)
