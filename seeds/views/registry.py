"""The registry list, its export, a startup's detail page, and creating a startup by hand."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import permission_required
from config.page_cache import cached_page
from seeds import exporting, selectors, services
from seeds.forms import StartupCreateForm, StartupFilterForm
from seeds.views.base import add_service_errors, fetch_startup, render_detail

PAGE_SIZE = 25
TOKYO = ZoneInfo("Asia/Tokyo")
EXPORTS = {
    "csv": (exporting.export_csv, "text/csv; charset=utf-8"),
    "xlsx": (exporting.export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@permission_required("seeds.browse_registry")
@cached_page("registry")
def startup_list(request):
    form = StartupFilterForm(request.GET)
    startups = selectors.startup_list(user=request.user, filters=form.to_filters())
    page = Paginator(startups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_manage": request.user.has_perm("seeds.manage_registry")}
    return render(request, "seeds/startup_list.html", context)


@permission_required("seeds.manage_registry")
def startup_export(request):
    """Every startup the list's filters select (not only one page), in the import format."""
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORTS:
        return HttpResponseBadRequest(_("Unknown export format: use csv or xlsx."), content_type="text/plain")
    write, content_type = EXPORTS[export_format]
    filters = StartupFilterForm(request.GET).to_filters()
    startups = list(selectors.startup_list(user=request.user, filters=filters))
    content = exporting.startup_export(
        startups=startups, write=write, export_format=export_format, actor=request.user, filters=filters
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"startups-{timezone.localdate(timezone=TOKYO):%Y%m%d}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("seeds.view_startup", fetch=fetch_startup)
def startup_detail(request, pk: int, obj):
    return render_detail(request, obj)


@permission_required("seeds.manage_registry")
def startup_create(request):
    form = StartupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            startup = services.startup_create(
                data=form.cleaned_data, tech_fields=list(form.cleaned_data["tech_fields"]), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The startup was added to the registry."))
            return redirect("seeds:startup_detail", pk=startup.pk)
    return render(request, "seeds/startup_form.html", {"form": form, "creating": True})
