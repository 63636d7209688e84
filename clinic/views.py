from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.access import public, requires
from clinic.audit import Action, access_log_write, url_target
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


def permission_denied(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    """Every refusal is logged with the URL's name and ids (handler403)."""
    access_log_write(request=request, action=Action.ACCESS_DENIED, target=url_target(request))
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Http404) -> HttpResponse:
    """A missing record behind a named URL (an id the user may not reach, or
    that does not exist) is logged like a refusal; unknown paths are not."""
    target = url_target(request)
    if target.id:
        access_log_write(request=request, action=Action.NOT_FOUND, target=target)
    return render(request, "404.html", status=404)


@requires("clinic.access_app")
def licences(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/licences.html", {"components": COMPONENTS})
