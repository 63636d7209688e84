from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from procedures.dilution import plain_number
from procedures.record_html import point_rows_html

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """12.50 -> 12.5; empty for None."""
    return "" if value is None else plain_number(value)


@register.simple_tag
def record_point_rows(points: list) -> SafeString:
    """The record table's rows, drawn in Python (procedures.record_html)."""
    return point_rows_html(points)
