"""Reading and validating need lists (DESIGN.md §6), with the same file handling as the startup import."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.enums import UnitCode
from core.validators import Vocabulary, ascii_integer, choice_terms, excerpt, integer_range
from needs.enums import Pathway, Visibility
from needs.models import Need
from needs.validators import validate_need_ref
from seeds.importing import RowError, as_tech_field_vocabulary, check_cells, coded_list, tech_field_vocabulary

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


def need_vocabularies(tech_fields: Vocabulary | None = None) -> dict[str, Vocabulary]:
    """The coded columns of a need list, by column."""
    return {
        "tech_fields": tech_fields or tech_field_vocabulary(),
        **{
            column: Vocabulary(column, choice_terms(choices), title=Need._meta.get_field(column).verbose_name)
            for column, choices in (("owner_unit", UnitCode), ("pathway", Pathway), ("visibility", Visibility))
        },
    }


def parse_need_rows(rows, *, tech_field_codes) -> tuple[list[NeedRecord], list[RowError]]:
    """Validate every row (`tech_field_codes` as for `seeds.importing.parse_rows`); a ref repeated in the file is
    an error on its later lines."""
    vocabularies = need_vocabularies(as_tech_field_vocabulary(tech_field_codes))
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
        tech_fields = (
            [] if "tech_fields" in broken else coded_list(row["tech_fields"], vocabularies["tech_fields"], fail)
        )
        min_trl = None
        if row["min_trl"] and "min_trl" not in broken:
            min_trl = ascii_integer(row["min_trl"], trl_bounds)
            if min_trl is None:
                fail("min_trl", _("TRL must be a whole number from 1 to 9."))
        coded = {"visibility": Visibility.PUBLIC}  # an empty visibility is public
        for column in ("owner_unit", "pathway", "visibility"):
            if row[column] and column not in broken:
                coded[column] = vocabularies[column].code_for(row[column])
                if coded[column] is None:
                    fail(column, vocabularies[column].unknown(row[column]))
        errors += row_errors
        if not row_errors:
            records.append(NeedRecord(
                line=line, ref=row["ref"], title=row["title"], description=row["description"],
                desired_capabilities=row["desired_capabilities"], tech_fields=tech_fields, min_trl=min_trl,
                owner_unit=coded.get("owner_unit", ""), pathway=coded.get("pathway", ""),
                visibility=coded["visibility"],
            ))  # fmt: skip
    return records, errors
