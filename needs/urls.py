"""Needs, proposals, evaluation, results and the consultation window; each view module lists its routes."""

from needs.views import consultations, downloads, evaluations, imports, needs, proposals, questions, results

app_name = "needs"

urlpatterns = [
    *needs.urlpatterns,
    *questions.urlpatterns,
    *imports.urlpatterns,
    *downloads.urlpatterns,
    *proposals.urlpatterns,
    *evaluations.urlpatterns,
    *results.urlpatterns,
    *consultations.urlpatterns,
]
