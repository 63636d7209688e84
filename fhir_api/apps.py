from django.apps import AppConfig


class FhirApiConfig(AppConfig):
    # Not "fhir": that name belongs to the fhir.resources package we build with.
    name = "fhir_api"
    verbose_name = "FHIR API"
