"""Toxin products and stock, the muscle catalogue, and the session record.

Units of different toxin products are never interchangeable: every unit is
stored with its product (through the vial's lot), and limits belong to the
product.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from clinic.history import track_history
from procedures.dilution import units_per_tenth_ml

UNITS = {"max_digits": 8, "decimal_places": 2}


@track_history()
class Product(models.Model):
    """A botulinum toxin product (one generic, one brand), with its label limits.

    Vial sizes are presentations of the same product: Botox 100 U and 200 U
    vials share one rolling-window limit, so the size lives on the lot.
    """

    brand_name = models.CharField(max_length=50, unique=True)
    generic_name = models.CharField(max_length=50, unique=True)
    vial_sizes = ArrayField(
        models.PositiveIntegerField(), help_text="Units per vial, e.g. 100, 200."
    )
    unit_label = models.CharField(max_length=20, default="U")
    max_units_per_site = models.DecimalField(**UNITS, null=True, blank=True)
    max_units_per_session = models.DecimalField(**UNITS, null=True, blank=True)
    max_units_per_window = models.DecimalField(**UNITS, null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(null=True, blank=True)
    reconstituted_use_hours = models.PositiveSmallIntegerField(
        help_text="Hours a reconstituted (or opened) vial may be used."
    )
    min_retreatment_days = models.PositiveSmallIntegerField(default=84)
    solution_units_per_ml = models.DecimalField(
        **UNITS,
        null=True,
        blank=True,
        help_text="For a ready-to-use solution (Myobloc: 5000); empty for a powder.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["brand_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_units_per_window__isnull=True) | Q(window_days__isnull=False),
                name="product_window_has_length",
            ),
            models.CheckConstraint(
                condition=Q(solution_units_per_ml__isnull=True) | Q(solution_units_per_ml__gt=0),
                name="product_solution_strength_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand_name} ({self.generic_name})"

    @property
    def is_solution(self) -> bool:
        return self.solution_units_per_ml is not None


@track_history()
class Lot(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    units_per_vial = models.PositiveIntegerField()
    expires_on = models.DateField()
    vials_received = models.PositiveIntegerField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "lot_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot_number"], name="lot_unique_per_product"
            ),
            models.CheckConstraint(
                condition=Q(vials_received__gt=0), name="lot_vials_received_positive"
            ),
        ]
        indexes = [models.Index(fields=["lot_number"], name="lot_number")]

    def __str__(self) -> str:
        return f"{self.product.brand_name} lot {self.lot_number}"


@track_history()
class Vial(models.Model):
    """One opened (reconstituted) vial. Units drawn are deducted from
    `units_remaining`, which the database keeps between 0 and the total.

    `volume_ml` is the solution in the vial: the saline added to a powder,
    or a ready-to-use solution's own volume plus any saline added to it.
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="vials")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    diluent_ml = models.DecimalField("saline added (mL)", max_digits=5, decimal_places=2)
    volume_ml = models.DecimalField("solution volume (mL)", max_digits=5, decimal_places=2)
    use_by = models.DateTimeField(help_text="Opened time plus the product's hours of use.")
    units_total = models.DecimalField(**UNITS)
    units_remaining = models.DecimalField(**UNITS)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    waste_units = models.DecimalField(**UNITS, null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["opened_at"], name="vial_opened")]
        constraints = [
            models.CheckConstraint(
                condition=Q(diluent_ml__gte=0), name="vial_diluent_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(volume_ml__gt=0, volume_ml__gte=F("diluent_ml")),
                name="vial_volume_holds_the_diluent",
            ),
            models.CheckConstraint(
                condition=Q(units_remaining__gte=0, units_remaining__lte=F("units_total")),
                name="vial_units_remaining_in_range",
            ),
            models.CheckConstraint(
                condition=Q(use_by__gt=F("opened_at")), name="vial_use_by_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, waste_units__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False, waste_units__gte=0),
                name="vial_closing_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Vial {self.pk} of {self.lot}"

    @property
    def units_per_ml(self) -> Decimal:
        return self.units_total / self.volume_ml

    @property
    def units_per_tenth_ml(self) -> Decimal:
        return units_per_tenth_ml(units=self.units_total, volume_ml=self.volume_ml)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Muscle(models.Model):
    """The seeded catalogue of muscles that carry myofascial trigger points."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=40)
    on_front = models.BooleanField(default=False)
    on_back = models.BooleanField(default=False)
    drawn = models.BooleanField(
        default=True, help_text="False when the body map has no shape of its own for it."
    )
    is_midline = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


@track_history()
class TreatmentSession(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="sessions"
    )
    appointment = models.OneToOneField(
        "scheduling.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treatment_session",
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    consent = models.ForeignKey(
        "patients.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    precautions_confirmed = models.BooleanField(default=False)
    site_infection_checked = models.BooleanField(
        "no infection at the injection sites", default=False
    )
    indication = models.CharField(max_length=200, default="Myofascial pain")
    icd10_code = models.CharField("ICD-10 code", max_length=8, blank=True)
    pain_before = models.PositiveSmallIntegerField("pain before (NRS 0-10)", null=True, blank=True)
    observation_minutes = models.PositiveSmallIntegerField(default=15)
    vitals = models.CharField(max_length=200, blank=True)
    aftercare_given = models.BooleanField(default=False)
    aftercare_notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    started_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    overridden_warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__isnull=True) | Q(pain_before__lte=10),
                name="session_pain_before_0_to_10",
            ),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.SIGNED)
                | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="session_signed_has_signer",
            ),
            models.CheckConstraint(
                condition=Q(observation_minutes__lte=240),
                name="session_observation_up_to_4_hours",
            ),
            models.CheckConstraint(
                condition=Q(overridden_warnings=[]) | ~Q(override_reason=""),
                name="session_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-started_at"], name="session_patient_started"),
            models.Index(fields=["status", "-signed_at"], name="session_status_signed"),
            # The dashboard counts signed sessions by day.
            models.Index(
                fields=["started_at"],
                condition=Q(status=SessionStatus.SIGNED),
                name="session_signed_started",
            ),
        ]
        permissions = [("sign_treatmentsession", "Can sign a treatment session")]

    def __str__(self) -> str:
        return f"Session {self.pk} ({self.get_status_display()})"

    @property
    def is_signed(self) -> bool:
        return self.status == SessionStatus.SIGNED


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline"


class View(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


@track_history()
class TriggerPoint(models.Model):
    class Kind(models.TextChoices):
        ACTIVE = "active", "Active"
        LATENT = "latent", "Latent"

    class Tenderness(models.IntegerChoices):
        NONE = 0, "None"
        MILD = 1, "Mild"
        MODERATE = 2, "Moderate"
        SEVERE = 3, "Severe (jump sign)"

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="trigger_points"
    )
    number = models.PositiveSmallIntegerField()
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    view = models.CharField(max_length=5, choices=View.choices)
    # Position on the body map, normalised to the view's drawing (0..1).
    x = models.DecimalField(max_digits=5, decimal_places=4)
    y = models.DecimalField(max_digits=5, decimal_places=4)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.ACTIVE)
    tenderness = models.PositiveSmallIntegerField(
        choices=Tenderness.choices, default=Tenderness.MODERATE
    )
    taut_band = models.BooleanField(default=True)
    local_twitch = models.BooleanField(default=False)
    referred_pain = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="triggerpoint_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1),
                name="triggerpoint_on_the_figure",
            ),
            models.CheckConstraint(
                condition=Q(tenderness__lte=3), name="triggerpoint_tenderness_0_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"Point {self.number}: {self.muscle} ({self.side})"


@track_history()
class Injection(models.Model):
    class Guidance(models.TextChoices):
        LANDMARK = "landmark", "Landmark"
        EMG = "emg", "EMG"
        ULTRASOUND = "ultrasound", "Ultrasound"

    trigger_point = models.ForeignKey(
        TriggerPoint, on_delete=models.CASCADE, related_name="injections"
    )
    vial = models.ForeignKey(Vial, on_delete=models.PROTECT, related_name="injections")
    units = models.DecimalField(**UNITS)
    volume_ml = models.DecimalField(max_digits=6, decimal_places=3)
    needle_gauge = models.PositiveSmallIntegerField(default=30)
    depth_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    guidance = models.CharField(max_length=10, choices=Guidance.choices, default=Guidance.LANDMARK)

    class Meta:
        ordering = ["trigger_point", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="injection_units_positive"),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="injection_volume_positive"),
            models.CheckConstraint(
                condition=Q(needle_gauge__gte=18, needle_gauge__lte=34),
                name="injection_gauge_18_to_34",
            ),
            models.CheckConstraint(
                condition=Q(depth_mm__isnull=True) | Q(depth_mm__gte=1, depth_mm__lte=100),
                name="injection_depth_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.units} U at point {self.trigger_point_id}"


@track_history()
class Amendment(models.Model):
    """A correction appended to a signed session, which itself never changes."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["session", "created_at", "id"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} to session {self.session_id}"


@track_history()
class AdverseEvent(models.Model):
    class Kind(models.TextChoices):
        LOCAL_PAIN = "local_pain", "Local pain"
        BRUISING = "bruising", "Bruising"
        HEADACHE = "headache", "Headache"
        VASOVAGAL = "vasovagal", "Fainting or near-fainting"
        WEAKNESS = "weakness", "Muscle weakness"
        PTOSIS = "ptosis", "Drooping eyelid (ptosis)"
        DOUBLE_VISION = "double_vision", "Double vision"
        DYSPHAGIA = "dysphagia", "Trouble swallowing"
        DYSPHONIA = "dysphonia", "Trouble speaking"
        BREATHING = "breathing", "Breathing difficulty"
        ALLERGIC = "allergic", "Allergic reaction"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SEVERE = "severe", "Severe"

    class Source(models.TextChoices):
        OBSERVED = "observed", "Observed in clinic"
        SURVEY = "survey", "Reported in a follow-up survey"

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="adverse_events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.OBSERVED)
    description = models.TextField(blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "reported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_severity_display()})"
