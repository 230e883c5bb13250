"""Reading and validating need lists (DESIGN.md §6), with the same file handling as the startup import."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.enums import UnitCode
from needs.enums import Pathway, Visibility
from seeds.importing import RowError, split_list

NEED_COLUMNS = [
    "ref",
    "title",
    "description",
    "desired_capabilities",
    "tech_fields",
    "min_trl",
    "owner_unit",
    "pathway",
    "visibility",
]
MAX_LENGTHS = {"ref": 30, "title": 200, "description": 6000, "desired_capabilities": 4000}


@dataclass
class NeedRecord:
    line: int
    ref: str
    title: str
    description: str
    desired_capabilities: str
    tech_fields: list[str] = field(default_factory=list)
    min_trl: int | None = None
    owner_unit: str = ""
    pathway: str = ""
    visibility: str = Visibility.PUBLIC


def parse_need_rows(rows, *, tech_field_codes: set[str]) -> tuple[list[NeedRecord], list[RowError]]:
    records, errors, first_line_of = [], [], {}
    for line, row in rows:
        row_errors: list[RowError] = []

        def fail(column: str, message: str, line=line, row_errors=row_errors) -> None:
            row_errors.append(RowError(line, column, message))

        for column in ("ref", "title", "description", "owner_unit", "pathway"):
            if not row[column]:
                fail(column, _("This column is required."))
        for column, limit in MAX_LENGTHS.items():
            if len(row[column]) > limit:
                fail(column, _("Too long: at most %(limit)d characters.") % {"limit": limit})
        if row["ref"] in first_line_of:
            fail(
                "ref",
                _("The reference %(ref)s already appears on line %(line)d.")
                % {"ref": row["ref"], "line": first_line_of[row["ref"]]},
            )
        elif row["ref"]:
            first_line_of[row["ref"]] = line
        tech_fields = split_list(row["tech_fields"])
        unknown = [code for code in tech_fields if code not in tech_field_codes]
        if unknown:
            fail("tech_fields", _("Unknown technology field: %(codes)s") % {"codes": ", ".join(unknown)})
        min_trl = None
        if row["min_trl"]:
            if row["min_trl"].isdigit() and 1 <= int(row["min_trl"]) <= 9:
                min_trl = int(row["min_trl"])
            else:
                fail("min_trl", _("TRL must be a whole number from 1 to 9."))
        if row["owner_unit"] and row["owner_unit"] not in UnitCode.values:
            fail(
                "owner_unit",
                _("Unknown unit “%(value)s”: use one of %(codes)s.")
                % {"value": row["owner_unit"], "codes": ", ".join(UnitCode.values)},
            )
        if row["pathway"] and row["pathway"] not in Pathway.values:
            fail(
                "pathway",
                _("Unknown pathway “%(value)s”: use one of %(codes)s.")
                % {"value": row["pathway"], "codes": ", ".join(Pathway.values)},
            )
        visibility = row["visibility"] or Visibility.PUBLIC
        if visibility not in Visibility.values:
            fail(
                "visibility",
                _("Unknown visibility “%(value)s”: use one of %(codes)s.")
                % {"value": visibility, "codes": ", ".join(Visibility.values)},
            )
        errors += row_errors
        if not row_errors:
            records.append(NeedRecord(
                line=line, ref=row["ref"], title=row["title"], description=row["description"],
                desired_capabilities=row["desired_capabilities"], tech_fields=sorted(set(tech_fields)),
                min_trl=min_trl, owner_unit=row["owner_unit"], pathway=row["pathway"], visibility=visibility,
            ))  # fmt: skip
    return records, errors
