"""Every `/api/v1/` route, collected from the apps in one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from matchmaking import api as matchmaking_api
from matchmaking.meetings import api as meetings_api
from needs import api as needs_api
from programs import api as programs_api
from seeds import api as seeds_api

router = DefaultRouter()
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("tech-fields", seeds_api.TechFieldViewSet, basename="tech-field")
router.register("startups", seeds_api.StartupViewSet, basename="startup")
router.register("needs", needs_api.NeedViewSet, basename="need")
router.register("proposals", needs_api.ProposalViewSet, basename="proposal")
router.register("consultations", needs_api.ConsultationViewSet, basename="consultation")
router.register("programs", programs_api.ProgramViewSet, basename="program")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")

urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="api-token"),
    path("needs/<int:pk>/matches/", matchmaking_api.NeedMatchesView.as_view(), name="api-need-matches"),
    path("startups/<int:pk>/matches/", matchmaking_api.StartupMatchesView.as_view(), name="api-startup-matches"),
    path("startups/<int:pk>/programs/", programs_api.StartupProgramsView.as_view(), name="api-startup-programs"),
    *router.urls,
]
