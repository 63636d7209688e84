"""Row builders for the bulk history: one appointment, one signed session
with its points, injections, vial and follow-ups. Rows are buffered per table
and written parent first, so the signed-session lock triggers see every
point and injection arrive while its session is still a draft; the batch
then signs its sessions with one UPDATE, as the signing service would."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from bench.seeding.copy import CHECK_AS_WE_GO, ids_reserve
from bench.seeding.staff import Staff
from clinic.copy_in import rows_copy, value
from followups.models import FollowUpKind, FollowUpStatus
from followups.rechecks import SKIP_NO_CONSENT
from followups.timing import clinic_zone, local_morning

UNITS_PER_ML = Decimal(40)  # 100 U in 2.5 mL
INJECTIONS_PER_SESSION = 8
FOLLOWUP_DAYS = {
    FollowUpKind.DAY_AFTER: 1,
    FollowUpKind.SURVEY_2W: 14,
    FollowUpKind.SURVEY_6W: 42,
    FollowUpKind.RETREATMENT_REMINDER: 84,
}
FAILED_SHARE = 0.002

TABLES = {
    "scheduling_appointment": (
        "id patient_id clinician_id room_id appointment_type_id timespan status note "
        "retreatment_override_reason hours_override_reason cancel_reason walk_in "
        "booked_by_id booked_at checked_in_at updated_at"
    ),
    "procedures_vial": (
        "id lot_id opened_at opened_by_id diluent_ml volume_ml use_by units_total "
        "units_remaining closed_at closed_by_id waste_units"
    ),
    "procedures_treatmentsession": (
        "id patient_id appointment_id clinician_id product_id precautions_confirmed "
        "site_infection_checked indication icd10_code pain_before observation_minutes vitals "
        "aftercare_given aftercare_notes status started_at override_reason overridden_warnings"
    ),
    "procedures_triggerpoint": (
        "id session_id number muscle_id side view x y kind tenderness taut_band local_twitch "
        "referred_pain"
    ),
    "procedures_injection": (
        "trigger_point_id vial_id units volume_ml needle_gauge depth_mm guidance"
    ),
    "followups_followup": (
        "public_id kind patient_id session_id due_at status attempts last_error skip_reason "
        "sent_at message_id created_at updated_at"
    ),
}
UNITS_CHOICES = (Decimal("2.50"), Decimal("5.00"), Decimal("7.50"), Decimal("10.00"))


@dataclass
class SessionShape:
    """How many points a session has and how its injections spread over them."""

    injections_per_point: list[int]


@dataclass
class Batch:
    """Rows waiting to be written, per table, in parent-first order."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in TABLES})
    session_ids: list[int] = field(default_factory=list)

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(tuple(value(item) for item in row))


class HistoryWriter:
    """Builds rows with ids reserved ahead, and writes a batch in one transaction."""

    def __init__(self, *, staff: Staff, rng: random.Random, now: dt.datetime) -> None:
        self.staff = staff
        self.rng = rng
        self.now = now
        self.batch = Batch()
        self._ids: dict[str, list[int]] = {}
        self._units: list[Decimal] = []

    def appointment(
        self,
        *,
        patient_id: int,
        clinician_id: int,
        room_id: int,
        kind: str,
        start: dt.datetime,
        end: dt.datetime,
        status: str,
    ) -> int:
        appointment_id = self._next_id("scheduling_appointment")
        cancel_reason = "Patient asked to rebook" if status == "cancelled" else ""
        booked_at = start - dt.timedelta(days=self.rng.randint(1, 60))
        checked_in = (
            start - dt.timedelta(minutes=10) if status in ("completed", "arrived") else None
        )
        self.batch.add(
            "scheduling_appointment",
            (
                appointment_id,
                patient_id,
                clinician_id,
                room_id,
                self.staff.type_ids[kind],
                f"[{start.isoformat()},{end.isoformat()})",
                status,
                "",
                "",
                "",
                cancel_reason,
                False,
                self.staff.front_desk_id,
                booked_at.isoformat(),
                checked_in.isoformat() if checked_in else None,
                start.isoformat(),
            ),
        )
        return appointment_id

    def session(
        self,
        *,
        appointment_id: int,
        patient_id: int,
        clinician_id: int,
        started_at: dt.datetime,
        shape: SessionShape,
        patient_may_be_emailed: bool,
    ) -> int:
        session_id = self._next_id("procedures_treatmentsession")
        product_id = self.staff.product_ids[0 if self.rng.random() < 0.8 else -1]
        vial_id = self._vial(product_id, clinician_id, started_at, shape)
        self.batch.add(
            "procedures_treatmentsession",
            (
                session_id,
                patient_id,
                appointment_id,
                clinician_id,
                product_id,
                True,
                True,
                "Myofascial pain",
                "M79.18",
                self.rng.randint(4, 9),
                20,
                "BP 122/78, HR 72",
                True,
                "",
                "draft",
                started_at.isoformat(),
                "",
                "[]",
            ),
        )
        self.batch.session_ids.append(session_id)
        self._points(session_id, vial_id, shape)
        self._followups(session_id, patient_id, started_at, patient_may_be_emailed)
        return session_id

    def shape_random(self) -> SessionShape:
        points = self.rng.randint(3, 7)
        spread = [1] * points
        for _ in range(INJECTIONS_PER_SESSION - points):
            spread[self.rng.randrange(points)] += 1
        return SessionShape(injections_per_point=spread)

    def _vial(
        self, product_id: int, clinician_id: int, opened_at: dt.datetime, shape: SessionShape
    ) -> int:
        self._units = [
            self.rng.choice(UNITS_CHOICES) for _ in range(sum(shape.injections_per_point))
        ]
        used = sum(self._units)
        if used > 100:
            self._units = [Decimal("2.50")] * len(self._units)
            used = sum(self._units)
        vial_id = self._next_id("procedures_vial")
        lot_id = self.staff.lot_ids[(product_id, opened_at.year)]
        closed_at = opened_at + dt.timedelta(hours=2)
        left = Decimal(100) - used
        self.batch.add(
            "procedures_vial",
            (
                vial_id,
                lot_id,
                (opened_at - dt.timedelta(minutes=5)).isoformat(),
                clinician_id,
                "2.50",
                "2.50",
                (opened_at + dt.timedelta(hours=24)).isoformat(),
                "100.00",
                left,
                closed_at.isoformat(),
                clinician_id,
                left,
            ),
        )
        return vial_id

    def _points(self, session_id: int, vial_id: int, shape: SessionShape) -> None:
        units = iter(self._units)
        for number, injections in enumerate(shape.injections_per_point, start=1):
            point_id = self._next_id("procedures_triggerpoint")
            muscle = self.rng.choice(self.staff.muscles)
            side = "midline" if muscle.is_midline else self.rng.choice(("left", "right"))
            view = "front" if muscle.on_front and not muscle.on_back else "back"
            self.batch.add(
                "procedures_triggerpoint",
                (
                    point_id,
                    session_id,
                    number,
                    muscle.pk,
                    side,
                    view,
                    f"{self.rng.uniform(0.1, 0.9):.4f}",
                    f"{self.rng.uniform(0.1, 0.9):.4f}",
                    "active" if self.rng.random() < 0.7 else "latent",
                    self.rng.randint(1, 3),
                    True,
                    self.rng.random() < 0.3,
                    "",
                ),
            )
            for _ in range(injections):
                dose = next(units)
                self.batch.add(
                    "procedures_injection",
                    (
                        point_id,
                        vial_id,
                        dose,
                        f"{dose / UNITS_PER_ML:.3f}",
                        30,
                        self.rng.randint(10, 40),
                        "landmark",
                    ),
                )

    def _followups(
        self, session_id: int, patient_id: int, started_at: dt.datetime, may_email: bool
    ) -> None:
        session_day = started_at.astimezone(clinic_zone()).date()
        for kind, days in FOLLOWUP_DAYS.items():
            due = local_morning(day=session_day + dt.timedelta(days=days))
            status, attempts, error, skip, sent_at, message_id = self._outcome(kind, due, may_email)
            public_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
            self.batch.add(
                "followups_followup",
                (
                    public_id,
                    kind,
                    patient_id,
                    session_id,
                    due.isoformat(),
                    status,
                    attempts,
                    error,
                    skip,
                    sent_at,
                    message_id,
                    started_at.isoformat(),
                    (due if due < self.now else started_at).isoformat(),
                ),
            )

    def _outcome(self, kind: str, due: dt.datetime, may_email: bool) -> tuple:
        if due >= self.now:
            return FollowUpStatus.PENDING, 0, "", "", None, ""
        if not may_email:
            return FollowUpStatus.SKIPPED, 1, "", SKIP_NO_CONSENT, None, ""
        if kind == FollowUpKind.DAY_AFTER and self.rng.random() < FAILED_SHARE:
            return (
                FollowUpStatus.FAILED,
                5,
                "Gave up after 5 attempts. Last error: 451",
                "",
                None,
                "",
            )
        sent_at = (due + dt.timedelta(seconds=self.rng.randint(5, 90))).isoformat()
        return (
            FollowUpStatus.SENT,
            1,
            "",
            "",
            sent_at,
            f"<bench-{self.rng.getrandbits(64):x}@bench>",
        )

    def _next_id(self, table: str) -> int:
        ids = self._ids.setdefault(table, [0, 0])
        if ids[0] >= ids[1]:
            ids[0] = ids_reserve(table=table, count=10_000)
            ids[1] = ids[0] + 10_000
        ids[0] += 1
        return ids[0] - 1

    def flush(self) -> None:
        """Write the batch: parents first, then sign its sessions."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(CHECK_AS_WE_GO)
            for table, columns in TABLES.items():
                rows_copy(table=table, columns=columns.split(), rows=self.batch.rows[table])
            self._sign(self.batch.session_ids)
        self.batch = Batch()

    @staticmethod
    def _sign(session_ids: list[int]) -> None:
        if not session_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE procedures_treatmentsession SET status = 'signed', "
                "signed_at = started_at + interval '35 minutes', signed_by_id = clinician_id "
                "WHERE id = ANY(%s)",
                [session_ids],
            )
