"""Bench only (bench.urls): the floor every page is compared with."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse

from clinic.access import public


@public
def floor(request: HttpRequest) -> HttpResponse:
    """One query and a tiny response, through the same middleware as every page."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
