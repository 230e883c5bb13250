"""Forms of the new-entry consultation window and its triage: they parse and check; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from needs.enums import ConsultationStatus
from needs.models import ConsultationRequest
from needs.services.consultations import SUBMITTED_FIELDS
from seeds.forms import CorporateNumberField

# The five items of the window (the seed document's 記入事項), each with the fields that answer it.
ITEMS = [
    (_("Company name and summary"), ["company_name", "corporate_number", "company_summary"]),
    (_("Your inquiry"), ["inquiry"]),
    (_("Technology or product you propose"), ["technology"]),
    (_("Defense transaction record, or main customers and sales"), ["defense_record"]),
    (_("Contact person"), ["contact_name", "contact_email", "contact_phone"]),
]


class ConsultationForm(forms.ModelForm):
    corporate_number = CorporateNumberField(
        required=False,
        help_text=_("Optional: the 13-digit corporate number (法人番号) helps us find your company."),
    )

    class Meta:
        model = ConsultationRequest
        fields = SUBMITTED_FIELDS
        widgets = {
            "company_summary": forms.Textarea(attrs={"rows": 4}),
            "inquiry": forms.Textarea(attrs={"rows": 6}),
            "technology": forms.Textarea(attrs={"rows": 5}),
            "defense_record": forms.Textarea(attrs={"rows": 4}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company_name": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        help_texts = {
            "company_summary": _("What the company does, its size and where it is based."),
            "inquiry": _("What you would like to ask or discuss with the Ministry of Defense."),
            "technology": _("The technology or product, what it does and how mature it is."),
            "defense_record": _(
                "Past transactions on defense equipment and what they were; if none, your main customers and sales."
            ),
            "contact_email": _("We send a confirmation and our answer to this address."),
        }

    def items(self) -> list[tuple[str, list]]:
        """The bound fields grouped by the window's five items, for the page."""
        return [(title, [self[name] for name in names]) for title, names in ITEMS]


class ConsultationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *ConsultationStatus.choices], required=False
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class ConsultationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("E-mailed to the contact person in the language they wrote in."),
    )


class ConsultationConvertForm(forms.Form):
    corporate_number = CorporateNumberField(
        help_text=_("13 digits (法人番号). A company already in the registry is linked, not added twice.")
    )
