"""The calendar grid's rows as HTML, drawn in Python: a busy day has 144
rows, thousands of cells and over a hundred cards, and the template engine
spent more time on them than everything else on the page together. Every
value passes through `clinic.html.html` (`format_html` without its lazy-string
checks), so all user text stays escaped."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from clinic.html import html, html_join
from scheduling.cards import Card
from scheduling.grid import Cell, Grid, PlainCells


@dataclass(frozen=True)
class CheckInForm:
    """What a card's check-in form needs besides its own URL."""

    csrf_token: str
    next_url: str


def grid_rows_html(
    grid: Grid, *, highlight: int | None, check_in: CheckInForm | None
) -> SafeString:
    """The rows of the grid's <tbody>; `check_in` is None for users who may not check in."""
    return mark_safe(  # noqa: S308 (joined from html() pieces)
        "".join(_row_html(row.parts, highlight, check_in) for row in grid.rows)
    )


def _row_html(
    parts: list[Cell | PlainCells], highlight: int | None, check_in: CheckInForm | None
) -> str:
    pieces = [
        part.html if isinstance(part, PlainCells) else _cell_html(part, highlight, check_in)
        for part in parts
    ]
    return "".join(pieces) + "</tr>"


def _cell_html(cell: Cell, highlight: int | None, check_in: CheckInForm | None) -> str:
    highlighted = any(card.appointment.pk == highlight for card in cell.cards)
    return html(
        '<td class="appt-cell status-{}{}" rowspan="{}">{}</td>',
        cell.cards[0].appointment.status,
        " highlight" if highlighted else "",
        cell.rowspan,
        html_join(cell.cards, lambda card: _card_html(card, check_in)),
    )


def _card_html(card: Card, check_in: CheckInForm | None) -> SafeString:
    return html(
        '<article class="appt status-{}" id="appointment-{}" data-testid="appointment-card">'
        '<div class="d-flex justify-content-between gap-1">'
        '<a href="{}"><span class="appt-time">{}</span> {}</a>'
        '<span class="badge {}">{}</span></div>'
        "<div>{}</div>{}</article>",
        card.appointment.status,
        card.appointment.pk,
        card.url,
        card.times,
        card.patient_name,
        card.badge,
        card.status_label,
        card.details,
        _check_in_html(card, check_in),
    )


def _check_in_html(card: Card, check_in: CheckInForm | None) -> SafeString | str:
    if check_in is None or card.check_in_url is None:
        return ""
    return html(
        '<form method="post" action="{}" class="mt-1">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="btn btn-outline-dark" hx-post="{}"'
        ' hx-target="#scheduling-alert" hx-swap="innerHTML">Check in</button></form>',
        card.check_in_url,
        check_in.csrf_token,
        check_in.next_url,
        card.check_in_url,
    )
