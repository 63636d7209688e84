from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from patients.models import Patient, Precautions
from patients.phones import phone_for_display
from patients.results_html import result_rows_html

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """+12125550123 -> (212) 555-0123."""
    return phone_for_display(e164) if e164 else ""


@register.simple_tag
def result_rows(patients: Iterable[Patient]) -> SafeString:
    """The search results' rows, drawn in Python (patients.results_html)."""
    return result_rows_html(patients)


@register.filter
def age(date_of_birth: dt.date) -> int:
    today = timezone.localdate()
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


@register.filter
def precaution_answers(precautions: Precautions) -> list[tuple[str, bool]]:
    """(question, answer) for every item of the checklist, in order."""
    return [
        (str(Precautions._meta.get_field(flag).verbose_name), getattr(precautions, flag))
        for flag in Precautions.FLAGS
    ]
