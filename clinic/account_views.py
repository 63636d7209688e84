"""Sign-out, password change and the session keep-alive, each writing its access-log event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from clinic import sessions
from clinic.access import open_before_two_factor, public, requires
from clinic.audit import Action, access_log_write


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            access_log_write(request=request, action=Action.SIGNED_OUT)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the new password signs out every other session of the user."""

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        access_log_write(request=self.request, action=Action.PASSWORD_CHANGED)
        return response


sign_out = public(SignOutView.as_view())
password_change = requires("clinic.access_app")(PasswordChangeView.as_view())
password_change_done = requires("clinic.access_app")(auth_views.PasswordChangeDoneView.as_view())


@open_before_two_factor
@requires("clinic.access_app")
@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle-warning's "Stay signed in" button: counts as activity."""
    sessions.session_touch(request.session, force=True)
    return HttpResponse(status=204)
