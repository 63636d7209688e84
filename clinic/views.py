from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.access import public, requires
from clinic.health import health_report
from clinic.licences import COMPONENTS
from clinic.selectors import user_roles


@requires("clinic.access_app")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home.html", {"roles": user_roles(request.user)})


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    healthy = all(report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503
    )


@requires("clinic.access_app")
def licences(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/licences.html", {"components": COMPONENTS})
