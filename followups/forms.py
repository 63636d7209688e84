from __future__ import annotations

from typing import Any

from django import forms

from clinic.forms import yes_no_field
from followups.models import PGIC, FollowUpKind, FollowUpStatus, SurveyResponse

CHOOSE_ONE = "Please choose an answer."
ANSWER_YES_OR_NO = "Please answer yes or no."
DATES_REVERSED = "The end date is before the start date."

WARNING_QUESTIONS = {
    "trouble_swallowing": "Do you have trouble swallowing?",
    "trouble_speaking": "Do you have trouble speaking?",
    "trouble_breathing": "Do you have trouble breathing?",
    "drooping_eyelid": "Has an eyelid started to droop?",
    "double_vision": "Do you see double?",
    "new_weakness": "Do you have new muscle weakness?",
}


def _yes_no(label: str) -> forms.TypedChoiceField:
    return yes_no_field(label, required_message=ANSWER_YES_OR_NO)


class SurveyForm(forms.Form):
    """The outcome survey: pain now (NRS 0-10), PGIC (1-7), the warning signs."""

    pain_now = forms.TypedChoiceField(
        label="How strong is your pain right now?",
        help_text="0 means no pain, 10 the worst pain you can imagine.",
        choices=[(score, str(score)) for score in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE},
    )
    pgic = forms.TypedChoiceField(
        label="Since your visit, how has your condition changed overall?",
        choices=PGIC.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE},
    )
    trouble_swallowing = _yes_no(WARNING_QUESTIONS["trouble_swallowing"])
    trouble_speaking = _yes_no(WARNING_QUESTIONS["trouble_speaking"])
    trouble_breathing = _yes_no(WARNING_QUESTIONS["trouble_breathing"])
    drooping_eyelid = _yes_no(WARNING_QUESTIONS["drooping_eyelid"])
    double_vision = _yes_no(WARNING_QUESTIONS["double_vision"])
    new_weakness = _yes_no(WARNING_QUESTIONS["new_weakness"])
    comment = forms.CharField(
        label="Anything else you would like us to know? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def warning_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SurveyResponse.WARNING_SIGNS]


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *FollowUpStatus.choices], required=False
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *FollowUpKind.choices], required=False)
    due_from = forms.DateField(
        label="Due from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label="Due to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        due_from, due_to = cleaned.get("due_from"), cleaned.get("due_to")
        if due_from and due_to and due_to < due_from:
            self.add_error("due_to", DATES_REVERSED)
        return cleaned
