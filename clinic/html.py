"""Markup written in Python, for the long loops of a few pages (the outcome
chart and tables, the session record's points) where the template engine
cost tens of milliseconds (docs/performance.md).

`html` is Django's `format_html` without its checks for lazy strings (a
third of its time in these loops): every value is escaped like a template
variable unless it is already safe markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from django.utils.safestring import SafeData, SafeString, mark_safe


def escaped(value: object) -> str:
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def html(template: str, *args: object, **kwargs: object) -> SafeString:
    """The template's markup with every value escaped, as `format_html`."""
    return mark_safe(  # noqa: S308 (every value is escaped)
        template.format(
            *map(escaped, args), **{name: escaped(value) for name, value in kwargs.items()}
        )
    )


def html_join(items: Iterable, draw: Callable[..., SafeString]) -> SafeString:
    """Each item drawn (as safe markup), one after the other."""
    return mark_safe("".join(draw(item) for item in items))  # noqa: S308 (each part is drawn safe)
