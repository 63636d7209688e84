"""A test-only URLconf: the project's URLs plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from clinic.access import requires
from clinic.urls import handler403, handler404, urlpatterns

PHI = "Jane Doe, born 1961-04-12, myasthenia gravis"


@requires("clinic.access_app")
def explode(request: HttpRequest) -> HttpResponse:
    diagnosis = PHI  # a local variable an error report must not show
    raise ValueError(f"could not save {diagnosis}")


@requires("clinic.access_app")
def refuse(request: HttpRequest, session_id: int) -> HttpResponse:
    raise PermissionDenied


@requires("clinic.access_app")
def missing(request: HttpRequest, session_id: int) -> HttpResponse:
    raise Http404


urlpatterns = [
    *urlpatterns,
    path("explode/", explode, name="explode"),
    path("sessions/<int:session_id>/refused/", refuse, name="refused_session"),
    path("sessions/<int:session_id>/missing/", missing, name="missing_session"),
]

__all__ = ["handler403", "handler404", "urlpatterns"]
