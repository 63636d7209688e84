"""The lists behind the dashboard's figures.

Each list is a query over the same range the figure counted, plus the
figure's own filter (a week, a product, a status, a kind), and the cells
each row shows. Every list page runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from followups.models import FollowUpKind, FollowUpStatus
from outcomes import dashboard as figures
from outcomes import rollup
from outcomes.dashboard import DateRange
from procedures.models import AdverseEvent
from scheduling.models import AppointmentStatus

OVERDUE = "overdue"
SURVEYS = "surveys"


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""


@dataclass(frozen=True)
class OutcomeList:
    slug: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[[DateRange, dict[str, Any]], QuerySet]
    cells: Callable[[Any], list[Cell]]


def _when(moment: dt.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j M Y H:i") if moment else ""


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def _patient_cells(patient: Any) -> list[Cell]:
    url = reverse("outcomes:patient", kwargs={"patient_id": patient.pk})
    return [Cell(f"{patient.last_name}, {patient.first_name}", url), Cell(patient.mrn)]


def _units(value: Any, unit_label: str) -> str:
    return "" if value is None else f"{value.normalize():f} {unit_label}"


# Sessions -------------------------------------------------------------------


def _sessions(period: DateRange, filters: dict[str, Any]) -> QuerySet:
    sessions = figures.signed_sessions_in(period).select_related("patient", "clinician", "product")
    if filters.get("week"):
        week = DateRange(filters["week"], filters["week"] + dt.timedelta(days=6))
        sessions = sessions.filter(started_at__gte=week.start, started_at__lt=week.end)
    product = F("product_id")
    if filters.get("product"):
        product = filters["product"]
        sessions = sessions.filter(
            trigger_points__injections__vial__lot__product_id=product
        ).distinct()
    return sessions.annotate(
        units=Sum(
            "trigger_points__injections__units",
            filter=Q(trigger_points__injections__vial__lot__product_id=product),
        )
    ).order_by("-started_at", "-id")


def _session_cells(session: Any) -> list[Cell]:
    product = session.product
    return [
        Cell(_when(session.started_at)),
        *_patient_cells(session.patient),
        Cell(session.clinician.signature_name),
        Cell(product.brand_name if product else ""),
        Cell(_units(session.units, product.unit_label if product else "")),
        Cell("" if session.pain_before is None else str(session.pain_before)),
    ]


# Vials ----------------------------------------------------------------------


def _vials(period: DateRange, filters: dict[str, Any]) -> QuerySet:
    vials = figures.vials_in(period).select_related("lot__product", "opened_by")
    if filters.get("product"):
        vials = vials.filter(lot__product_id=filters["product"])
    return vials.order_by("-opened_at", "-id")


def _vial_cells(vial: Any) -> list[Cell]:
    label = vial.lot.product.unit_label
    return [
        Cell(_when(vial.opened_at)),
        Cell(vial.lot.product.brand_name),
        Cell(vial.lot.lot_number),
        Cell(_units(vial.units_total, label)),
        Cell(_units(vial.units_remaining, label)),
        Cell(_when(vial.closed_at) or "open"),
        Cell(_units(vial.waste_units, label)),
        Cell(vial.opened_by.signature_name),
    ]


# Appointments ---------------------------------------------------------------


def _appointments(period: DateRange, filters: dict[str, Any]) -> QuerySet:
    appointments = figures.appointments_in(period).select_related(
        "patient", "clinician", "appointment_type"
    )
    if filters.get("status"):
        appointments = appointments.filter(status=filters["status"])
    return appointments.order_by("-timespan", "-id")


def _appointment_cells(appointment: Any) -> list[Cell]:
    return [
        Cell(_when(appointment.starts_at)),
        *_patient_cells(appointment.patient),
        Cell(appointment.appointment_type.name),
        Cell(appointment.clinician.signature_name),
        Cell(appointment.get_status_display()),
    ]


# Follow-ups -----------------------------------------------------------------


def _followups(period: DateRange, filters: dict[str, Any]) -> QuerySet:
    followups = figures.followups_in(period).select_related("patient")
    status = filters.get("status")
    if status == OVERDUE:
        followups = followups.filter(figures.overdue_q())
    elif status:
        followups = followups.filter(status=status)
    kind = filters.get("kind")
    if kind == SURVEYS:
        followups = followups.filter(kind__in=rollup.SURVEY_KINDS)
    elif kind:
        followups = followups.filter(kind=kind)
    return followups.order_by("-due_at", "-id")


def _followup_cells(followup: Any) -> list[Cell]:
    return [
        Cell(_when(followup.due_at)),
        Cell(followup.get_kind_display()),
        *_patient_cells(followup.patient),
        Cell(followup.get_status_display()),
        Cell(str(followup.attempts)),
        Cell(_when(followup.sent_at)),
    ]


# Survey answers -------------------------------------------------------------


def _answers(period: DateRange, filters: dict[str, Any]) -> QuerySet:
    answers = figures.survey_answers_in(period).select_related("patient", "session", "followup")
    if filters.get("kind"):
        answers = answers.filter(followup__kind=filters["kind"])
    if filters.get("meaningful"):
        answers = answers.filter(rollup.meaningful_q())
    return answers.order_by("-submitted_at", "-id")


def _answer_cells(answer: Any) -> list[Cell]:
    before = answer.session.pain_before
    change = "" if before is None else f"{answer.pain_now - before:+d}"
    meaningful = before is not None and before - answer.pain_now >= rollup.MEANINGFUL_DROP
    return [
        Cell(_when(answer.submitted_at)),
        *_patient_cells(answer.patient),
        Cell(_day(answer.session.started_at)),
        Cell(answer.followup.get_kind_display()),
        Cell("" if before is None else str(before)),
        Cell(str(answer.pain_now)),
        Cell(change),
        Cell(str(answer.pgic)),
        Cell("Yes" if meaningful else "No"),
    ]


# Adverse events -------------------------------------------------------------


def _adverse_events(period: DateRange, filters: dict[str, Any]) -> QuerySet:
    events = figures.adverse_events_in(period).select_related("session__patient")
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    return events.order_by("-session__started_at", "-id")


def _adverse_event_cells(event: AdverseEvent) -> list[Cell]:
    return [
        Cell(_day(event.session.started_at)),
        *_patient_cells(event.session.patient),
        Cell(event.get_kind_display()),
        Cell(event.get_severity_display()),
        Cell(event.get_source_display()),
    ]


PATIENT = ("Patient", "MRN")
LISTS: dict[str, OutcomeList] = {
    spec.slug: spec
    for spec in (
        OutcomeList(
            "sessions",
            "Signed sessions",
            ("Started", *PATIENT, "Clinician", "Product", "Units", "Pain before"),
            _sessions,
            _session_cells,
        ),
        OutcomeList(
            "vials",
            "Vials opened",
            ("Opened", "Product", "Lot", "Units", "Left", "Closed", "Waste", "Opened by"),
            _vials,
            _vial_cells,
        ),
        OutcomeList(
            "appointments",
            "Past appointments",
            ("Start", *PATIENT, "Type", "Clinician", "Status"),
            _appointments,
            _appointment_cells,
        ),
        OutcomeList(
            "followups",
            "Follow-ups",
            ("Due", "Kind", *PATIENT, "Status", "Attempts", "Sent"),
            _followups,
            _followup_cells,
        ),
        OutcomeList(
            "answers",
            "Survey answers",
            (
                "Answered",
                *PATIENT,
                "Session",
                "Survey",
                "Pain before",
                "Pain now",
                "Change",
                "PGIC",
                "Meaningful",
            ),
            _answers,
            _answer_cells,
        ),
        OutcomeList(
            "adverse-events",
            "Adverse events",
            ("Session", *PATIENT, "Kind", "Severity", "Source"),
            _adverse_events,
            _adverse_event_cells,
        ),
    )
}

# What each filter value may be, so a hand-edited URL gets a clear message.
ALLOWED = {
    "status": {*FollowUpStatus.values, OVERDUE, *AppointmentStatus.values},
    "kind": {*FollowUpKind.values, SURVEYS, *AdverseEvent.Kind.values},
}


FILTER_LABELS = {
    **dict(FollowUpStatus.choices),
    **dict(AppointmentStatus.choices),
    **dict(FollowUpKind.choices),
    **dict(AdverseEvent.Kind.choices),
    OVERDUE: "Overdue",
    SURVEYS: "2- and 6-week surveys",
}


def filters_described(filters: dict[str, Any]) -> list[str]:
    """The list's own filters in words, to show above it."""
    described = [FILTER_LABELS[filters[key]] for key in ("status", "kind") if filters.get(key)]
    if filters.get("week"):
        described.append(f"week of {date_format(filters['week'], 'j M Y')}")
    if filters.get("product"):
        described.append("one product")
    if filters.get("meaningful"):
        described.append("meaningful responses")
    return described


def list_url(slug: str, period: DateRange, **filters: Any) -> str:
    query = {"date_from": period.first.isoformat(), "date_to": period.last.isoformat()}
    query.update({key: value for key, value in filters.items() if value not in (None, "")})
    return f"{reverse(f'outcomes:list-{slug}')}?{urlencode(query)}"
