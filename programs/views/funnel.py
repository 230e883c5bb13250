"""The funnel dashboard for government users, and each chart's numbers as CSV."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.decorators import permission_required
from programs import clock
from programs.forms import FunnelFilterForm
from programs.funnel_charts import funnel_charts


@permission_required("programs.view_funnel")
def funnel(request):
    form = FunnelFilterForm(request.GET)
    charts = funnel_charts(form.to_filters())
    query = request.GET.urlencode()
    return render(request, "programs/funnel.html", {"form": form, "charts": charts, "query": query})


@permission_required("programs.view_funnel")
def funnel_csv(request, chart: str):
    charts = {item.key: item for item in funnel_charts(FunnelFilterForm(request.GET).to_filters())}
    if chart not in charts:
        raise Http404
    response = HttpResponse(charts[chart].to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funnel-{chart}-{clock.today():%Y%m%d}.csv"'
    return response
