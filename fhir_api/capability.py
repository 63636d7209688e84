"""The CapabilityStatement served at /fhir/metadata."""

from __future__ import annotations

from django.conf import settings

from fhir_api.builders import without_none
from fhir_api.everything import DEFAULT_COUNT, MAX_COUNT
from fhir_api.registry import TYPES

SOFTWARE_VERSION = "1.0"
RELEASE_DATE = "2026-11-27"
EVERYTHING_PAGING = (
    f"Paged: _count entries a page (default {DEFAULT_COUNT}, at most {MAX_COUNT}; "
    "0 for the total only) from _offset; follow Bundle.link next."
)


def _resource(name: str, searchable: bool) -> dict:
    entry: dict = {
        "type": name,
        "interaction": [{"code": "read"}],
        "versioning": "no-version",
        "readHistory": False,
    }
    if searchable:
        parameter = "_id" if name == "Patient" else "patient"
        entry["interaction"].append({"code": "search-type"})
        entry["searchParam"] = [
            {
                "name": parameter,
                "type": "token" if parameter == "_id" else "reference",
                "documentation": "Required: searches return one patient's resources only.",
            }
        ]
    if name == "Patient":
        entry["operation"] = [
            {
                "name": "everything",
                "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                "documentation": EVERYTHING_PAGING,
            }
        ]
    return entry


def capability_statement(*, base_url: str) -> dict:
    data = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": RELEASE_DATE,
        "publisher": settings.CLINIC_NAME,
        "kind": "instance",
        "software": {"name": "Trigger Point Clinic", "version": SOFTWARE_VERSION},
        "implementation": {"description": f"{settings.CLINIC_NAME} FHIR API", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Clinical resources come from signed sessions only.",
                "security": {
                    "description": (
                        "Bearer token issued by a clinic admin (Authorization: Bearer <token>), "
                        "or a signed-in staff session. Front-desk access reads Patient and "
                        "Appointment only."
                    )
                },
                "resource": [_resource(name, searchable=name != "Practitioner") for name in TYPES],
            }
        ],
    }
    return without_none(data)
