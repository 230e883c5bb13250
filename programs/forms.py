"""The curator's programme form and the catalogue filters."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import UnitCode
from core.params import BoundedDateField
from needs.enums import Pathway
from programs.enums import ProgramCategory
from programs.models import SupportProgram
from programs.selectors.catalogue import CatalogueFilters
from programs.selectors.funnel import FunnelFilters
from programs.services import EDITABLE_FIELDS
from seeds.enums import StartupStage
from seeds.forms import StartupFilterForm

RULES_HELP = _(
    'A JSON list, one object per rule, e.g. [{"kind": "stage_in", "stages": ["seed"]}, {"kind": "vc_investment"}]. '
    "Kinds: stage_in (stages), sme, vc_investment, business_investment, investment_any, partnership_memorandum, "
    "designation_any and not_designated (programs), founded_within_years (years), trl_range (min, max). "
    '"required": false makes a rule an advantage; note_ja and note_en add a note.'
)
WINDOWS_HELP = _(
    'A JSON list, e.g. [{"label_ja": "第5回公募", "label_en": "5th call", "opens": "2024-10-01", "closes": '
    '"2024-10-25"}]. Dates YYYY-MM-DD; at least one of opens and closes.'
)


class _JSONDecoder(json.JSONDecoder):
    """A number past int()'s 4,300 digits is a plain ValueError inside json: raised as the JSONDecodeError that
    forms.JSONField turns into a form error (and shows the input back)."""

    def decode(self, s, *args, **kwargs):
        try:
            return super().decode(s, *args, **kwargs)
        except json.JSONDecodeError:
            raise
        except ValueError as error:
            raise json.JSONDecodeError(str(error), s, 0) from None


class PrettyJSONField(forms.JSONField):
    """Shows the stored list indented, one item to a line, so that curators can read and edit it."""

    def __init__(self, **kwargs):
        super().__init__(decoder=_JSONDecoder, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in value) + "\n]"
        return super().prepare_value(value)


class ProgramForm(forms.ModelForm):
    target_stages = forms.MultipleChoiceField(
        label=_("Target stages"), choices=StartupStage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    pathways = forms.MultipleChoiceField(
        label=_("Pathways"),
        choices=Pathway.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A match's suggested pathway links to the programmes ticked here."),
    )
    url = forms.URLField(label=_("Official page"), max_length=300, required=False, assume_scheme="https")
    rules = PrettyJSONField(label=_("Eligibility rules"), required=False, help_text=RULES_HELP)
    windows = PrettyJSONField(label=_("Application windows"), required=False, help_text=WINDOWS_HELP)

    class Meta:
        model = SupportProgram
        fields = EDITABLE_FIELDS
        widgets = {
            "description_ja": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "rules": forms.Textarea(attrs={"rows": 6}),
            "windows": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = SupportProgram.objects.filter(parent__isnull=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = others

    def clean_rules(self):
        return self.cleaned_data["rules"] or []

    def clean_windows(self):
        return self.cleaned_data["windows"] or []

    def _post_clean(self):
        # The service validates the whole programme (programs/validators.py) and reports by field.
        pass


class CatalogueFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *ProgramCategory.choices], required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("All stages")), *StartupStage.choices], required=False)
    pathway = forms.ChoiceField(label=_("Pathway"), choices=[("", _("All pathways")), *Pathway.choices], required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def to_filters(self) -> CatalogueFilters:
        """The valid filters; a field with a bad value is left out."""
        self.is_valid()
        data = self.cleaned_data
        return CatalogueFilters(
            category=data.get("category") or "",
            stage=data.get("stage") or "",
            pathway=data.get("pathway") or "",
            open_now=bool(data.get("open_now")),
        )


class FunnelFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", _("All units")), *UnitCode.choices], required=False)
    tech_field = StartupFilterForm.base_fields["tech_field"]  # the registry's field (forms copy it per instance)
    published_from = BoundedDateField(
        label=_("Needs published from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = BoundedDateField(
        label=_("Needs published until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", _("The end of the period must not be before its start."))
        return cleaned

    def to_filters(self) -> FunnelFilters:
        """The valid filters; with any error the figures are for everything (and the form shows the error)."""
        if not self.is_valid():
            return FunnelFilters()
        data = self.cleaned_data
        return FunnelFilters(
            unit=data["unit"] or "",
            tech_field=data["tech_field"].code if data["tech_field"] else "",
            published_from=data["published_from"],
            published_to=data["published_to"],
        )
