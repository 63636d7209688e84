"""Page parts kept in the cache under the revisions they were drawn from.

`cached_part` returns the HTML of a part of a page (a chart's sections, a
signed session's record, a day of the calendar) from the cache, or draws it
and keeps it. Its key holds everything the part depends on:

- the revisions of its data, which the database raises on every write
  (clinic.revisions): a write anywhere makes the next request draw it again;
- the signed-in user and their permissions, so one user's part is never
  served to another, nor to the same user after a change of role;
- the URL (scheme, host, path and query) and the local day; a part that the
  clock alone changes sooner (an appointment passing from "coming" to
  "past", a check-in window opening) is kept with the moment it stops
  holding, and drawn again from then;
- the code (a hash of the project's files), so a deploy never serves parts
  drawn by the code before it.

The HTML is compressed and encrypted with a key derived from SECRET_KEY
(Fernet: AES and an HMAC), so health data never sits readable in Redis, and
it expires after PAGE_CACHE_SECONDS whatever happens. CSRF tokens are drawn
as a placeholder and the request's own token is put in on the way out. When
the cache is down, parts are drawn on every request, and a warning logged.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache as default_cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What the cached HTML holds where a CSRF token goes.
CSRF_PLACEHOLDER = "csrf-token-drawn-per-request-7d41c0"
CODE_SUFFIXES = (".py", ".html", ".json", ".js", ".css", ".svg")
SKIPPED_DIRS = {".venv", ".git", "node_modules", "staticfiles", "__pycache__", "tests"}


def cached_part(
    request: HttpRequest,
    *,
    name: str,
    depends_on: Sequence[Any],
    draw: Callable[[dict[str, Any]], Drawn],
) -> SafeString:
    """The part `name` for this request. `depends_on` holds the revisions and
    anything else its HTML depends on besides the user, the path and the
    day; `draw(extra_context)` renders it with `extra_context` added to its
    template context, and says until when the HTML holds if the clock alone
    can change it before the day ends (an appointment moving from "coming"
    to "past")."""
    if not settings.PAGE_CACHE_SECONDS:
        return _with_token(request, draw({"csrf_token": CSRF_PLACEHOLDER}).html)
    key = _key(request, name, depends_on)
    html = _read(key)
    if html is None:
        drawn = draw({"csrf_token": CSRF_PLACEHOLDER})
        _write(key, drawn)
        html = drawn.html
    return _with_token(request, html)


@dataclass(frozen=True)
class Drawn:
    html: str
    valid_until: datetime | None = None  # None: until the data or the day changes


def next_minute() -> datetime:
    """The valid_until of a part that shows the clock's minute (a check-in
    button, a follow-up overdue by an hour)."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)


def _with_token(request: HttpRequest, html: str) -> SafeString:
    if CSRF_PLACEHOLDER not in html:
        return mark_safe(html)  # noqa: S308 - drawn by our own templates
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def _key(request: HttpRequest, name: str, depends_on: Sequence[Any]) -> str:
    user = request.user
    parts = [
        request.build_absolute_uri(),  # links in a FHIR bundle name the host
        user.pk,
        sorted(user.get_all_permissions()),
        timezone.localdate().isoformat(),
        list(depends_on),
    ]
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"page:{code_version()}:{name}:{digest}"


def _read(key: str) -> str | None:
    try:
        kept = default_cache.get(key)
    except RedisError:
        logger.warning("page cache unavailable; drawing the page")
        return None
    if kept is None:
        return None
    valid_until, sealed = kept
    if valid_until is not None and timezone.now().timestamp() >= valid_until:
        return None
    try:
        return zlib.decompress(_fernet().decrypt(sealed)).decode()
    except InvalidToken:  # sealed with another SECRET_KEY
        return None


def _write(key: str, drawn: Drawn) -> None:
    sealed = _fernet().encrypt(zlib.compress(drawn.html.encode(), 1))
    valid_until = drawn.valid_until.timestamp() if drawn.valid_until else None
    try:
        default_cache.set(key, (valid_until, sealed), timeout=settings.PAGE_CACHE_SECONDS)
    except RedisError:
        logger.warning("page cache unavailable; part not kept")


@cache
def _fernet() -> Fernet:
    secret = salted_hmac("clinic.page_cache", "fernet key", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(secret))


def code_version() -> str:
    """PAGE_CACHE_VERSION when set (tests set one per test), else a hash of
    the project's code and templates, read once per process."""
    return settings.PAGE_CACHE_VERSION or _code_hash()


@cache
def _code_hash() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(_code_files(Path(settings.BASE_DIR))):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _code_files(root: Path):
    for path in root.iterdir():
        if path.is_dir():
            if path.name not in SKIPPED_DIRS and not path.name.startswith("."):
                yield from _code_files(path)
        elif path.suffix in CODE_SUFFIXES:
            yield path
