"""Form fields shared by the need and proposal forms."""

from django import forms

from needs.attachments import EXTENSIONS

# The browser's file picker offers the kinds the portal accepts; the content is still checked on the server.
ATTACHMENT_ACCEPT = ",".join([*EXTENSIONS.values(), *EXTENSIONS])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen). Optional by default."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in items if item]
