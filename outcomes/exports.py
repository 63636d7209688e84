"""CSV exports for a date range, identified or de-identified, streamed.

De-identified files carry no names, no MRNs (a stable pseudonym instead),
no birth dates (age at the session, 90 and over as "90+"), and every date
shifted by a per-patient number of days that the secret key decides, so
intervals within one patient stay true. Lot numbers are left out too: the
weeks a lot was in use would give the real dates back.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from followups.models import FollowUpKind, SurveyResponse
from outcomes.dashboard import DateRange, injections_in, signed_sessions_in
from outcomes.selectors import MEANINGFUL_DROP
from procedures.models import AdverseEvent, Injection

MAX_SHIFT_DAYS = 182
OLDEST_AGE = 90
CHUNK_SIZE = 500


def _digest(purpose: str, value: int) -> str:
    return salted_hmac(f"outcomes.export.{purpose}", str(value), algorithm="sha256").hexdigest()


def pseudonym(*, prefix: str, value: int) -> str:
    """A stable stand-in for an id: the same id gives the same pseudonym in
    every export made with the same SECRET_KEY."""
    return f"{prefix}-{_digest(prefix, value)[:12].upper()}"


def date_shift_days(*, patient_id: int) -> int:
    """Days to move every date of one patient: never zero, at most half a year."""
    offset = int(_digest("date-shift", patient_id)[:8], 16) % (2 * MAX_SHIFT_DAYS)
    return offset - MAX_SHIFT_DAYS if offset < MAX_SHIFT_DAYS else offset - MAX_SHIFT_DAYS + 1


def age_on(*, birth: dt.date, day: dt.date) -> str:
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return f"{OLDEST_AGE}+" if age >= OLDEST_AGE else str(age)


def _shifted(moment: dt.datetime, patient_id: int) -> str:
    day = timezone.localtime(moment).date()
    return (day + dt.timedelta(days=date_shift_days(patient_id=patient_id))).isoformat()


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# Spreadsheet programs run cells that start with these as formulas.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], Any]


@dataclass(frozen=True)
class Export:
    slug: str
    identified: list[Column]
    deidentified: list[Column]
    rows: Callable[[DateRange], Iterable[dict]]

    def columns(self, *, deidentified: bool) -> list[Column]:
        return self.deidentified if deidentified else self.identified


class _Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(*, export: Export, period: DateRange, deidentified: bool) -> Iterator[str]:
    """The CSV, one line at a time, reading the database in chunks."""
    writer = csv.writer(_Echo())
    columns = export.columns(deidentified=deidentified)
    yield writer.writerow([column.header for column in columns])
    for row in export.rows(period):
        yield writer.writerow([_safe(column.value(row)) for column in columns])


# Sessions with injections, one row per injection ------------------------------


def _injection_rows(period: DateRange) -> Iterable[dict]:
    return (
        injections_in(period)
        .order_by("trigger_point__session__started_at", "trigger_point__session_id", "id")
        .values(
            "id",
            "units",
            "volume_ml",
            "needle_gauge",
            "depth_mm",
            "guidance",
            "trigger_point__number",
            "trigger_point__side",
            "trigger_point__muscle__name",
            "trigger_point__session_id",
            "trigger_point__session__started_at",
            "trigger_point__session__pain_before",
            "trigger_point__session__clinician_id",
            "trigger_point__session__clinician__first_name",
            "trigger_point__session__clinician__last_name",
            "trigger_point__session__patient_id",
            "trigger_point__session__patient__mrn",
            "trigger_point__session__patient__first_name",
            "trigger_point__session__patient__last_name",
            "trigger_point__session__patient__date_of_birth",
            "vial__lot__lot_number",
            "vial__lot__expires_on",
            "vial__lot__product__brand_name",
            "vial__lot__product__generic_name",
            "vial__lot__product__unit_label",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


_S = "trigger_point__session__"
_INJECTION_COMMON = [
    Column("product", lambda r: r["vial__lot__product__brand_name"]),
    Column("generic_name", lambda r: r["vial__lot__product__generic_name"]),
    Column("muscle", lambda r: r["trigger_point__muscle__name"]),
    Column("side", lambda r: r["trigger_point__side"]),
    Column("point_number", lambda r: r["trigger_point__number"]),
    Column("units", lambda r: r["units"]),
    Column("unit_label", lambda r: r["vial__lot__product__unit_label"]),
    Column("volume_ml", lambda r: r["volume_ml"]),
    Column("needle_gauge", lambda r: r["needle_gauge"]),
    Column("depth_mm", lambda r: r["depth_mm"]),
    Column("guidance", lambda r: r["guidance"]),
    Column("pain_before", lambda r: r[f"{_S}pain_before"]),
]

INJECTIONS = Export(
    slug="injections",
    identified=[
        Column("mrn", lambda r: r[f"{_S}patient__mrn"]),
        Column("last_name", lambda r: r[f"{_S}patient__last_name"]),
        Column("first_name", lambda r: r[f"{_S}patient__first_name"]),
        Column("date_of_birth", lambda r: r[f"{_S}patient__date_of_birth"]),
        Column("session_id", lambda r: r["trigger_point__session_id"]),
        Column("session_started", lambda r: _local(r[f"{_S}started_at"])),
        Column(
            "clinician",
            lambda r: f"{r[f'{_S}clinician__first_name']} {r[f'{_S}clinician__last_name']}",
        ),
        Column("lot", lambda r: r["vial__lot__lot_number"]),
        Column("lot_expires", lambda r: r["vial__lot__expires_on"]),
        *_INJECTION_COMMON,
    ],
    deidentified=[
        Column("patient", lambda r: pseudonym(prefix="P", value=r[f"{_S}patient_id"])),
        Column(
            "age_at_session",
            lambda r: age_on(
                birth=r[f"{_S}patient__date_of_birth"],
                day=timezone.localtime(r[f"{_S}started_at"]).date(),
            ),
        ),
        Column("session", lambda r: pseudonym(prefix="S", value=r["trigger_point__session_id"])),
        Column("session_date", lambda r: _shifted(r[f"{_S}started_at"], r[f"{_S}patient_id"])),
        Column("clinician", lambda r: pseudonym(prefix="C", value=r[f"{_S}clinician_id"])),
        *_INJECTION_COMMON,
    ],
    rows=_injection_rows,
)


# Outcomes, one row per signed session -----------------------------------------


def _answer(kind: str, field: str) -> Subquery:
    return Subquery(
        SurveyResponse.objects.filter(session=OuterRef("pk"), followup__kind=kind).values(field)[:1]
    )


def _outcome_rows(period: DateRange) -> Iterable[dict]:
    # Subqueries, not joins: joining injections and answers at once would
    # multiply the rows and the sums.
    units = (
        Injection.objects.filter(
            trigger_point__session=OuterRef("pk"), vial__lot__product=OuterRef("product")
        )
        .values("trigger_point__session")
        .annotate(total=Sum("units"))
        .values("total")
    )
    adverse_events = (
        AdverseEvent.objects.filter(session=OuterRef("pk"))
        .values("session")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        signed_sessions_in(period)
        .annotate(
            units=Subquery(units),
            pain_2w=_answer(FollowUpKind.SURVEY_2W, "pain_now"),
            pgic_2w=_answer(FollowUpKind.SURVEY_2W, "pgic"),
            pain_6w=_answer(FollowUpKind.SURVEY_6W, "pain_now"),
            pgic_6w=_answer(FollowUpKind.SURVEY_6W, "pgic"),
            adverse_event_count=Subquery(adverse_events),
        )
        .order_by("started_at", "id")
        .values(
            "id",
            "started_at",
            "pain_before",
            "units",
            "pain_2w",
            "pgic_2w",
            "pain_6w",
            "pgic_6w",
            "adverse_event_count",
            "clinician_id",
            "patient_id",
            "patient__mrn",
            "patient__first_name",
            "patient__last_name",
            "patient__date_of_birth",
            "product__brand_name",
            "product__unit_label",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _change(row: dict, pain_key: str) -> int | str:
    if row["pain_before"] is None or row[pain_key] is None:
        return ""
    return row[pain_key] - row["pain_before"]


def _meaningful(row: dict, pain_key: str) -> str:
    change = _change(row, pain_key)
    if change == "":
        return ""
    return "yes" if change <= -MEANINGFUL_DROP else "no"


_OUTCOME_COMMON = [
    Column("product", lambda r: r["product__brand_name"]),
    Column("units", lambda r: r["units"]),
    Column("unit_label", lambda r: r["product__unit_label"]),
    Column("pain_before", lambda r: r["pain_before"]),
    Column("pain_2w", lambda r: r["pain_2w"]),
    Column("change_2w", lambda r: _change(r, "pain_2w")),
    Column("meaningful_2w", lambda r: _meaningful(r, "pain_2w")),
    Column("pgic_2w", lambda r: r["pgic_2w"]),
    Column("pain_6w", lambda r: r["pain_6w"]),
    Column("change_6w", lambda r: _change(r, "pain_6w")),
    Column("meaningful_6w", lambda r: _meaningful(r, "pain_6w")),
    Column("pgic_6w", lambda r: r["pgic_6w"]),
    Column("adverse_events", lambda r: r["adverse_event_count"] or 0),
]

OUTCOMES = Export(
    slug="outcomes",
    identified=[
        Column("mrn", lambda r: r["patient__mrn"]),
        Column("last_name", lambda r: r["patient__last_name"]),
        Column("first_name", lambda r: r["patient__first_name"]),
        Column("date_of_birth", lambda r: r["patient__date_of_birth"]),
        Column("session_id", lambda r: r["id"]),
        Column("session_started", lambda r: _local(r["started_at"])),
        *_OUTCOME_COMMON,
    ],
    deidentified=[
        Column("patient", lambda r: pseudonym(prefix="P", value=r["patient_id"])),
        Column(
            "age_at_session",
            lambda r: age_on(
                birth=r["patient__date_of_birth"], day=timezone.localtime(r["started_at"]).date()
            ),
        ),
        Column("session", lambda r: pseudonym(prefix="S", value=r["id"])),
        Column("session_date", lambda r: _shifted(r["started_at"], r["patient_id"])),
        Column("clinician", lambda r: pseudonym(prefix="C", value=r["clinician_id"])),
        *_OUTCOME_COMMON,
    ],
    rows=_outcome_rows,
)

EXPORTS = {export.slug: export for export in (INJECTIONS, OUTCOMES)}
