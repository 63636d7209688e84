"""Set-up screens for clinic admins: consent forms are published, never edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from patients.models import Consent, ConsentForm
from patients.services import consent_form_problems, consent_form_publish


class ConsentFormPublishForm(forms.ModelForm):
    class Meta:
        model = ConsentForm
        fields = ["code", "title", "body", "valid_for_days"]
        help_texts = {
            "code": "The same code as an existing form publishes its next version; "
            "a new code starts a new form.",
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        problems = consent_form_problems(
            title=cleaned.get("title", ""),
            body=cleaned.get("body", ""),
            valid_for_days=cleaned.get("valid_for_days") or 0,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


@admin.register(ConsentForm)
class ConsentFormAdmin(admin.ModelAdmin):
    """Adding publishes a new version and retires the previous one. A published
    version is read-only, because patients may have signed it."""

    form = ConsentFormPublishForm
    list_display = ["title", "code", "version", "published_at", "retired_at"]
    list_filter = ["code"]
    readonly_fields = ["publish_new_version"]

    def get_fields(self, request: HttpRequest, obj: ConsentForm | None = None) -> list[str]:
        if obj is None:
            return ["code", "title", "body", "valid_for_days"]
        return [
            "code",
            "version",
            "title",
            "body",
            "valid_for_days",
            "published_at",
            "retired_at",
            "publish_new_version",
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        source = ConsentForm.objects.filter(pk=request.GET.get("copy_from") or None).first()
        if source is None:
            return super().get_changeform_initial_data(request)
        return {
            "code": source.code,
            "title": source.title,
            "body": source.body,
            "valid_for_days": source.valid_for_days,
        }

    @admin.display(description="New version")
    def publish_new_version(self, obj: ConsentForm) -> str:
        url = reverse("admin:patients_consentform_add") + f"?copy_from={obj.pk}"
        return format_html('<a href="{}">Publish a new version based on this text</a>', url)

    def save_model(self, request: HttpRequest, obj: ConsentForm, form: Any, change: bool) -> None:
        published = consent_form_publish(
            code=obj.code, title=obj.title, body=obj.body, valid_for_days=obj.valid_for_days
        )
        obj.pk = published.pk
        obj.version = published.version
        obj.published_at = published.published_at


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Read-only: who signed which version. Consents are recorded on the chart."""

    list_display = ["patient_mrn", "form", "signed_on", "valid_until", "revoked_at"]
    list_filter = ["form"]
    list_select_related = ["patient", "form"]
    search_fields = ["patient__mrn"]
    readonly_fields = [field.name for field in Consent._meta.fields]

    @admin.display(description="MRN", ordering="patient__mrn")
    def patient_mrn(self, obj: Consent) -> str:
        return obj.patient.mrn

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
