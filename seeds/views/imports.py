"""Importing a startup list: upload → preview (counts, changed columns, row errors) → confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from seeds import selectors, services
from seeds.enums import ImportStatus
from seeds.forms import ImportUploadForm
from seeds.importing import IMPORT_COLUMNS, startup_vocabularies
from seeds.models import StartupImport

RECENT_IMPORTS = 10
# A preview lists this many updated rows and row errors; the counts always cover the whole file.
SHOWN_ROWS = 500


def fetch_import(request, pk: int, **kwargs) -> StartupImport:
    return get_object_or_404(StartupImport.objects.select_related("uploaded_by"), pk=pk)


@permission_required("seeds.manage_registry")
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending, _report = services.startup_import_preview(
            content=upload.read(), filename=upload.name, actor=request.user
        )
        return redirect("seeds:import_preview", pk=pending.pk)
    imports = selectors.startup_import_list(limit=RECENT_IMPORTS)
    context = {"form": form, "imports": imports, "columns": ",".join(IMPORT_COLUMNS)}
    return render(request, "seeds/import_upload.html", {**context, "vocabularies": startup_vocabularies().values()})


@permission_required("seeds.manage_registry", fetch=fetch_import)
def import_preview(request, pk: int, obj):
    """A pending list is checked again against the registry as it is now; an applied one shows its result."""
    if obj.status == ImportStatus.PREVIEWED:
        report = services.startup_import_review(pending=obj)
        result = {
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "updated_rows": report.updated[:SHOWN_ROWS],
            "errors": report.errors[:SHOWN_ROWS],
            "error_count": len(report.errors),
            "file_error": report.file_error,
            "ok": report.ok,
        }
    else:
        summary = obj.summary
        result = {
            "created": summary.get("created", 0),
            "updated": summary.get("updated", 0),
            "unchanged": summary.get("unchanged", 0),
            "updated_rows": [],
            "errors": summary.get("errors", [])[:SHOWN_ROWS],
            "error_count": len(summary.get("errors", [])),
            "file_error": summary.get("file_error", ""),
            "ok": not summary.get("errors") and not summary.get("file_error"),
        }
    context = {"pending": obj, "result": result, "shown_rows": SHOWN_ROWS}
    if result["errors"]:  # the valid codes beside the errors that name them
        context["vocabularies"] = startup_vocabularies().values()
    return render(request, "seeds/import_preview.html", context)


@permission_required("seeds.manage_registry", fetch=fetch_import)
@require_POST
def import_confirm(request, pk: int, obj):
    try:
        report = services.startup_import_confirm(pending=obj, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("seeds:import_preview", pk=obj.pk)
    if report.applied:
        messages.success(
            request,
            _("The list was imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": len(report.created), "updated": len(report.updated), "unchanged": len(report.unchanged)},
        )
    else:
        messages.error(request, _("The list no longer passes the checks, so nothing was written. See below."))
    return redirect("seeds:import_preview", pk=obj.pk)
