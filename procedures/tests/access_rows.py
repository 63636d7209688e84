"""Who may open which procedures URL (see clinic/tests/access_table.py).

Clinicians document and sign; clinic admins read; the front desk gets 403 on
every procedures URL. Endpoints that only take POST are walked with GET:
the permission check answers first (403), and a permitted user gets 405.
"""

from __future__ import annotations

from typing import Any

from clinic.tests.access_table import DENIED, NOT_ALLOWED, OK, Row, roles

READ = roles(front_desk=DENIED, clinician=OK, admin=OK)
CLINICIAN_POST = roles(front_desk=DENIED, clinician=NOT_ALLOWED, admin=DENIED)
STAFF_POST = roles(front_desk=DENIED, clinician=NOT_ALLOWED, admin=NOT_ALLOWED)


def _session() -> dict[str, Any]:
    from procedures.tests.factories import TreatmentSessionFactory

    return {"pk": TreatmentSessionFactory().pk}


def _point() -> dict[str, Any]:
    from procedures.tests.factories import TriggerPointFactory

    point = TriggerPointFactory()
    return {"pk": point.session_id, "point_id": point.pk}


def _reaction() -> dict[str, Any]:
    from procedures.models import AdverseEvent
    from procedures.tests.factories import TreatmentSessionFactory

    event = AdverseEvent.objects.create(
        session=TreatmentSessionFactory(), kind="headache", severity="mild"
    )
    return {"pk": event.session_id, "event_id": event.pk}


def _appointment() -> dict[str, Any]:
    from scheduling.tests.factories import AppointmentFactory

    return {"appointment_id": AppointmentFactory().pk}


def _patient() -> dict[str, Any]:
    from patients.tests.factories import PatientFactory

    return {"patient_id": PatientFactory().pk}


def _vial() -> dict[str, Any]:
    from procedures.tests.factories import VialFactory

    return {"pk": VialFactory().pk}


ROWS: list[Row] = [
    Row("procedures:worklist", READ),
    Row("procedures:session_start", CLINICIAN_POST, _appointment),
    Row("procedures:session_walk_in", CLINICIAN_POST, _patient),
    Row("procedures:session", READ, _session),
    Row("procedures:session_print", READ, _session),
    Row("procedures:session_state", READ, _session),
    Row("procedures:session_sign", CLINICIAN_POST, _session),
    Row("procedures:amendment_add", CLINICIAN_POST, _session),
    Row("procedures:details_save", CLINICIAN_POST, _session),
    Row("procedures:point_add", CLINICIAN_POST, _session),
    Row("procedures:points_copy_last", CLINICIAN_POST, _session),
    Row("procedures:point_update", CLINICIAN_POST, _point),
    Row("procedures:point_move", CLINICIAN_POST, _point),
    Row("procedures:point_remove", CLINICIAN_POST, _point),
    Row("procedures:reaction_add", CLINICIAN_POST, _session),
    Row("procedures:reaction_remove", CLINICIAN_POST, _reaction),
    Row("procedures:patient_history", READ, _patient),
    Row("procedures:stock", READ),
    Row("procedures:lot_add", STAFF_POST),
    Row("procedures:vial_open", CLINICIAN_POST),
    Row("procedures:vial_close", CLINICIAN_POST, _vial),
    Row("procedures:recall", READ),
]
