"""Reads of patients that several pages share."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import QuerySet

from patients.models import Patient
from patients.search import normalise


def patient_search(*, query: str, include_archived: bool = False) -> QuerySet[Patient]:
    """Patients matching `query`, best match first.

    A first version (name by trigram, or exact MRN); the patients issue
    extends it to dates of birth, phones and emails.
    """
    patients = (
        Patient.objects.all() if include_archived else Patient.objects.filter(archived_at=None)
    )
    term = normalise(query)
    if not term:
        return patients.none()
    by_mrn = patients.filter(mrn__iexact=term)
    if by_mrn.exists():
        return by_mrn
    return (
        patients.annotate(similarity=TrigramWordSimilarity(term, "search_name"))
        .filter(similarity__gte=0.3)
        .order_by("-similarity", "last_name", "first_name")
    )
