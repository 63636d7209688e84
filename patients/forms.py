"""Forms validate and normalise; the services decide and save."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.forms import yes_no_field
from patients import services
from patients.dates import parse_us_date
from patients.models import ConsentForm, ContactMethod, Patient, Precautions, Sex
from patients.phones import phone_for_display, phone_to_e164
from patients.selectors import consent_forms_current
from patients.services import PatientDetails, PrecautionAnswers

DATE_INVALID = "Enter a real date as MM/DD/YYYY."
ANSWER_REQUIRED = "Answer yes or no."
EMAIL_NOT_ENCRYPTED = (
    "Ordinary email is not encrypted: others may be able to read it on the way. "
    "We only email appointment times and survey links, never clinical details. "
    "Tick this only if the patient agrees."
)


class USDateField(forms.DateField):
    """A date typed the way the clinic writes it: 03/14/1968, 3/14/68 or 1968-03-14."""

    widget = forms.TextInput(
        attrs={"placeholder": "MM/DD/YYYY", "inputmode": "numeric", "autocomplete": "off"}
    )
    default_error_messages = {"invalid": DATE_INVALID}

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        parsed = parse_us_date(str(value), today=timezone.localdate())
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%m/%d/%Y") if isinstance(value, dt.date) else value


class PatientForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    preferred_name = forms.CharField(
        max_length=100, required=False, help_text="What the patient likes to be called."
    )
    date_of_birth = USDateField(label="Date of birth")
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    phone = forms.CharField(
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "(212) 555-0123"}),
    )
    email = forms.EmailField(required=False)
    address_line1 = forms.CharField(label="Address", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(label="State", max_length=100, required=False)
    postal_code = forms.CharField(label="ZIP code", max_length=20, required=False)
    preferred_contact = forms.ChoiceField(
        label="Preferred way to contact",
        choices=ContactMethod.choices,
        initial=ContactMethod.PHONE,
        widget=forms.RadioSelect,
    )
    email_consent = forms.BooleanField(
        label="Agrees to be contacted by email", required=False, help_text=EMAIL_NOT_ENCRYPTED
    )
    confirmed_duplicates = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, patient: Patient) -> dict[str, Any]:
        details = {field.name: getattr(patient, field.name) for field in fields(PatientDetails)}
        return {
            **details,
            "phone": phone_for_display(patient.phone) if patient.phone else "",
            "email_consent": patient.email_consent and patient.unsubscribed_at is None,
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""
        normalised = phone_to_e164(phone)
        if normalised is None:
            raise ValidationError(services.PHONE_INVALID)
        return normalised

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = services.patient_details_problems(self.details(), today=timezone.localdate())
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned

    def details(self) -> PatientDetails:
        data = {name: self.cleaned_data[name] for name in self.base_fields}
        data.pop("confirmed_duplicates")
        return PatientDetails(**data)

    def confirmed_duplicate_ids(self) -> set[int]:
        raw = self.cleaned_data.get("confirmed_duplicates", "")
        return {int(part) for part in raw.split(",") if part.strip().isdigit()}


def _yes_no(label: str) -> forms.TypedChoiceField:
    return yes_no_field(label, required_message=ANSWER_REQUIRED)


class PrecautionsForm(forms.Form):
    """Every question needs an explicit answer, so a review cannot be saved by
    skipping over the list."""

    neuromuscular_disorder = _yes_no(
        "Neuromuscular disorder (myasthenia gravis, Lambert-Eaton syndrome, ALS)"
    )
    pregnant_or_breastfeeding = _yes_no("Pregnant or breastfeeding")
    interacting_drugs = _yes_no("Taking aminoglycosides or other interacting drugs")
    prior_toxin_hypersensitivity = _yes_no("Prior hypersensitivity to a botulinum toxin product")
    swallowing_or_breathing_problems = _yes_no("Swallowing or breathing problems")
    bleeding_risk = _yes_no("Bleeding risk or taking anticoagulants")
    allergies = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": services.ALLERGIES_REQUIRED},
        help_text="Write “No known allergies” if there are none.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Before injecting botulinum toxin",
                *(InlineRadios(flag) for flag in Precautions.FLAGS),
            ),
            "allergies",
            "notes",
        )

    @classmethod
    def initial_for(cls, precautions: Precautions | None) -> dict[str, str]:
        if precautions is None:
            return {}
        initial = {
            flag: "yes" if getattr(precautions, flag) else "no" for flag in Precautions.FLAGS
        }
        return {**initial, "allergies": precautions.allergies, "notes": precautions.notes}

    def answers(self) -> PrecautionAnswers:
        return PrecautionAnswers(**self.cleaned_data)


class ConsentRecordForm(forms.Form):
    form = forms.ModelChoiceField(
        label="Consent form", queryset=ConsentForm.objects.none(), empty_label=None
    )
    signed_on = USDateField(label="Date signed", initial=timezone.localdate)
    witness_name = forms.CharField(label="Witness", max_length=200)
    valid_until = USDateField(
        required=False, help_text="Leave blank for the form's usual validity from the date signed."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = consent_forms_current()


class ConsentRevokeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.REVOKE_REASON_REQUIRED},
    )
