"""The loops of the outcome chart and tables, drawn in Python (outcomes.chart_html)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from outcomes import chart_html
from outcomes.charts import PainChart
from outcomes.selectors import MuscleOutcome, SessionOutcome

register = template.Library()


@register.simple_tag
def muscle_groups(muscles: list[MuscleOutcome]) -> SafeString:
    return chart_html.muscle_groups_html(muscles)


@register.simple_tag
def pain_rows(sessions: list[SessionOutcome]) -> SafeString:
    return chart_html.pain_rows_html(sessions)


@register.simple_tag
def pain_marks(chart: PainChart) -> SafeString:
    return chart_html.pain_marks_html(chart)
