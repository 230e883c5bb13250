from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts.home import home_sections


def home(request):
    return render(request, "home.html", {"sections": home_sections(request.user)})


def health(request):
    """Liveness for the load balancer and compose: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
