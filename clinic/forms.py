from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from clinic.audit import Action
from clinic.models import User
from patients.selectors import patient_id_for_mrn


def yes_no_field(label: str, *, required_message: str) -> forms.TypedChoiceField:
    """A question that must be answered yes or no; no default, so nothing is
    assumed when someone skips it. Cleans to True or False."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class AuditFilterForm(forms.Form):
    patient = forms.CharField(
        label="Patient (MRN)",
        required=False,
        max_length=12,
        help_text="Every access to the patient's chart, sessions and appointments.",
    )
    object_type = forms.CharField(
        label="Record type",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "e.g. patients.patient"}),
    )
    object_id = forms.CharField(label="Record id", required=False, max_length=64)
    user = forms.ModelChoiceField(
        label="User",
        required=False,
        queryset=User.objects.order_by("username"),
        empty_label="Anyone",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To (inclusive)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_patient(self) -> int | None:
        """The MRN typed, as the patient's id (archived patients included)."""
        mrn = self.cleaned_data["patient"].strip().upper()
        if not mrn:
            return None
        patient_id = patient_id_for_mrn(mrn)
        if patient_id is None:
            raise ValidationError(f"No patient has the MRN {mrn}.")
        return patient_id

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return cleaned
