"""What the registry's views share: fetching a startup for an object permission, service errors on forms,
and the profile shown on the detail and "my company" pages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from seeds import selectors
from seeds.forms import DesignationForm, NoteForm, ProductForm
from seeds.models import Startup

# Form prefixes keep the ids of the curator forms on the detail page apart.
NOTE_PREFIX, DESIGNATION_PREFIX, PRODUCT_PREFIX = "note", "designation", "product"


def fetch_startup(request, pk: int, **kwargs) -> Startup:
    """The startup with everything its detail page shows, for `permission_required(..., fetch=...)`."""
    try:
        return selectors.startup_detail(pk=pk)
    except Startup.DoesNotExist as error:
        raise Http404 from error


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def profile_context(request, startup: Startup) -> dict:
    """The permissions that decide which blocks of a profile a reader sees (seeds/rules.py)."""
    user = request.user
    return {
        "startup": startup,
        "can_see_contact": user.has_perm("seeds.view_startup_contact", startup),
        "can_see_notes": user.has_perm("seeds.view_curator_notes", startup),
        "can_edit": user.has_perm("seeds.edit_startup_profile", startup),
        "can_manage": user.has_perm("seeds.manage_registry"),
    }


def render_detail(request, startup: Startup, **forms):
    """The detail page, with the curator forms (bound ones, with their errors, passed in `forms`)."""
    context = profile_context(request, startup)
    if context["can_manage"]:
        context |= {
            "note_form": NoteForm(prefix=NOTE_PREFIX),
            "designation_form": DesignationForm(prefix=DESIGNATION_PREFIX),
            "product_form": ProductForm(prefix=PRODUCT_PREFIX),
            **forms,
        }
    return render(request, "seeds/startup_detail.html", context)
