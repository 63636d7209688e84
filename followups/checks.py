"""`manage.py check --deploy`: patient emails need an https SITE_URL (RFC 8058
one-click unsubscribe links must be https)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

SITE_URL_NOT_HTTPS = checks.Warning(
    "SITE_URL is not an https:// address.",
    hint="Links in patient emails (survey, unsubscribe) must use https in production.",
    id="followups.W001",
)


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_https(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    return [] if settings.SITE_URL.startswith("https://") else [SITE_URL_NOT_HTTPS]
