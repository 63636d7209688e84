from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from clinic.access import requires
from clinic.audit import Action, AuditTarget, access_log_write
from clinic.page_cache import Drawn, cached_part, next_minute
from clinic.revisions import DASHBOARD, FOLLOWUPS, REFERENCE, WHOLE, revisions
from outcomes import charts
from outcomes.dashboard import DateRange, dashboard_figures, date_range_default
from outcomes.exports import EXPORTS, csv_lines
from outcomes.forms import DateRangeForm, ExportForm, ListFilterForm
from outcomes.lists import LISTS, OutcomeList, filters_described, list_url
from outcomes.partials import patient_outcomes_context
from patients.models import Patient
from procedures.models import AdverseEvent

LIST_PAGE_SIZE = 50


@requires("outcomes.view_patient_outcomes")
def patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    access_log_write(request=request, action=Action.VIEWED, target=patient)
    context = patient_outcomes_context(patient=patient, query=request.GET)
    return render(request, "outcomes/patient.html", {"patient": patient, **context})


@requires("outcomes.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    # Any write that moves a figure notes a change (outcomes 0003), which
    # raises the dashboard's revision; follow-ups' for the overdue count.
    depends_on = revisions([(DASHBOARD, WHOLE), (FOLLOWUPS, WHOLE), (REFERENCE, WHOLE)])
    content = cached_part(
        request,
        name="dashboard",
        depends_on=depends_on,
        draw=lambda extra: _dashboard(request, extra),
    )
    return render(request, "outcomes/dashboard.html", {"content": content})


def _dashboard(request: HttpRequest, extra: dict[str, Any]) -> Drawn:
    """Drawn again each minute: what counts as overdue moves with the clock."""
    form = DateRangeForm(request.GET or None)
    period = _period(form)
    context = {"form": form, "export_form": ExportForm()}
    if period is not None:
        figures = dashboard_figures(period=period)
        weeks = [
            (week, count, list_url("sessions", period, week=week.isoformat()))
            for week, count in figures.sessions_per_week
        ]
        context |= {
            "figures": figures,
            "weekly": charts.weekly_bars_build(weeks=weeks),
            "links": _dashboard_links(period),
            "adverse_events": [
                {
                    "label": AdverseEvent.Kind(row["kind"]).label,
                    "count": row["count"],
                    "url": list_url("adverse-events", period, kind=row["kind"]),
                }
                for row in figures.adverse_events
            ],
        }
    html = render_to_string("outcomes/_dashboard_content.html", {**context, **extra}, request)
    return Drawn(html, valid_until=next_minute())


def _period(form: DateRangeForm) -> DateRange | None:
    if not form.is_bound:
        return date_range_default()
    return form.cleaned_data["period"] if form.is_valid() else None


def _dashboard_links(period: DateRange) -> dict[str, str]:
    return {
        "sessions": list_url("sessions", period),
        "vials": list_url("vials", period),
        "appointments": list_url("appointments", period),
        "no_show": list_url("appointments", period, status="no_show"),
        "sent": list_url("followups", period, status="sent"),
        "failed": list_url("followups", period, status="failed"),
        "overdue": list_url("followups", period, status="overdue"),
        "surveys_sent": list_url("followups", period, status="sent", kind="surveys"),
        "answers": list_url("answers", period),
        "answers_2w": list_url("answers", period, kind="survey_2w"),
        "meaningful_2w": list_url("answers", period, kind="survey_2w", meaningful="on"),
        "answers_6w": list_url("answers", period, kind="survey_6w"),
        "meaningful_6w": list_url("answers", period, kind="survey_6w", meaningful="on"),
        "adverse_events": list_url("adverse-events", period),
    }


def _list_view(spec: OutcomeList):
    @requires("outcomes.view_dashboard")
    def view(request: HttpRequest) -> HttpResponse:
        form = ListFilterForm(request.GET or None)
        period = _period(form)
        context = {"spec": spec, "form": form, "period": period}
        if period is not None:
            filters = form.cleaned_data if form.is_bound else {}
            page = Paginator(spec.rows(period, filters), LIST_PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            context |= {
                "page": page,
                "rows": [spec.cells(item) for item in page],
                "filters": filters_described(filters),
            }
        return render(request, "outcomes/list.html", context)

    view.__name__ = f"list_{spec.slug.replace('-', '_')}"
    return view


list_views = {slug: _list_view(spec) for slug, spec in LISTS.items()}


def _export_view(slug: str):
    export = EXPORTS[slug]

    @requires("outcomes.export_outcomes")
    def view(request: HttpRequest) -> HttpResponse:
        form = ExportForm(request.GET or None)
        period = _period(form)
        if period is None:
            return render(request, "outcomes/export_invalid.html", {"form": form}, status=400)
        deidentified = form.is_bound and form.cleaned_data["deidentified"]
        kind = f"outcomes.export.{slug}" + (".deidentified" if deidentified else "")
        access_log_write(
            request=request,
            action=Action.EXPORTED,
            target=AuditTarget(kind, f"{period.first.isoformat()}/{period.last.isoformat()}"),
        )
        response = StreamingHttpResponse(
            csv_lines(export=export, period=period, deidentified=deidentified),
            content_type="text/csv; charset=utf-8",
        )
        suffix = "-deidentified" if deidentified else ""
        response["Content-Disposition"] = (
            f'attachment; filename="{slug}-{period.first}-{period.last}{suffix}.csv"'
        )
        response["Cache-Control"] = "no-store"
        return response

    view.__name__ = f"export_{slug}"
    return view


export_views = {slug: _export_view(slug) for slug in EXPORTS}
