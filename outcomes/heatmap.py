"""The body map (procedures/bodymap partials) shaded by units, drawn on the server.

Each region whose muscle and side were injected gets the body map's own
heat classes (`bm-heat bm-heat-1..5`, styled by css/body-map.css, the same
as body-map.js setHeat would give) and its units in its <title>. Done here
rather than in the browser so the heat shows without JavaScript, in print,
and per side, which setHeat (one value per muscle) cannot.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from outcomes.selectors import Heat, HeatSpot
from procedures.models import Side

VIEWS = ("front", "back")
_REGION = re.compile(
    r'<path class="bm-region" data-muscle="(?P<muscle>[^"]*)" data-side="(?P<side>[^"]*)"'
    r"(?P<rest>[^>]*)><title>(?P<title>[^<]*)</title>"
)


def _spot_for(heat: Heat, muscle: str, side: str) -> HeatSpot | None:
    """The spot that shades a region: same muscle, and the same side unless
    either is the midline."""
    for spot in heat.spots:
        if spot.slug == muscle and (Side.MIDLINE in (spot.side, side) or spot.side == side):
            return spot
    return None


def heat_svg(*, view: str, heat: Heat) -> SafeString:
    """One view of the body map with the heat's regions shaded."""
    drawing = render_to_string(f"procedures/bodymap/{view}.svg")
    label = f"{heat.product.unit_label} {heat.product.product}"

    def shade(match: re.Match) -> str:
        spot = _spot_for(heat, match["muscle"], match["side"]) if match["muscle"] else None
        if spot is None:
            return match[0]
        units = f"{spot.units.normalize():f}"
        return (
            f'<path class="bm-region bm-heat bm-heat-{spot.level}" data-muscle="{match["muscle"]}"'
            f' data-side="{match["side"]}" data-units="{units}"{match["rest"]}>'
            f"<title>{match['title']}: {escape(units)} {escape(label)}</title>"
        )

    return mark_safe(_REGION.sub(shade, drawing))  # noqa: S308 - our own partial, values escaped
