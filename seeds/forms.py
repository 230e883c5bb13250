"""Forms of the registry pages: they parse and check input; the services decide and write."""

import re
import unicodedata
from pathlib import Path

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.params import CheckedModelMultipleChoiceField
from seeds import selectors, services
from seeds.enums import DesignationProgram
from seeds.form_fields import TechFieldChoiceField
from seeds.importing import MAX_TECHNOLOGIES
from seeds.models import Startup, TechField
from seeds.prefectures import PREFECTURES
from seeds.selectors import StartupFilters
from seeds.validators import validate_corporate_number

TRL_CHOICES = [(level, str(level)) for level in range(1, 10)]
SORT_CHOICES = [
    ("name", pgettext_lazy("sort order", "Name")),
    ("-updated", pgettext_lazy("sort order", "Recently updated")),
    ("trl", pgettext_lazy("sort order", "TRL, lowest first")),
    ("-trl", pgettext_lazy("sort order", "TRL, highest first")),
    ("founded", pgettext_lazy("sort order", "Founded, oldest first")),
    ("-founded", pgettext_lazy("sort order", "Founded, newest first")),
]
IMPORT_EXTENSIONS = (".csv", ".xlsx")
IMPORT_MAX_BYTES = 10 * 1024 * 1024


def prefecture_choices() -> list[tuple[str, str]]:
    """The 47 prefectures in official order, labelled in the page's language; the stored value is Japanese."""
    english = get_language() == "en"
    return [(name, english_name if english else name) for name, english_name in PREFECTURES]


class CorporateNumberField(forms.CharField):
    """A corporate number as people type it: full-width digits, spaces and hyphens are tidied away first."""

    default_validators = [validate_corporate_number]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Corporate number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("13 digits (法人番号)."))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = unicodedata.normalize("NFKC", super().to_python(value))
        return re.sub(r"[\s\-‐－ー]", "", text)


class TechnologiesField(forms.CharField):
    """The technologies list as one text: one per line, or separated by semicolons."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        items = (item.strip() for item in re.split(r"[;；\n]", text))
        return list(dict.fromkeys(item for item in items if item))

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > MAX_TECHNOLOGIES:
            raise forms.ValidationError(
                _("At most %(limit)d technologies."), code="too_many", params={"limit": MAX_TECHNOLOGIES}
            )


# --- The registry list ---------------------------------------------------------------------------------


class StartupFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the names, description, technologies or products, in Japanese or English."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    tech_field = TechFieldChoiceField(
        label=_("Technology field"),
        queryset=TechField.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    trl_min = forms.TypedChoiceField(
        label=_("TRL from"), choices=[("", _("Any")), *TRL_CHOICES], coerce=int, empty_value=None, required=False
    )
    trl_max = forms.TypedChoiceField(
        label=_("TRL to"), choices=[("", _("Any")), *TRL_CHOICES], coerce=int, empty_value=None, required=False
    )
    program = forms.ChoiceField(
        label=_("Designation"), choices=[("", _("All programmes")), *DesignationProgram.choices], required=False
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("All prefectures")), *prefecture_choices()]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("trl_min"), cleaned.get("trl_max")
        if low is not None and high is not None and low > high:
            self.add_error("trl_max", _("The upper TRL must not be below the lower one."))
        return cleaned

    def to_filters(self) -> StartupFilters:
        """The valid filters; a field with a bad value is left out (the list is then unfiltered by it)."""
        self.is_valid()
        data = self.cleaned_data
        tech_field = data.get("tech_field")
        return StartupFilters(
            q=data.get("q") or "",
            tech_field=tech_field.code if tech_field else "",
            trl_min=data.get("trl_min"),
            trl_max=data.get("trl_max"),
            program=data.get("program") or "",
            prefecture=data.get("prefecture") or "",
            sort=data.get("sort") or "name",
        )


# --- Creating and editing a startup ---------------------------------------------------------------------

FIELD_ORDER = [
    "corporate_number",
    "name",
    "name_en",
    "description",
    "technologies",
    "tech_fields",
    "trl",
    "stage",
    "prefecture",
    "founded_year",
    "employees",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "defense_record",
]
WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 6}),
    "defense_record": forms.Textarea(attrs={"rows": 4}),
    "trl": forms.NumberInput(attrs={"min": 1, "max": 9}),
    "founded_year": forms.NumberInput(attrs={"min": 1800}),
    "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
}
TECHNOLOGIES_HELP = _("One per line, or separated by semicolons (;).")


def website_field() -> forms.URLField:
    # Declared rather than generated: an address typed without a scheme is taken as https.
    return forms.URLField(
        label=Startup._meta.get_field("website").verbose_name, max_length=300, required=False, assume_scheme="https"
    )


class StartupProfileForm(forms.ModelForm):
    """What a startup's own members may change (services.PROFILE_FIELDS); nothing else is even read."""

    technologies = TechnologiesField(label=_("Technologies"), required=False, help_text=TECHNOLOGIES_HELP)
    website = website_field()
    field_order = FIELD_ORDER

    class Meta:
        model = Startup
        fields = services.PROFILE_FIELDS
        widgets = WIDGETS


class StartupCuratorForm(forms.ModelForm):
    """Every field a curator edits (services.CURATOR_FIELDS) and the technology fields."""

    technologies = TechnologiesField(label=_("Technologies"), required=False, help_text=TECHNOLOGIES_HELP)
    tech_fields = CheckedModelMultipleChoiceField(
        label=Startup._meta.get_field("tech_fields").verbose_name,
        queryset=TechField.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = website_field()
    field_order = FIELD_ORDER

    class Meta:
        model = Startup
        fields = [*services.CURATOR_FIELDS, "tech_fields"]
        widgets = WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", "---------"), *prefecture_choices()]


class StartupCreateForm(StartupCuratorForm):
    corporate_number = CorporateNumberField()

    class Meta(StartupCuratorForm.Meta):
        fields = ["corporate_number", *StartupCuratorForm.Meta.fields]


# --- Curators' annotations on the detail page -------------------------------------------------------------


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class DesignationForm(forms.Form):
    program = forms.ChoiceField(label=_("Programme"), choices=DesignationProgram.choices)
    cohort = forms.CharField(
        label=_("Year or cohort"),
        max_length=4,
        help_text=_("A number of up to 4 digits, e.g. 2023."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    source_note = forms.CharField(
        label=_("Source"), max_length=300, required=False, help_text=_("Where this comes from, e.g. a list's URL.")
    )


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Import ---------------------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Startup list (CSV or XLSX)"),
        help_text=_(
            "CSV in UTF-8 (with or without BOM) or Shift_JIS, or the first sheet of an XLSX workbook, with the "
            "header row of the import format. At most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(
                _("Only .csv and .xlsx files can be imported; “%(name)s” is neither."),
                code="extension",
                params={"name": upload.name},
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it into smaller lists."), code="size")
        return upload


# --- Merge ----------------------------------------------------------------------------------------------


class MergeSelectForm(forms.Form):
    """Two registry entries, by corporate number; after validation `self.startups` holds both."""

    first = CorporateNumberField(label=_("First corporate number"))
    second = CorporateNumberField(label=_("Second corporate number"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.startups: list[Startup] = []

    def clean(self):
        cleaned = super().clean()
        self.startups = []
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and second and first == second:
            raise forms.ValidationError(_("Enter two different corporate numbers."), code="same")
        for name in ("first", "second"):
            number = cleaned.get(name)
            startup = selectors.startup_by_corporate_number(number) if number else None
            if number and startup is None:
                self.add_error(name, _("No startup with this corporate number is in the registry."))
            elif startup is not None:
                self.startups.append(startup)
        return cleaned


class MergeConfirmForm(MergeSelectForm):
    """The confirmation step: the same two numbers, now hidden, and which record survives."""

    first = CorporateNumberField(widget=forms.HiddenInput)
    second = CorporateNumberField(widget=forms.HiddenInput)
    survivor = forms.ChoiceField(label=_("Record to keep"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = [self.data.get("first", ""), self.data.get("second", "")] if self.is_bound else []
        numbers += [self.initial.get("first", ""), self.initial.get("second", "")]
        self.fields["survivor"].choices = [(number, number) for number in dict.fromkeys(numbers) if number]

    def survivor_and_merged(self) -> tuple[Startup, Startup]:
        first, second = self.startups
        return (first, second) if self.cleaned_data["survivor"] == first.corporate_number else (second, first)


# --- Claims ---------------------------------------------------------------------------------------------


class ClaimForm(forms.Form):
    corporate_number = CorporateNumberField(help_text=_("Your company's 13-digit corporate number (法人番号)."))
    message = forms.CharField(
        label=_("Message to the curators"),
        max_length=2000,
        required=False,
        help_text=_("Optional: your position in the company, or anything that helps the curators check the claim."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])  # the two buttons
