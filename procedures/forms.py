"""Forms of the procedures pages: they validate and normalise; the services decide."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Count, F
from django.utils import timezone

from procedures.models import (
    AdverseEvent,
    Injection,
    Lot,
    Muscle,
    Product,
    Side,
    TreatmentSession,
    TriggerPoint,
    Vial,
    View,
)
from procedures.services.points import InjectionInput, PointInput
from procedures.services.sessions import DETAIL_FIELDS

ICD10 = RegexValidator(
    r"^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$",
    "Enter an ICD-10 code such as M79.18, or leave it empty.",
    flags=re.IGNORECASE,
)
UNITS_ERRORS = {
    "required": "Enter the units injected.",
    "invalid": "Enter the units as a number, e.g. 10 or 12.5.",
    "min_value": "Units must be more than 0.",
    "max_decimal_places": "Units go to two decimal places at most.",
    "max_digits": "That is more units than any vial holds.",
    "max_whole_digits": "That is more units than any vial holds.",
}
ON_THE_FIGURE = {
    "min_value": "The point must be on the figure.",
    "max_value": "The point must be on the figure.",
    "invalid": "The point must be on the figure.",
    "required": "The point must be on the figure.",
}
COORDINATE_STEP = Decimal("0.0001")


class SessionDetailsForm(forms.ModelForm):
    """The header and after-care fields; a request may carry any subset of them
    (the page saves each field as it changes)."""

    pain_before = forms.IntegerField(
        label="Pain before (NRS 0-10)",
        min_value=0,
        max_value=10,
        required=False,
        error_messages={
            "min_value": "Pain is scored from 0 to 10.",
            "max_value": "Pain is scored from 0 to 10.",
            "invalid": "Pain is a whole number from 0 to 10.",
        },
    )
    icd10_code = forms.CharField(label="ICD-10 code", required=False, validators=[ICD10])
    observation_minutes = forms.IntegerField(
        min_value=0,
        max_value=240,
        error_messages={
            "min_value": "Observation is 0 to 240 minutes.",
            "max_value": "Observation is 0 to 240 minutes.",
            "required": "Enter the minutes the patient was observed.",
        },
    )

    class Meta:
        model = TreatmentSession
        fields = DETAIL_FIELDS
        error_messages = {"indication": {"required": "Enter the indication."}}
        widgets = {"aftercare_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, only: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True)
        self.fields["product"].required = False
        for name in set(self.fields) - set(only or self.fields):
            del self.fields[name]

    def clean_icd10_code(self) -> str:
        return self.cleaned_data["icd10_code"].strip().upper()


def session_details_form(data: Any, session: TreatmentSession) -> SessionDetailsForm:
    """A form for just the detail fields present in `data`."""
    only = [name for name in DETAIL_FIELDS if name in data]
    return SessionDetailsForm(data, instance=session, only=only)


class PointForm(forms.Form):
    muscle = forms.ModelChoiceField(
        queryset=Muscle.objects.all(),
        to_field_name="slug",
        error_messages={"required": "Choose the muscle.", "invalid_choice": "Choose the muscle."},
    )
    side = forms.ChoiceField(choices=Side.choices)
    view = forms.ChoiceField(choices=View.choices)
    x = forms.DecimalField(min_value=0, max_value=1, error_messages=ON_THE_FIGURE)
    y = forms.DecimalField(min_value=0, max_value=1, error_messages=ON_THE_FIGURE)
    kind = forms.ChoiceField(choices=TriggerPoint.Kind.choices, initial=TriggerPoint.Kind.ACTIVE)
    tenderness = forms.TypedChoiceField(
        choices=TriggerPoint.Tenderness.choices,
        coerce=int,
        initial=TriggerPoint.Tenderness.MODERATE,
    )
    taut_band = forms.BooleanField(required=False)
    local_twitch = forms.BooleanField(required=False)
    referred_pain = forms.CharField(max_length=200, required=False)
    vial = forms.ModelChoiceField(
        queryset=Vial.objects.select_related("lot__product"),
        required=False,
        error_messages={"invalid_choice": "Choose one of the open vials."},
    )
    units = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        required=False,
        error_messages=UNITS_ERRORS,
    )
    needle_gauge = forms.IntegerField(
        min_value=18,
        max_value=34,
        required=False,
        error_messages={
            "min_value": "Needle gauge is 18 to 34.",
            "max_value": "Needle gauge is 18 to 34.",
        },
    )
    depth_mm = forms.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        error_messages={
            "min_value": "Depth is at least 1 mm.",
            "max_value": "Depth is at most 100 mm.",
            "invalid": "Depth is a whole number of millimetres.",
        },
    )
    guidance = forms.ChoiceField(
        choices=Injection.Guidance.choices, required=False, initial=Injection.Guidance.LANDMARK
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("units") is not None and data.get("vial") is None:
            self.add_error("vial", "Choose the vial the units are drawn from.")
        return data

    def point_input(self) -> PointInput:
        data = self.cleaned_data
        return PointInput(
            muscle=data["muscle"],
            side=data["side"],
            view=data["view"],
            x=data["x"].quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP),
            y=data["y"].quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP),
            kind=data["kind"],
            tenderness=data["tenderness"],
            taut_band=data["taut_band"],
            local_twitch=data["local_twitch"],
            referred_pain=data["referred_pain"].strip(),
        )

    def injection_input(self) -> InjectionInput | None:
        data = self.cleaned_data
        if data.get("units") is None:
            return None
        return InjectionInput(
            vial=data["vial"],
            units=data["units"],
            needle_gauge=data["needle_gauge"] or 30,
            depth_mm=data["depth_mm"],
            guidance=data["guidance"] or Injection.Guidance.LANDMARK,
        )


class MoveForm(forms.Form):
    muscle = PointForm.base_fields["muscle"]
    side = PointForm.base_fields["side"]
    view = PointForm.base_fields["view"]
    x = PointForm.base_fields["x"]
    y = PointForm.base_fields["y"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("x", "y"):
            if data.get(name) is not None:
                data[name] = data[name].quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)
        return data


class ReactionForm(forms.ModelForm):
    class Meta:
        model = AdverseEvent
        fields = ["kind", "severity", "description"]
        labels = {"kind": "Reaction", "description": "What was seen and done"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class SignForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason for going past the warnings",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AmendmentForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Reason for the amendment")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Correction")


class LotForm(forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["product", "lot_number", "units_per_vial", "expires_on", "vials_received"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"units_per_vial": "Units per vial", "expires_on": "Expires on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True)

    def validate_unique(self) -> None:
        """The service refuses a duplicate lot with its own message."""


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lot) -> str:
        return (
            f"{obj.product.brand_name} {obj.units_per_vial} U · lot {obj.lot_number} · "
            f"expires {obj.expires_on:%m/%d/%Y}"
        )


class VialOpenForm(forms.Form):
    lot = LotChoiceField(
        queryset=Lot.objects.none(),
        error_messages={"invalid_choice": "Choose a lot that is in date."},
    )
    diluent_ml = forms.DecimalField(
        label="Saline added (mL)",
        min_value=0,
        max_value=20,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "max_value": "At most 20 mL of saline.",
            "min_value": "Saline cannot be negative.",
            "required": "Enter the saline added, in mL.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = (
            Lot.objects.filter(expires_on__gte=timezone.localdate())
            .annotate(opened=Count("vials"))
            .filter(opened__lt=F("vials_received"))
            .select_related("product")
            .order_by("product__brand_name", "expires_on")
        )


class RecallForm(forms.Form):
    lot = forms.CharField(label="Lot number", max_length=40)

    def clean_lot(self) -> str:
        return self.cleaned_data["lot"].strip().upper()
