"""The rows of a session record's points-and-injections table, drawn in
Python (clinic/html.py): one row per injection, the point's cells on its
first row. The same markup `procedures/_record.html` drew with template
loops, which cost the session page 6 ms at 30 points (docs/performance.md).
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from clinic.html import html, html_join
from procedures.dilution import plain_number
from procedures.models import Injection, TriggerPoint

NO_POINTS = mark_safe('<tr><td colspan="9">No trigger points recorded.</td></tr>')
BLANK_POINT_CELLS = mark_safe('<td colspan="5"></td>')


def point_rows_html(points: list[TriggerPoint]) -> SafeString:
    return html_join(points, _point_rows) if points else NO_POINTS


def _point_rows(point: TriggerPoint) -> SafeString:
    injections = list(point.injections.all())
    if not injections:
        return html(
            "<tr>{}<td>{}, tenderness {}</td>"
            '<td class="text-end">—</td><td colspan="3">Not injected</td></tr>',
            _point_place(point),
            point.get_kind_display(),
            point.get_tenderness_display().lower(),
        )
    first, *others = injections
    point_cells = html("{}<td>{}</td>", _point_place(point), _findings(point))
    rows = [
        _injection_row(first, point_cells),
        *(_injection_row(injection, BLANK_POINT_CELLS) for injection in others),
    ]
    return mark_safe("".join(rows))  # noqa: S308 (each row is drawn safe)


def _point_place(point: TriggerPoint) -> SafeString:
    return html(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        point.number,
        point.muscle.name,
        point.get_side_display(),
        point.get_view_display(),
    )


def _findings(point: TriggerPoint) -> str:
    found = f"{point.get_kind_display()}, tenderness {point.get_tenderness_display().lower()}"
    if point.taut_band:
        found += ", taut band"
    if point.local_twitch:
        found += ", local twitch"
    if point.referred_pain:
        found += f"; refers to {point.referred_pain}"
    return found


def _injection_row(injection: Injection, point_cells: SafeString) -> SafeString:
    lot = injection.vial.lot
    depth = f" · {injection.depth_mm} mm" if injection.depth_mm else ""
    return html(
        '<tr>{}<td class="text-end">{}</td><td class="text-end">{}</td>'
        "<td>Vial {} · lot {} (exp. {})</td><td>{} G{} · {}</td></tr>",
        point_cells,
        plain_number(injection.units),
        plain_number(injection.volume_ml),
        injection.vial_id,
        lot.lot_number,
        f"{lot.expires_on:%m/%d/%Y}",
        injection.needle_gauge,
        depth,
        injection.get_guidance_display(),
    )
