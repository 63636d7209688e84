"""Two-factor sign-in with a TOTP app (django-otp), plus one-time backup codes.

Who must use it: everyone but front desk while TWO_FACTOR_REQUIRED is on
(front desk too when TWO_FACTOR_FRONT_DESK is on or a clinic admin asks for it
in the security policy). A used code cannot be
used again: TOTP devices remember the last time step accepted, and a backup
code is deleted when used.
"""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit import Action, access_log_write
from clinic.models import User
from clinic.roles import FRONT_DESK
from clinic.selectors import security_policy, user_roles

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
_FIXED_SIZE = re.compile(r' (width|height)="[^"]*"')
CODE_REFUSED = "That code is not valid. Check the time on your phone and enter the newest code."


def two_factor_required_for(user: User) -> bool:
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if user_roles(user) == [FRONT_DESK]:
        return settings.TWO_FACTOR_FRONT_DESK or security_policy().front_desk_two_factor
    return True


def pending_step(user: User) -> str | None:
    """The two-factor page a signed-in user must pass first, or None."""
    if not user.is_authenticated or user.is_verified():
        return None
    if user_has_device(user):
        return reverse("two_factor_verify")
    if two_factor_required_for(user):
        return reverse("two_factor_enrol")
    return None


def totp_device_pending(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new secret, not usable for sign-in until a code from it is entered."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app; returns new backup codes, or None."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(code):
        access_log_write(request=request, action=Action.TWO_FACTOR_FAILED)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_replace(user=device.user)
    otp_login(request, device)
    access_log_write(request=request, action=Action.TWO_FACTOR_ENROLLED)
    return codes


def backup_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_verify(*, request: HttpRequest, code: str) -> bool:
    """Check a code from the app or a backup code; on success the session is verified."""
    device = match_token(request.user, code)
    if device is None:
        access_log_write(request=request, action=Action.TWO_FACTOR_FAILED)
        return False
    otp_login(request, device)
    access_log_write(request=request, action=Action.TWO_FACTOR_VERIFIED)
    return True


def qr_code_svg(data: str) -> str:
    """An inline SVG QR code (no image request, no script)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = _FIXED_SIZE.sub("", image.to_string(encoding="unicode"))
    return svg.replace(
        "<svg ",
        '<svg class="qr-code" role="img" aria-label="QR code to scan with your authenticator app" ',
        1,
    )
