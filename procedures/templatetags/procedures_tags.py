from __future__ import annotations

from decimal import Decimal

from django import template

from procedures.dilution import plain_number

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """12.50 -> 12.5; empty for None."""
    return "" if value is None else plain_number(value)
