"""Transmission and browser-side protections: CSP, no caching of signed-in pages, cookies."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
# Pages only: emails need inline styles, and a CSP does not apply to them.
TEMPLATES = sorted(
    path
    for path in (BASE_DIR / "templates").rglob("*")
    if path.suffix in (".html", ".svg") and "emails" not in path.parts
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(parts)


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, clinician) -> None:
    client.force_login(clinician)

    policy = _directives(client.get(reverse("home"))["Content-Security-Policy"])

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in " ".join(policy.values())


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_templates_have_no_inline_script_style_or_event_handler(template: Path) -> None:
    source = template.read_text()

    assert not INLINE_SCRIPT.search(source)
    assert not INLINE_STYLE.search(source)
    assert not EVENT_HANDLER.search(source)


def test_htmx_is_configured_not_to_inject_styles_or_evaluate_code() -> None:
    base = (BASE_DIR / "templates" / "base.html").read_text()

    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored_by_browsers_or_proxies(client, clinician) -> None:
    client.force_login(clinician)

    for url in (reverse("home"), reverse("password_change"), reverse("two_factor_enrol")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control, url
        assert "private" in cache_control, url


@pytest.mark.django_db
def test_security_headers_are_sent(client) -> None:
    response = client.get(reverse("login"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_use_secure_cookies_and_hsts() -> None:
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0, s.TWO_FACTOR_REQUIRED)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "DEBUG": "false",
            "SECRET_KEY": "x" * 60,
            "SITE_URL": "https://clinic.example.org",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.split() == ["True", "True", "True", "Lax", "True", "True"]
