"""Published results (公表): the selected and contracted proposals, as the proposal evaluation method requires."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from needs import selectors

PAGE_SIZE = 25


def results(request):
    """Public, anonymous visitors included; a need's result is listed only to those who may see the need."""
    page = Paginator(selectors.result_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/results.html", {"page": page})


urlpatterns = [
    path("results/", results, name="results"),
]
