"""The audit page: the access log, filtered by record, user, action and dates."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.access import requires
from clinic.forms import AuditFilterForm
from clinic.models import AccessEvent
from clinic.selectors import access_events_filtered
from patients.selectors import patient_mrns

EVENTS_PER_PAGE = 50


@requires("clinic.view_audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = access_events_filtered(**form.cleaned_data) if form.is_valid() else _all_or_none(form)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    mrns = patient_mrns({event.patient_id for event in page if event.patient_id})
    rows = [(event, mrns.get(event.patient_id)) for event in page]
    return render(
        request,
        "clinic/audit/log.html",
        {"form": form, "page": page, "rows": rows, "filter_query": query.urlencode()},
    )


def _all_or_none(form: AuditFilterForm):
    """No filter: everything; a filter with errors: nothing, with the errors shown."""
    return AccessEvent.objects.none() if form.is_bound else access_events_filtered()
