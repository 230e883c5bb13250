"""Importing a need list from the reviewers' upload page: upload → preview (counts, row errors) → confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from needs.forms import NeedImportForm
from needs.importing import NEED_COLUMNS, need_vocabularies
from needs.models import NeedImport
from needs.services import imports as services
from seeds.enums import ImportStatus

RECENT_IMPORTS = 10
# A preview lists this many row errors; the counts always cover the whole file.
SHOWN_ROWS = 500


def fetch_import(request, pk: int, **kwargs) -> NeedImport:
    return get_object_or_404(NeedImport.objects.select_related("uploaded_by"), pk=pk)


@permission_required("needs.import_needs")
def need_import(request):
    form = NeedImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending, _report = services.need_import_preview(
            content=upload.read(), filename=upload.name, publish=form.cleaned_data["publish"], actor=request.user
        )
        return redirect("needs:need_import_preview", pk=pending.pk)
    # The recent lists, without their file contents (up to 10 MB each).
    imports = NeedImport.objects.defer("content").select_related("uploaded_by")[:RECENT_IMPORTS]
    context = {"form": form, "imports": imports, "columns": ",".join(NEED_COLUMNS)}
    return render(request, "needs/import_upload.html", {**context, "vocabularies": need_vocabularies().values()})


@permission_required("needs.import_needs", fetch=fetch_import)
def need_import_preview(request, pk: int, obj: NeedImport):
    """A pending list is checked again against the needs as they are now; an applied one shows its result."""
    if obj.status == ImportStatus.PREVIEWED:
        summary = services.need_import_summary(services.need_import_review(pending=obj, actor=request.user))
    else:
        summary = obj.summary
    errors = summary.get("errors", [])
    result = {
        "created": summary.get("created", 0),
        "updated": summary.get("updated", 0),
        "unchanged": summary.get("unchanged", 0),
        "published": summary.get("published", 0),
        "errors": errors[:SHOWN_ROWS],
        "error_count": len(errors),
        "file_error": summary.get("file_error", ""),
        "ok": not errors and not summary.get("file_error"),
    }
    context = {"pending": obj, "result": result, "shown_rows": SHOWN_ROWS}
    if errors:  # the valid codes beside the errors that name them
        context["vocabularies"] = need_vocabularies().values()
    return render(request, "needs/import_preview.html", context)


@permission_required("needs.import_needs", fetch=fetch_import)
@require_POST
def need_import_confirm(request, pk: int, obj: NeedImport):
    try:
        report = services.need_import_confirm(pending=obj, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("needs:need_import_preview", pk=obj.pk)
    if report.applied:
        messages.success(
            request,
            _(
                "The list was imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(published)d published."
            )
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "published": len(report.published),
            },
        )
    else:
        messages.error(request, _("The list no longer passes the checks, so nothing was written. See below."))
    return redirect("needs:need_import_preview", pk=obj.pk)


urlpatterns = [
    path("needs/import/", need_import, name="need_import"),
    path("needs/import/<int:pk>/", need_import_preview, name="need_import_preview"),
    path("needs/import/<int:pk>/confirm/", need_import_confirm, name="need_import_confirm"),
]
