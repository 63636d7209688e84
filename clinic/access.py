"""Every view states the permission it needs.

`requires` wraps Django's permission_required (403 for a signed-in user
without it; the login middleware has already sent anonymous users to the
login page) and records the permission on the view, so the URL-walk test
can prove that no view was left without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required, permission_required

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"


def requires(permission: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        guarded = permission_required(permission, raise_exception=True)(view)
        guarded.required_permission = permission  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: View) -> View:
    """A page anyone may open without signing in (login, health check, patient links)."""
    view = login_not_required(view)
    view.required_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def open_before_two_factor(view: View) -> View:
    """A page a signed-in user may open before entering their two-factor code
    (the two-factor pages themselves, the session keep-alive)."""
    view.open_before_two_factor = True  # type: ignore[attr-defined]
    return view
