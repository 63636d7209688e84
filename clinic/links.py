"""Our own URLs, reversed once: `reverse()` costs about 80 µs, and a page
drew dozens of the same few (docs/performance.md). Each is kept per script
prefix, which `reverse()` puts in front."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse


def url_of(name: str) -> str:
    """A URL without arguments: the navigation and the frame drew about 25 a
    page, 2 ms of the search page."""
    return _reversed(name, get_script_prefix())


@lru_cache(maxsize=64)
def _reversed(name: str, script_prefix: str) -> str:
    return reverse(name)


# A URL with an id: reversed once per name, then each row's id put in its
# place (a busy day's calendar cards need 150 of them, about 8 ms).
_ID_MARKER = 918273645


def url_with_id(name: str, pk: int) -> str:
    head, tail = _url_around_id(name, get_script_prefix())
    return f"{head}{pk}{tail}"


@lru_cache(maxsize=16)
def _url_around_id(name: str, script_prefix: str) -> tuple[str, str]:
    """The URL before and after its id (per script prefix, which reverse() uses)."""
    head, tail = reverse(name, args=[_ID_MARKER]).split(str(_ID_MARKER))
    return head, tail
