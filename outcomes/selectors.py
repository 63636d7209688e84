"""Per-patient outcomes: did the injections help this patient, and where?

Only signed sessions count: a draft is not yet part of the record. Units
are always kept with their product and never added across products.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import F, Sum

from followups.models import FollowUpKind, SurveyResponse
from patients.models import Patient
from procedures.models import Injection, SessionStatus, TreatmentSession

# About 2 points on the 0-10 scale is a change that matters to the patient.
MEANINGFUL_DROP = 2

SURVEY_LABELS = {
    FollowUpKind.SURVEY_2W: "2 weeks",
    FollowUpKind.SURVEY_6W: "6 weeks",
}

# PGIC as asked in the follow-up survey: 1 is the best answer, 7 the worst.
PGIC_LABELS = {
    1: "Very much improved",
    2: "Much improved",
    3: "Minimally improved",
    4: "No change",
    5: "Minimally worse",
    6: "Much worse",
    7: "Very much worse",
}


@dataclass(frozen=True)
class ProductUnits:
    product_id: int
    product: str
    unit_label: str
    units: Decimal

    def __str__(self) -> str:
        return f"{self.units.normalize():f} {self.unit_label} {self.product}"


@dataclass(frozen=True)
class SurveyAnswer:
    kind: str
    submitted_at: dt.datetime
    pain_now: int
    pgic: int
    baseline: int | None

    @property
    def label(self) -> str:
        return SURVEY_LABELS.get(self.kind, "Survey")

    @property
    def change(self) -> int | None:
        """Pain now minus the session's baseline: negative is better."""
        return None if self.baseline is None else self.pain_now - self.baseline

    @property
    def meaningful(self) -> bool:
        return self.change is not None and self.change <= -MEANINGFUL_DROP

    @property
    def pgic_label(self) -> str:
        return PGIC_LABELS.get(self.pgic, "")


@dataclass
class SessionOutcome:
    session_id: int
    number: int
    started_at: dt.datetime
    pain_before: int | None
    units: list[ProductUnits] = field(default_factory=list)
    answers: list[SurveyAnswer] = field(default_factory=list)

    @property
    def units_text(self) -> str:
        return ", ".join(str(units) for units in self.units) or "no injections"

    def answer(self, kind: str) -> SurveyAnswer | None:
        return next((a for a in self.answers if a.kind == kind), None)

    @property
    def answer_2w(self) -> SurveyAnswer | None:
        return self.answer(FollowUpKind.SURVEY_2W)

    @property
    def answer_6w(self) -> SurveyAnswer | None:
        return self.answer(FollowUpKind.SURVEY_6W)

    @property
    def answers_2w_6w(self) -> list[SurveyAnswer | None]:
        """The two survey answers the tables show, in their column order."""
        return [self.answer_2w, self.answer_6w]


def patient_session_outcomes(*, patient: Patient) -> list[SessionOutcome]:
    """The patient's signed sessions, oldest first, with units and answers.

    Two queries: sessions with their units per product, survey answers.
    """
    sessions: dict[int, SessionOutcome] = {}
    for row in _sessions_with_units_by_product(patient):
        session = sessions.get(row["id"])
        if session is None:
            session = sessions[row["id"]] = SessionOutcome(
                session_id=row["id"],
                number=len(sessions) + 1,
                started_at=row["started_at"],
                pain_before=row["pain_before"],
            )
        if row["units"] is not None:
            session.units.append(_product_units(row))
    if not sessions:
        return []
    for row in _answers(patient):
        session = sessions[row["session_id"]]
        session.answers.append(
            SurveyAnswer(
                kind=row["followup__kind"],
                submitted_at=row["submitted_at"],
                pain_now=row["pain_now"],
                pgic=row["pgic"],
                baseline=session.pain_before,
            )
        )
    return list(sessions.values())


def _sessions_with_units_by_product(patient: Patient):
    """One row per signed session and product its injections drew from (one
    row with no product and no units for a session without injections)."""
    through = "trigger_points__injections__"
    return (
        TreatmentSession.objects.filter(patient=patient, status=SessionStatus.SIGNED)
        .values(
            "id",
            "started_at",
            "pain_before",
            **{value: F(through + value) for value in _PRODUCT_VALUES},
        )
        .annotate(units=Sum(through + "units"))
        .order_by("started_at", "id", "vial__lot__product__brand_name")
    )


def _signed_injections(patient: Patient):
    return Injection.objects.filter(
        trigger_point__session__patient=patient,
        trigger_point__session__status=SessionStatus.SIGNED,
    )


_PRODUCT_VALUES = (
    "vial__lot__product_id",
    "vial__lot__product__brand_name",
    "vial__lot__product__unit_label",
)


def _product_units(row: dict) -> ProductUnits:
    return ProductUnits(
        product_id=row["vial__lot__product_id"],
        product=row["vial__lot__product__brand_name"],
        unit_label=row["vial__lot__product__unit_label"],
        units=row["units"],
    )


def _answers(patient: Patient):
    return (
        SurveyResponse.objects.filter(
            session__patient=patient, session__status=SessionStatus.SIGNED
        )
        .order_by("submitted_at", "id")
        .values("session_id", "followup__kind", "submitted_at", "pain_now", "pgic")
    )


# Per muscle -----------------------------------------------------------------


@dataclass(frozen=True)
class MuscleSession:
    session: SessionOutcome
    units: ProductUnits
    sides: list[str]


@dataclass
class MuscleOutcome:
    slug: str
    name: str
    rows: list[MuscleSession] = field(default_factory=list)

    @property
    def session_count(self) -> int:
        return len({row.session.session_id for row in self.rows})

    @property
    def meaningful_count(self) -> int:
        return sum(1 for row in self.rows if _best_answer_meaningful(row.session))


def _best_answer_meaningful(session: SessionOutcome) -> bool:
    return any(answer.meaningful for answer in session.answers)


def patient_muscle_outcomes(
    *, patient: Patient, sessions: list[SessionOutcome]
) -> list[MuscleOutcome]:
    """Per muscle: each of `sessions` that treated it, the units (per product)
    and sides, next to that session's pain change. One query."""
    by_id = {session.session_id: session for session in sessions}
    muscles: dict[str, MuscleOutcome] = {}
    rows = (
        _signed_injections(patient)
        .filter(trigger_point__session_id__in=list(by_id))
        .values(
            "trigger_point__muscle__slug",
            "trigger_point__muscle__name",
            *_PRODUCT_VALUES,
            session_id=F("trigger_point__session_id"),
        )
        .annotate(units=Sum("units"), sides=ArrayAgg("trigger_point__side", distinct=True))
        .order_by("trigger_point__muscle__name", "session_id", "vial__lot__product__brand_name")
    )
    for row in rows:
        slug = row["trigger_point__muscle__slug"]
        muscle = muscles.setdefault(
            slug, MuscleOutcome(slug=slug, name=row["trigger_point__muscle__name"])
        )
        muscle.rows.append(
            MuscleSession(
                session=by_id[row["session_id"]],
                units=_product_units(row),
                sides=sorted(row["sides"]),
            )
        )
    return list(muscles.values())


# Heat on the body map -------------------------------------------------------

HEAT_LEVELS = 5  # as static/js/body-map.js


@dataclass(frozen=True)
class HeatSpot:
    slug: str
    name: str
    side: str
    units: Decimal
    level: int


@dataclass(frozen=True)
class Heat:
    product: ProductUnits
    spots: list[HeatSpot]


def patient_muscle_heat(
    *,
    patient: Patient,
    product: ProductUnits,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
) -> Heat:
    """Units of one product per muscle and side over a period, with a shading
    level 1..5 relative to the most-injected muscle. One query."""
    injections = _signed_injections(patient).filter(vial__lot__product_id=product.product_id)
    if date_from is not None:
        injections = injections.filter(trigger_point__session__started_at__gte=date_from)
    if date_to is not None:
        injections = injections.filter(trigger_point__session__started_at__lt=date_to)
    rows = list(
        injections.values(
            "trigger_point__muscle__slug", "trigger_point__muscle__name", "trigger_point__side"
        )
        .annotate(units=Sum("units"))
        .order_by("-units", "trigger_point__muscle__name", "trigger_point__side")
    )
    most = max((row["units"] for row in rows), default=Decimal(1))
    spots = [
        HeatSpot(
            slug=row["trigger_point__muscle__slug"],
            name=row["trigger_point__muscle__name"],
            side=row["trigger_point__side"],
            units=row["units"],
            level=math.ceil(HEAT_LEVELS * row["units"] / most),
        )
        for row in rows
    ]
    return Heat(product=product, spots=spots)


def patient_products(*, sessions: list[SessionOutcome]) -> list[ProductUnits]:
    """The products the patient received, with their all-time totals, most
    recent first; no query (it reads the sessions already loaded)."""
    totals: dict[int, ProductUnits] = {}
    for session in reversed(sessions):
        for units in session.units:
            known = totals.get(units.product_id)
            total = units.units + (known.units if known else 0)
            totals[units.product_id] = ProductUnits(
                units.product_id, units.product, units.unit_label, total
            )
    return list(totals.values())
