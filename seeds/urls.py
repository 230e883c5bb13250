from django.urls import path

from seeds.views import claims, curation, imports, merge, profile, registry

app_name = "seeds"

urlpatterns = [
    path("", registry.startup_list, name="startup_list"),
    path("export/", registry.startup_export, name="startup_export"),
    path("new/", registry.startup_create, name="startup_create"),
    path("<int:pk>/", registry.startup_detail, name="startup_detail"),
    path("<int:pk>/edit/", profile.startup_edit, name="startup_edit"),
    path("<int:pk>/notes/", curation.note_add, name="note_add"),
    path("<int:pk>/designations/", curation.designation_add, name="designation_add"),
    path("<int:pk>/products/", curation.product_add, name="product_add"),
    path("<int:pk>/products/<int:product_pk>/remove/", curation.product_remove, name="product_remove"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("merge/", merge.merge, name="merge"),
    path("claims/", claims.claim_list, name="claim_list"),
    path("claims/<int:pk>/decide/", claims.claim_decide, name="claim_decide"),
    path("my-company/", profile.my_company, name="my_company"),
]
