"""Reads of patients that several pages share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import FloatField, Func, Q, QuerySet, Value
from django.utils import timezone

from patients.dates import months_before
from patients.models import Consent, ConsentForm, Patient, Precautions
from patients.search import SearchTerms, normalise, search_terms_from

PAGE_SIZE = 25
MAX_PAGE = 40


class NameDistance(Func):
    """`search_name <->> term`: one minus the word similarity, written with the
    column first so the GiST trigram index can return the nearest names first."""

    arg_joiner = " <->> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def patient_search(*, query: str, include_archived: bool = False) -> QuerySet[Patient]:
    """Patients matching a search box query, best match first.

    The query may hold any part of the name (typos and accents forgiven), an
    MRN, a date of birth (MM/DD/YYYY, M/D/YY, YYYY-MM-DD) or year of birth, a
    phone number in any format, or an email; every part given must match.
    Slice the result: name searches are ordered by the index, nearest first.
    """
    terms = search_terms_from(query, today=timezone.localdate())
    return patients_matching(terms=terms, include_archived=include_archived)


def patients_matching(*, terms: SearchTerms, include_archived: bool = False) -> QuerySet[Patient]:
    patients = Patient.objects.all()
    if not include_archived:
        patients = patients.filter(archived_at=None)
    if terms.is_empty:
        return patients.none()
    patients = patients.filter(_identifier_condition(terms))
    if not terms.name:
        return patients.order_by("last_name", "first_name", "id")
    if terms.has_identifier:
        return _ranked_by_name(patients, terms.name)
    return _nearest_names(patients, terms.name)


def _nearest_names(patients: QuerySet[Patient], name: str) -> QuerySet[Patient]:
    """The trigram index walks the names nearest first and stops at the page's end."""
    return (
        patients.filter(search_name__trigram_word_similar=name)
        .annotate(name_distance=NameDistance("search_name", Value(name)))
        .order_by("name_distance")
    )


def _ranked_by_name(patients: QuerySet[Patient], name: str) -> QuerySet[Patient]:
    """A date of birth, phone, email or MRN has already narrowed the patients
    (through its own index) to a few; the name then only filters and ranks them."""
    return (
        patients.annotate(name_similarity=TrigramWordSimilarity(Value(name), "search_name"))
        .filter(name_similarity__gte=settings.PATIENT_NAME_MATCH_THRESHOLD)
        .order_by("-name_similarity", "last_name", "first_name", "id")
    )


def _identifier_condition(terms: SearchTerms) -> Q:
    condition = Q()
    if terms.date_of_birth:
        condition &= Q(date_of_birth=terms.date_of_birth)
    if terms.birth_year:
        condition &= Q(date_of_birth__year=terms.birth_year)
    if terms.phone:
        condition &= Q(phone=terms.phone)
    if terms.email:
        condition &= Q(email__icontains=terms.email)
    for mrn in terms.mrns:
        condition &= Q(mrn=mrn)
    return condition


@dataclass(frozen=True)
class SearchPage:
    terms: SearchTerms
    patients: list[Patient]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.patients) - 1


# What a row of results shows (patients.results_html): the rest of a
# patient's row is never read, nor turned into Python values.
RESULT_FIELDS = (
    *Patient.NAME_FIELDS,
    "mrn",
    "date_of_birth",
    "phone",
    "email",
    "archived_at",
)


def patient_search_page(*, query: str, include_archived: bool, page: int) -> SearchPage:
    """One page of results. No total count: counting every match of a common
    name costs more than finding the best 25, and "next page" is enough."""
    terms = search_terms_from(query, today=timezone.localdate())
    number = min(max(page, 1), MAX_PAGE)
    offset = (number - 1) * PAGE_SIZE
    matches = patients_matching(terms=terms, include_archived=include_archived)
    rows = list(matches.only(*RESULT_FIELDS)[offset : offset + PAGE_SIZE + 1])
    return SearchPage(
        terms=terms,
        patients=rows[:PAGE_SIZE],
        number=number,
        has_next=len(rows) > PAGE_SIZE and number < MAX_PAGE,
    )


def patient_id_for_mrn(mrn: str) -> int | None:
    """Archived patients too: the audit trail outlives the active record."""
    return Patient.objects.filter(mrn=mrn).values_list("pk", flat=True).first()


def patient_mrns(patient_ids: set[int]) -> dict[int, str]:
    return dict(Patient.objects.filter(pk__in=patient_ids).values_list("pk", "mrn"))


def patient_likely_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    email: str,
    exclude_id: int | None = None,
) -> list[Patient]:
    """Patients (archived too) with the same name and date of birth, or the same email.

    Names compare without case or accents, and a first name also matches a
    preferred name ("Bob" and "Robert" who prefers "Bob").
    """
    same_email = Q(email__iexact=email) if email else Q(pk__in=[])
    candidates = Patient.objects.filter(Q(date_of_birth=date_of_birth) | same_email)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    return [
        patient
        for patient in candidates.order_by("id")
        if (email and patient.email.lower() == email.lower())
        or (
            patient.date_of_birth == date_of_birth
            and _same_name(patient, normalise(first_name), normalise(last_name))
        )
    ]


def _same_name(patient: Patient, first_name: str, last_name: str) -> bool:
    first_names = {normalise(patient.first_name), normalise(patient.preferred_name)}
    return normalise(patient.last_name) == last_name and first_name in first_names


def consent_is_valid(consent: Consent, *, on: dt.date) -> bool:
    return consent.revoked_at is None and consent.signed_on <= on <= consent.valid_until


def consent_history(*, patient: Patient) -> list[Consent]:
    """Every consent the patient signed, newest first, with who recorded and revoked it."""
    return list(
        patient.consents.select_related("form", "recorded_by", "revoked_by").order_by(
            "-signed_on", "-id"
        )
    )


def consent_valid_on_file(*, patient: Patient, on: dt.date | None = None) -> Consent | None:
    """The consent that covers treatment on `on` (today by default), if any."""
    day = on or timezone.localdate()
    return (
        patient.consents.filter(revoked_at=None, signed_on__lte=day, valid_until__gte=day)
        .select_related("form")
        .order_by("-valid_until", "-id")
        .first()
    )


def consent_forms_current() -> QuerySet[ConsentForm]:
    """The versions a patient can sign now: the newest of each form, not retired."""
    return ConsentForm.objects.filter(retired_at=None).order_by("title", "-version")


def precautions_of(*, patient: Patient) -> Precautions | None:
    return Precautions.objects.select_related("reviewed_by").filter(patient=patient).first()


def precautions_review_due(*, precautions: Precautions | None, on: dt.date | None = None) -> bool:
    """Due when never reviewed, or last reviewed more than
    PRECAUTIONS_REVIEW_MONTHS before `on` (today by default)."""
    if precautions is None or precautions.reviewed_at is None:
        return True
    day = on or timezone.localdate()
    cutoff = months_before(day, settings.PRECAUTIONS_REVIEW_MONTHS)
    return timezone.localdate(precautions.reviewed_at) < cutoff
