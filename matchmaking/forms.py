"""The match list's filters and the shortlist button."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.selectors import MatchFilters
from seeds.enums import DesignationProgram
from seeds.forms import prefecture_choices
from seeds.models import Startup

TRL_CHOICES = [(str(level), str(level)) for level in range(1, 10)]


class MatchFilterForm(forms.Form):
    min_trl = forms.TypedChoiceField(
        label=_("Minimum TRL"), choices=[("", _("Any TRL")), *TRL_CHOICES], coerce=int, empty_value=None, required=False
    )
    designation = forms.ChoiceField(
        label=_("Designation"), choices=[("", _("All programmes")), *DesignationProgram.choices], required=False
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("All prefectures")), *prefecture_choices()]

    def to_filters(self) -> MatchFilters:
        """The valid filters; a field with a bad value is left out."""
        self.is_valid()
        data = self.cleaned_data
        return MatchFilters(
            min_trl=data.get("min_trl"),
            designation=data.get("designation") or "",
            prefecture=data.get("prefecture") or "",
        )


class ShortlistForm(forms.Form):
    startup = forms.ModelChoiceField(queryset=Startup.objects.all(), widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
