"""The rows and marks of a patient's outcome chart and tables, drawn in Python.

The same markup `outcomes/_chart_pain.html` and `outcomes/_chart_muscles.html`
drew with template loops, written in Python (clinic/html.py): at 63 muscle
rows and 10 sessions the loops cost the chart page 22 ms in the template
engine (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import pluralize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import get_current_timezone_name, localtime

from clinic.html import html, html_join
from outcomes.charts import Mark, PainChart
from outcomes.selectors import MuscleOutcome, SessionOutcome, SurveyAnswer

MEANINGFUL_BADGE = mark_safe(' <span class="badge text-bg-success">Meaningful</span>')
MEANINGFUL_RESPONSE_BADGE = mark_safe(
    ' <span class="badge text-bg-success" data-testid="meaningful-badge">Meaningful response</span>'
)


def _day(session: SessionOutcome) -> str:
    return _date_label(session.started_at, get_current_timezone_name())


@lru_cache(maxsize=4096)  # a session's date shows on each of its muscles' rows
def _date_label(moment: dt.datetime, zone: str) -> str:
    return date_filter(localtime(moment, ZoneInfo(zone)), "j M Y")


def _signed(change: int | None) -> str:
    """+2, -3, or nothing when there is no baseline (as `|stringformat:"+d"`)."""
    return "" if change is None else f"{change:+d}"


# The per-muscle table -------------------------------------------------------


def muscle_groups_html(muscles: list[MuscleOutcome]) -> SafeString:
    """One `<tbody>` per muscle, its first row heading the group."""
    return html_join(muscles, _muscle_group)


def _muscle_group(muscle: MuscleOutcome) -> SafeString:
    first, *others = muscle.rows
    rows = [_muscle_row(first, _muscle_heading(muscle)), *(_muscle_row(row, "") for row in others)]
    return html('<tbody class="muscle-group">{}</tbody>', mark_safe("".join(rows)))  # noqa: S308


def _muscle_heading(muscle: MuscleOutcome) -> SafeString:
    sessions = muscle.session_count
    return html(
        '<th scope="rowgroup" rowspan="{}">{}<div class="small text-body-secondary fw-normal">'
        "{} session{}, {} with a meaningful response</div></th>",
        len(muscle.rows),
        muscle.name,
        sessions,
        pluralize(sessions),
        muscle.meaningful_count,
    )


def _muscle_row(row, heading: SafeString | str) -> SafeString:
    return html(
        "<tr>{}<td>S{}, {}</td><td>{}</td><td>{}</td>{}</tr>",
        heading,
        row.session.number,
        _day(row.session),
        capfirst(", ".join(row.sides)),
        row.units,
        html_join(row.session.answers_2w_6w, _muscle_change),
    )


def _muscle_change(answer: SurveyAnswer | None) -> SafeString:
    if answer is None or answer.change is None:
        return mark_safe('<td class="text-body-secondary">no answer</td>')
    badge = MEANINGFUL_BADGE if answer.meaningful else ""
    return html("<td>{}{}</td>", _signed(answer.change), badge)


# The pain table -------------------------------------------------------------


def pain_rows_html(sessions: list[SessionOutcome]) -> SafeString:
    return html_join(sessions, _pain_row)


def _pain_row(session: SessionOutcome) -> SafeString:
    return html(
        '<tr><th scope="row">S{}</th><td>{}</td><td>{}</td><td>{}</td>{}</tr>',
        session.number,
        _day(session),
        session.units_text,
        "–" if session.pain_before is None else session.pain_before,
        html_join(session.answers_2w_6w, _pain_answer),
    )


def _pain_answer(answer: SurveyAnswer | None) -> SafeString:
    if answer is None:
        return mark_safe(
            '<td class="text-body-secondary">no answer</td><td class="text-body-secondary">–</td>'
        )
    return html(
        '<td>{} <span class="text-body-secondary">({})</span>{}</td>'
        '<td>{} <span class="text-body-secondary">{}</span></td>',
        answer.pain_now,
        _signed(answer.change),
        MEANINGFUL_RESPONSE_BADGE if answer.meaningful else "",
        answer.pgic,
        answer.pgic_label,
    )


# The pain chart's marks -----------------------------------------------------


def pain_marks_html(chart: PainChart) -> SafeString:
    """Everything inside the chart's `<svg>` after its title, in drawing order."""
    return mark_safe(  # noqa: S308 (each part is drawn by html())
        "".join(
            [
                _grid(chart),
                _axis_labels(chart),
                html_join(chart.sessions, lambda session: _session(chart, session)),
                html('<g class="chart-links">{}</g>', html_join(chart.links, _link)),
                html_join(chart.baselines, _baseline),
                html_join(chart.answers, _answer),
                html_join(chart.pgic, _pgic),
            ]
        )
    )


def _grid(chart: PainChart) -> SafeString:
    def level(tick) -> SafeString:
        return html(
            '<line x1="{left}" x2="{right}" y1="{pos}" y2="{pos}"/>'
            '<text class="chart-tick" x="{label_x}" y="{pos}" text-anchor="end" '
            'dominant-baseline="middle">{label}</text>',
            left=chart.left,
            right=chart.right,
            pos=tick.pos,
            label_x=chart.left - 8,
            label=tick.label,
        )

    def month(tick) -> SafeString:
        return html(
            '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
            tick.pos,
            chart.height - 8,
            tick.label,
        )

    return html(
        '<g class="chart-grid">{}{}{}</g>',
        html_join(chart.pain_ticks, level),
        html_join(chart.pgic_ticks, level),
        html_join(chart.x_ticks, month),
    )


def _axis_labels(chart: PainChart) -> SafeString:
    return html(
        '<text class="chart-axis-label" x="12" y="{pain}" transform="rotate(-90 12 {pain})" '
        'text-anchor="middle">Pain (NRS)</text>'
        '<text class="chart-axis-label" x="12" y="{pgic}" transform="rotate(-90 12 {pgic})" '
        'text-anchor="middle">PGIC</text>',
        pain=chart.pain_top + 100,
        pgic=chart.pgic_top + 45,
    )


def _session(chart: PainChart, session) -> SafeString:
    return html(
        '<g class="chart-session" data-testid="session-marker"><title>{title}</title>'
        '<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/>'
        '<text x="{x}" y="{label_y}" text-anchor="middle">S{number} · {units}</text></g>',
        title=session.title,
        x=session.x,
        top=chart.pain_top - 4,
        bottom=chart.pgic_bottom,
        label_y=session.label_y,
        number=session.number,
        units=session.units_text,
    )


def _link(link) -> SafeString:
    return html('<line x1="{}" y1="{}" x2="{}" y2="{}"/>', link.x1, link.y1, link.x2, link.y2)


def _baseline(mark: Mark) -> SafeString:
    return html(
        '<g class="chart-baseline" data-testid="baseline-marker" transform="translate({} {})">'
        '<title>{}: {}</title><rect x="-5" y="-5" width="10" height="10"/>'
        '<text x="-9" y="0" text-anchor="end" dominant-baseline="middle">{}</text></g>',
        mark.x,
        mark.y,
        mark.title,
        mark.value,
        mark.value,
    )


def _answer(mark: Mark) -> SafeString:
    meaningful = mark.meaningful
    return html(
        '<g class="chart-answer{}" data-testid="answer-marker"{} transform="translate({} {})">'
        '<title>{}: {}</title><circle r="6"/>{}'
        '<text x="13" y="0" dominant-baseline="middle">{}</text></g>',
        " chart-meaningful" if meaningful else "",
        mark_safe(' data-meaningful="true"') if meaningful else "",  # noqa: S308
        mark.x,
        mark.y,
        mark.title,
        mark.value,
        mark_safe('<circle class="chart-ring" r="10"/>') if meaningful else "",  # noqa: S308
        mark.value,
    )


def _pgic(mark: Mark) -> SafeString:
    return html(
        '<g class="chart-pgic" transform="translate({} {})"><title>{}</title>'
        '<path d="M 0 -6 l 6 6 l -6 6 l -6 -6 z"/>'
        '<text x="9" y="0" dominant-baseline="middle">{}</text></g>',
        mark.x,
        mark.y,
        mark.title,
        mark.value,
    )
