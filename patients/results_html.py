"""The search results' rows, drawn in Python (clinic.html): the template
engine spent about 5 ms on 25 rows, a third of the search page
(docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString

from clinic.html import html, html_join
from clinic.links import url_with_id
from patients.models import Patient
from patients.phones import phone_for_display

ROW = (
    '<tr><td><a href="{url}">{last}, {first}</a>{preferred}{archived}</td>'
    '<td>{mrn}</td><td>{born}</td><td class="text-nowrap">{phone}</td><td>{email}</td></tr>'
)
PREFERRED = ' <span class="text-body-secondary">(“{}”)</span>'
ARCHIVED = ' <span class="badge text-bg-secondary">Archived</span>'


def result_rows_html(patients: Iterable[Patient]) -> SafeString:
    return html_join(patients, _row)


def _row(patient: Patient) -> SafeString:
    return html(
        ROW,
        url=url_with_id("patients:chart", patient.pk),
        last=patient.last_name,
        first=patient.first_name,
        preferred=html(PREFERRED, patient.preferred_name) if patient.preferred_name else "",
        archived=html(ARCHIVED) if patient.is_archived else "",
        mrn=patient.mrn,
        born=patient.date_of_birth.strftime("%m/%d/%Y"),
        phone=phone_for_display(patient.phone) if patient.phone else "",
        email=patient.email,
    )
