"""Reading and validating need lists (DESIGN.md §6), with the same file handling as the startup import."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.enums import UnitCode
from core.validators import ascii_integer, excerpt, integer_range
from needs.enums import Pathway, Visibility
from needs.models import Need
from needs.validators import validate_need_ref
from seeds.importing import RowError, check_cells, split_list

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
# Free-text columns and the max_length of the model field each fills.
MAX_LENGTHS = {
    name: Need._meta.get_field(name).max_length for name in ("ref", "title", "description", "desired_capabilities")
}
MULTILINE_COLUMNS = {"description", "desired_capabilities"}


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
    trl_bounds = integer_range(Need._meta.get_field("min_trl"))
    for line, row in rows:
        row_errors: list[RowError] = []

        def fail(column: str, message: str, line=line, row_errors=row_errors) -> None:
            row_errors.append(RowError(line, column, message))

        broken = check_cells(row, fail, limits=MAX_LENGTHS, multiline=MULTILINE_COLUMNS)
        for column in ("ref", "title", "description", "owner_unit", "pathway"):
            if not row[column]:
                fail(column, _("This column is required."))
        if row["ref"] and "ref" not in broken:
            try:
                validate_need_ref(row["ref"])  # the rule the model and forms apply: "N-2026-²" is refused here
            except ValidationError as error:
                fail("ref", " ".join(error.messages))
        if row["ref"] in first_line_of:
            fail(
                "ref",
                _("The reference %(ref)s already appears on line %(line)d.")
                % {"ref": excerpt(row["ref"]), "line": first_line_of[row["ref"]]},
            )
        elif row["ref"]:
            first_line_of[row["ref"]] = line
        tech_fields = [] if "tech_fields" in broken else split_list(row["tech_fields"])
        unknown = [excerpt(code) for code in tech_fields if code not in tech_field_codes]
        if unknown:
            fail("tech_fields", _("Unknown technology field: %(codes)s") % {"codes": excerpt(", ".join(unknown), 200)})
        min_trl = None
        if row["min_trl"] and "min_trl" not in broken:
            min_trl = ascii_integer(row["min_trl"], trl_bounds)
            if min_trl is None:
                fail("min_trl", _("TRL must be a whole number from 1 to 9."))
        for column, codes in (("owner_unit", UnitCode.values), ("pathway", Pathway.values)):
            if row[column] and column not in broken and row[column] not in codes:
                fail(column, _unknown(column, row[column], codes))
        visibility = row["visibility"] or Visibility.PUBLIC
        if "visibility" not in broken and visibility not in Visibility.values:
            fail("visibility", _unknown("visibility", visibility, Visibility.values))
        errors += row_errors
        if not row_errors:
            records.append(NeedRecord(
                line=line, ref=row["ref"], title=row["title"], description=row["description"],
                desired_capabilities=row["desired_capabilities"], tech_fields=sorted(set(tech_fields)),
                min_trl=min_trl, owner_unit=row["owner_unit"], pathway=row["pathway"], visibility=visibility,
            ))  # fmt: skip
    return records, errors


def _unknown(column: str, value: str, codes: list[str]) -> str:
    messages = {
        "owner_unit": _("Unknown unit “%(value)s”: use one of %(codes)s."),
        "pathway": _("Unknown pathway “%(value)s”: use one of %(codes)s."),
        "visibility": _("Unknown visibility “%(value)s”: use one of %(codes)s."),
    }
    return messages[column] % {"value": excerpt(value), "codes": ", ".join(codes)}
