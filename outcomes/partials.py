"""The context the per-patient outcome partials need, for any page that shows them.

The patient chart shows `outcomes/_chart_pain.html` and
`outcomes/_chart_muscles.html` with `patient_recent_outcome_summary` (css/outcomes.css);
the outcomes page adds `outcomes/_heat_map.html` (css/body-map.css) with
`patient_outcomes_context`. A fixed number of queries whatever the size of
the record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict

from outcomes import charts
from outcomes.forms import HeatForm
from outcomes.heatmap import VIEWS, heat_svg
from outcomes.rollup import local_midnight
from outcomes.selectors import (
    HEAT_LEVELS,
    ProductUnits,
    patient_muscle_heat,
    patient_muscle_outcomes,
    patient_products,
    patient_session_outcomes,
)
from patients.models import Patient

# The patient chart shows the outcomes of this many of the newest signed
# sessions; the outcomes page shows them all.
CHART_RECENT_SESSIONS = 10


def patient_outcome_summary(*, patient: Patient, recent: int | None = None) -> dict[str, Any]:
    """The pain chart and the per-muscle table of every signed session, or with
    `recent` of the newest only (numbered as among all), and how many there are."""
    every_session = patient_session_outcomes(patient=patient)
    sessions = every_session[-recent:] if recent else every_session
    return {
        "sessions": sessions,
        "session_count": len(every_session),
        "pain_chart": charts.pain_chart_build(sessions=sessions),
        "muscles": patient_muscle_outcomes(patient=patient, sessions=sessions),
    }


def patient_recent_outcome_summary(*, patient: Patient) -> dict[str, Any]:
    """The summary for the patient's chart page."""
    return patient_outcome_summary(patient=patient, recent=CHART_RECENT_SESSIONS)


def patient_outcomes_context(*, patient: Patient, query: QueryDict | None = None) -> dict[str, Any]:
    """The summary plus the heat view. `query` carries the heat view's period
    and product (heat_from, heat_to, heat_product); without it the heat
    covers every session of the most recent product."""
    summary = patient_outcome_summary(patient=patient)
    products = patient_products(sessions=summary["sessions"])
    heat_form = HeatForm(query or None, products=products)
    return {
        **summary,
        "heat_form": heat_form,
        "heat": _heat(patient, products, heat_form),
        "heat_levels": range(1, HEAT_LEVELS + 1),
    }


def _heat(patient: Patient, products: list[ProductUnits], form: HeatForm) -> dict | None:
    if not products or (form.is_bound and not form.is_valid()):
        return None
    cleaned = form.cleaned_data if form.is_bound else {}
    product_id = cleaned.get("heat_product") or products[0].product_id
    product = next(p for p in products if p.product_id == product_id)
    first, last = cleaned.get("heat_from"), cleaned.get("heat_to")
    heat = patient_muscle_heat(
        patient=patient,
        product=product,
        date_from=local_midnight(first) if first else None,
        date_to=local_midnight(last + dt.timedelta(days=1)) if last else None,
    )
    return {"heat": heat, "views": [heat_svg(view=view, heat=heat) for view in VIEWS]}
