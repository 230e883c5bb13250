"""Form fields shared by the registry's and the needs board's forms."""

from django import forms
from django.forms.models import ModelChoiceIterator


class _ListedChoices(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # A plain query, not Django's default .iterator(): on PostgreSQL that opens a server-side cursor (DECLARE
        # … WITH HOLD), which cost a list page ~20 ms for the 20 rows of the taxonomy (benchmarks/load.py).
        for obj in self.queryset.all():
            yield self.choice(obj)


class TechFieldChoiceField(forms.ModelChoiceField):
    """A technology-field filter (a small taxonomy) read in one ordinary query."""

    iterator = _ListedChoices
