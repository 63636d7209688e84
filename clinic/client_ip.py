"""The client's address, the same for lockouts (django-axes) and the access log.

Each proxy appends the address it was connected from to X-Forwarded-For, so
behind TRUSTED_PROXY_COUNT proxies the client is that many entries from the
right; entries further left were written by the client and may be forged.
With 0 the header is ignored and the connection's own address is used.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return _valid(request.META.get("REMOTE_ADDR", ""))
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < proxies:
        return _valid(request.META.get("REMOTE_ADDR", ""))
    return _valid(hops[-proxies])


def _valid(address: str) -> str | None:
    try:
        return str(ip_address(address))
    except ValueError:
        return None
