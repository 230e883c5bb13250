from django.urls import path

from matchmaking import feedback_views, views

app_name = "matchmaking"

urlpatterns = [
    path("needs/<int:pk>/", views.need_matches, name="need_matches"),
    path("needs/<int:pk>/shortlist/", views.shortlist_add, name="shortlist_add"),
    path("needs/<int:pk>/shortlist/<int:startup_pk>/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("needs/<int:pk>/score/", views.need_score_now, name="need_score_now"),
    path("startups/<int:pk>/", views.startup_matches, name="startup_matches"),
    path("recommended/", views.my_recommendations, name="my_recommendations"),
    path("overview/", views.overview, name="overview"),
    path("overview/recompute/", views.recompute, name="recompute"),
    path("feedback/", feedback_views.feedback_overview, name="feedback"),
    path("feedback/tune/", feedback_views.feedback_tune, name="feedback_tune"),
]
