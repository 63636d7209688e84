"""Patients: who they are, how to reach them, what must be known before injecting."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from clinic.history import track_history


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Not recorded"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    POST = "post", "Post"


@track_history(exclude=["search_name", "updated_at"])
class Patient(models.Model):
    """A person the clinic treats. Never hard-deleted: archive instead."""

    mrn = models.CharField("MRN", max_length=12, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    email = models.EmailField(blank=True)
    phone = models.CharField(
        max_length=20, blank=True, help_text="Stored in E.164, e.g. +12125550123."
    )
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state", max_length=100, blank=True)
    postal_code = models.CharField("ZIP code", max_length=20, blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    email_consent = models.BooleanField("agrees to be contacted by email", default=False)
    email_consent_at = models.DateTimeField(null=True, blank=True)
    email_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Lower-cased, accent-free "first preferred last" kept by the service, so
    # one trigram index serves typo- and accent-tolerant name search.
    search_name = models.CharField(max_length=320, editable=False, default="")
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_consent=False) | Q(email_consent_at__isnull=False),
                name="patient_email_consent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(email_consent=False) | ~Q(email=""),
                name="patient_email_consent_needs_email",
            ),
        ]
        indexes = [
            # GiST rather than GIN: it hands back the nearest names first
            # (ORDER BY search_name <->> term LIMIT n), and the planner keeps using
            # it for common names, where it dropped GIN for a sequential scan.
            # Long signatures (siglen) prune the tree better; 1024 bytes halved a
            # misspelt surname's walk over 100,000 names (256 before). docs/performance.md.
            GistIndex(
                OpClass("search_name", name="gist_trgm_ops(siglen=1024)"),
                name="patient_search_name_gist",
            ),
            GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="patient_email_trgm"),
            models.Index(fields=["date_of_birth"], name="patient_dob"),
            # Lists in name order, and broad searches (an email domain, a birth
            # year) that read the first 25 in that order instead of sorting all.
            models.Index(fields=["last_name", "first_name", "id"], name="patient_name_order"),
            models.Index(fields=["phone"], name="patient_phone"),
        ]
        permissions = [
            ("archive_patient", "Can archive a patient"),
            ("view_clinical_summary", "Can see precautions and consent details"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.mrn})"

    # What display_name reads: enough for a page's title.
    NAME_FIELDS = ("first_name", "last_name", "preferred_name")

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@track_history()
class Precautions(models.Model):
    """What a clinician confirms before injecting toxin (DESIGN.md, rules)."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="precautions")
    neuromuscular_disorder = models.BooleanField(
        "neuromuscular disorder (myasthenia gravis, Lambert-Eaton, ALS)", default=False
    )
    pregnant_or_breastfeeding = models.BooleanField("pregnancy or breastfeeding", default=False)
    interacting_drugs = models.BooleanField(
        "aminoglycosides or other interacting drugs", default=False
    )
    prior_toxin_hypersensitivity = models.BooleanField(
        "prior hypersensitivity to a toxin product", default=False
    )
    swallowing_or_breathing_problems = models.BooleanField(
        "swallowing or breathing problems", default=False
    )
    bleeding_risk = models.BooleanField("bleeding risk or anticoagulants", default=False)
    allergies = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    FLAGS = (
        "neuromuscular_disorder",
        "pregnant_or_breastfeeding",
        "interacting_drugs",
        "prior_toxin_hypersensitivity",
        "swallowing_or_breathing_problems",
        "bleeding_risk",
    )

    class Meta:
        verbose_name_plural = "precautions"
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(reviewed_by__isnull=False),
                name="precautions_review_has_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"Precautions for patient {self.patient_id}"

    @property
    def flagged(self) -> list[str]:
        """Verbose names of the precautions that are ticked."""
        return [
            str(self._meta.get_field(flag).verbose_name)
            for flag in self.FLAGS
            if getattr(self, flag)
        ]


@track_history()
class ConsentForm(models.Model):
    """One version of a consent text. A new version is a new row; signed
    consents keep pointing at the version the patient actually signed."""

    code = models.SlugField(max_length=50)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    valid_for_days = models.PositiveIntegerField(
        default=365, help_text="How long a signature stays valid by default."
    )
    published_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="consentform_code_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


@track_history()
class Consent(models.Model):
    """A patient's signed consent to treatment, on one form version."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="consents")
    signed_on = models.DateField()
    witness_name = models.CharField(max_length=200)
    valid_until = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("signed_on")),
                name="consent_valid_until_after_signing",
            ),
            models.CheckConstraint(
                condition=(
                    Q(revoked_at__isnull=True, revoked_reason="")
                    | (
                        Q(revoked_at__isnull=False, revoked_by__isnull=False)
                        & ~Q(revoked_reason="")
                    )
                ),
                name="consent_revocation_complete",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-valid_until"], name="consent_patient_valid")]

    def __str__(self) -> str:
        return f"Consent {self.form} signed {self.signed_on}"
