from __future__ import annotations

import datetime as dt

from django import forms

from outcomes.dashboard import DateRange, date_range_default
from outcomes.lists import ALLOWED

MAX_RANGE = dt.timedelta(days=3 * 366)

RANGE_BACKWARDS = "The first day must not be after the last day."
RANGE_TOO_LONG = "Choose at most three years."


def _small_controls(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} form-control-sm")


class DateRangeForm(forms.Form):
    """A range of local calendar days, both included; empty means the last 12 weeks."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _small_controls(self)

    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        default = date_range_default()
        first = cleaned.get("date_from") or default.first
        last = cleaned.get("date_to") or default.last
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        if first > last:
            self.add_error("date_to", RANGE_BACKWARDS)
        elif last - first > MAX_RANGE:
            self.add_error("date_from", RANGE_TOO_LONG)
        cleaned["period"] = DateRange(first=first, last=last)
        return cleaned


class ExportForm(DateRangeForm):
    deidentified = forms.BooleanField(
        label="De-identify (no names, shifted dates, pseudonyms instead of MRNs)",
        required=False,
    )


class ListFilterForm(DateRangeForm):
    """The filters a dashboard figure passes to the list behind it."""

    product = forms.IntegerField(required=False, min_value=1)
    status = forms.CharField(required=False, max_length=20)
    kind = forms.CharField(required=False, max_length=30)
    week = forms.DateField(required=False)
    meaningful = forms.BooleanField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("product", "status", "kind", "week", "meaningful"):
            self.fields[name].widget = forms.HiddenInput()

    def clean_status(self) -> str:
        return _allowed(self.cleaned_data["status"], ALLOWED["status"])

    def clean_kind(self) -> str:
        return _allowed(self.cleaned_data["kind"], ALLOWED["kind"])


UNKNOWN_FILTER = "Unknown value; open the list from the dashboard."


def _allowed(value: str, allowed: set[str]) -> str:
    if value and value not in allowed:
        raise forms.ValidationError(UNKNOWN_FILTER)
    return value


class HeatForm(forms.Form):
    """The period and product of the body-map heat view."""

    heat_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    heat_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    heat_product = forms.TypedChoiceField(label="Product", coerce=int, required=False)

    def __init__(self, *args: object, products: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heat_product"].choices = [(p.product_id, p.product) for p in products]
        _small_controls(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("heat_from"), cleaned.get("heat_to")
        if first and last and first > last:
            self.add_error("heat_to", RANGE_BACKWARDS)
        return cleaned
