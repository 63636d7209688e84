"""Sign-in events into the access log, from Django's and django-axes' signals.

A failed attempt is logged against the account when the username exists;
the typed username itself is never stored (people type passwords into it).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse

from clinic import sessions
from clinic.audit import Action, access_log_write
from clinic.models import User


def on_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sessions.session_start(request.session)
    access_log_write(request=request, action=Action.SIGNED_IN, user=user)


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    access_log_write(
        request=request,
        action=Action.SIGN_IN_FAILED,
        user=_existing_user(credentials.get("username")),
    )


def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    access_log_write(request=request, action=Action.LOCKED_OUT, user=_existing_user(username))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse, credentials: Any = None
) -> HttpResponse:
    """A locked-out attempt gets the same page as any failed one: the login
    form saying the username or password is wrong. Nothing tells an
    attacker whether the account exists or is locked."""
    return original_response


def _existing_user(username: str | None) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_signed_in, dispatch_uid="clinic_signed_in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="clinic_sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="clinic_locked_out")
