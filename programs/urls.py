from django.urls import path

from programs.views import catalogue, funnel

app_name = "programs"

urlpatterns = [
    path("", catalogue.program_list, name="program_list"),
    path("new/", catalogue.program_create, name="program_create"),
    path("funnel/", funnel.funnel, name="funnel"),
    path("funnel/<slug:chart>.csv", funnel.funnel_csv, name="funnel_csv"),
    path("startups/<int:pk>/", catalogue.startup_programs, name="startup_programs"),
    path("<slug:code>/", catalogue.program_detail, name="program_detail"),
    path("<slug:code>/edit/", catalogue.program_edit, name="program_edit"),
]
