"""Every `/api/v1/` route, collected from the apps in one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api

router = DefaultRouter()
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="api-token"),
    *router.urls,
]
