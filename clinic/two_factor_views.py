"""Two-factor pages: set up an authenticator app, and enter a code after the password."""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from clinic import two_factor
from clinic.access import open_before_two_factor, requires
from clinic.forms import TwoFactorCodeForm


@open_before_two_factor
@requires("clinic.access_app")
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.totp_device_confirmed(user=user) is not None:
        return render(request, "clinic/two_factor/enrolled.html", {"next": _next(request)})
    if request.method == "POST" and "start" in request.POST:
        two_factor.totp_device_start(user=user)
        return redirect(request.get_full_path())
    device = two_factor.totp_device_pending(user=user)
    if device is None:
        return render(request, "clinic/two_factor/start.html", {"next": _next(request)})
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = two_factor.totp_device_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            context = {"backup_codes": codes, "next": _next(request)}
            return render(request, "clinic/two_factor/backup_codes.html", context)
        form.add_error("code", two_factor.CODE_REFUSED)
    context = {
        "form": form,
        "secret": _spaced(b32encode(device.bin_key).decode()),
        "qr_code": two_factor.qr_code_svg(device.config_url),
        "next": _next(request),
    }
    return render(request, "clinic/two_factor/enrol.html", context)


@open_before_two_factor
@requires("clinic.access_app")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if two_factor.totp_device_confirmed(user=request.user) is None:
        return redirect("two_factor_enrol")
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if two_factor.two_factor_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", two_factor.CODE_REFUSED)
    return render(request, "clinic/two_factor/verify.html", {"form": form, "next": _next(request)})


def _next(request: HttpRequest) -> str:
    """Where to go afterwards: the `next` parameter when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
