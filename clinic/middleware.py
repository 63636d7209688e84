"""Request-wide security: request ids, session timeouts, two-factor, no-store, audit context."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import cache
from typing import Any
from urllib.parse import urlencode

import pghistory
from django.apps import apps
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from clinic import sessions, two_factor
from clinic.audit import Action, access_log_write
from clinic.request_id import current_request_id, request_id_new

GetResponse = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """A fresh id per request (a client-sent X-Request-ID is not trusted)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_new()  # type: ignore[attr-defined]
        token = current_request_id.set(request.request_id)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


class SessionTimeoutMiddleware:
    """Sign out after the idle limit or the absolute limit, whichever comes first."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if sessions.session_expired(request.session):
                access_log_write(request=request, action=Action.SESSION_EXPIRED)
                logout(request)
            else:
                sessions.session_touch(request.session)
        return self.get_response(request)


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware (who passed two-factor, with which device),
    reading the device with one constant statement: built by the ORM on
    every request it cost 0.74 ms, written out 0.47 ms (docs/performance.md,
    fifth round). What makes a device count stays django-otp's."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        with suppress(ValueError, LookupError):
            label, device_id = self._normalize_persistent_id(persistent_id).rsplit("/", 1)
            model = apps.get_model(label)
            if issubclass(model, Device):
                return next(iter(model.objects.raw(_device_sql(model), [int(device_id)])), None)
        return None


@cache
def _device_sql(model: type[Device]) -> str:
    return f"SELECT * FROM {model._meta.db_table} WHERE id = %s"  # noqa: S608 (a table name)


class TwoFactorMiddleware:
    """Until a user who needs two-factor has entered a code, only the
    two-factor pages, sign-out and public pages open; everything else
    redirects to enrolment or to the code page."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not settings.TWO_FACTOR_REQUIRED or _open_before_two_factor(view):
            return None
        step = two_factor.pending_step(request.user)
        if step is None:
            return None
        return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")


def _open_before_two_factor(view: Callable) -> bool:
    return getattr(view, "open_before_two_factor", False) or not getattr(
        view, "login_required", True
    )


class NoStoreForSignedInMiddleware:
    """Pages served to a signed-in user may show health information: no
    browser or proxy cache may keep them (Back after sign-out shows nothing)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class HistoryContextMiddleware:
    """Every change a request makes is recorded with who made it and the request id."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        with pghistory.context(
            user=user.pk if user.is_authenticated else None,
            request_id=request.request_id,  # type: ignore[attr-defined]
            url=request.path,
        ):
            return self.get_response(request)
