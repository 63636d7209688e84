"""The body map widget in Chromium: the real SVG partials and static/js/body-map.js.

No database: a small harness page on a fake origin mounts the widget and
records the events it dispatches.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

ORIGIN = "http://bodymap.test"

HARNESS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Body map harness</title>
<link rel="stylesheet" href="/static/css/body-map.css">
<link rel="stylesheet" href="/harness.css">
</head><body>
<div id="map"><div class="views">{front}{back}</div><p data-bm-hover-label></p></div>
<button id="after-map">After the map</button>
<script type="module" src="/harness.js"></script>
</body></html>"""

HARNESS_CSS = """
body { margin: 0 }
.views { display: flex }
.views svg { width: 400px; height: 800px }
"""

HARNESS_JS = """
import { mountBodyMap } from "/static/js/body-map.js";
const root = document.getElementById("map");
window.events = [];
for (const type of ["pick", "select", "move"]) {
  root.addEventListener(`bodymap:${type}`, (e) => window.events.push({ type, ...e.detail }));
}
window.bodyMap = mountBodyMap(root);
document.body.dataset.ready = "true";
"""

POINTS = [
    {
        "id": "p1",
        "number": 1,
        "view": "back",
        "x": 0.43,
        "y": 0.215,
        "units": 5,
        "muscle": "upper-trapezius",
        "side": "left",
        "label": "Left upper trapezius",
    },
    {
        "id": "p2",
        "number": 2,
        "view": "back",
        "x": 0.58,
        "y": 0.45,
        "units": 50,
        "muscle": "gluteus-maximus",
        "side": "right",
        "label": "Right gluteus maximus",
    },
]
GHOSTS = [
    {
        "id": "g1",
        "number": 1,
        "view": "front",
        "x": 0.42,
        "y": 0.25,
        "units": 10,
        "muscle": "pectoralis-major",
        "side": "right",
        "label": "Right pectoralis major",
    },
]


@pytest.fixture
def body_map(page: Page) -> Page:
    files = {
        "/": ("text/html", harness_html()),
        "/harness.js": ("text/javascript", HARNESS_JS),
        "/harness.css": ("text/css", HARNESS_CSS),
        "/static/js/body-map.js": ("text/javascript", static_file("js/body-map.js")),
        "/static/css/body-map.css": ("text/css", static_file("css/body-map.css")),
    }

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path not in files:
            route.fulfill(status=404)
            return
        content_type, body = files[path]
        route.fulfill(status=200, content_type=content_type, body=body)

    page.set_viewport_size({"width": 1000, "height": 900})
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    return page


def harness_html() -> str:
    return HARNESS_HTML.format(
        front=render_to_string("procedures/bodymap/front.svg"),
        back=render_to_string("procedures/bodymap/back.svg"),
    )


def static_file(path: str) -> str:
    return (settings.BASE_DIR / "static" / path).read_text()


def screen_point(page: Page, view: str, x: float, y: float) -> tuple[float, float]:
    """Where the viewBox point (x, y) of `view` is on the screen."""
    point = page.evaluate(
        """([view, x, y]) => {
          const svg = document.querySelector(`svg[data-view=${view}]`);
          const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
          return [p.x, p.y];
        }""",
        [view, x, y],
    )
    return point[0], point[1]


def click_at(page: Page, view: str, x: float, y: float) -> None:
    page.mouse.click(*screen_point(page, view, x, y))


def set_points(page: Page, points: list[dict]) -> None:
    page.evaluate("(points) => bodyMap.setPoints(points)", points)


def events(page: Page) -> list[dict]:
    return page.evaluate("window.events")


def regions_at(page: Page, view: str, x: float, y: float) -> list[str]:
    client_x, client_y = screen_point(page, view, x, y)
    return page.evaluate(
        """([x, y]) => document.elementsFromPoint(x, y)
             .filter((element) => element.classList.contains("bm-region"))
             .map((element) => element.dataset.muscle)""",
        [client_x, client_y],
    )


@pytest.mark.parametrize(
    ("x", "y", "muscle"),
    [
        (1040, 310, "upper-trapezius"),
        (1050, 345, "middle-trapezius"),
        (1055, 430, "lower-trapezius"),
        (1040, 282, "upper-trapezius"),  # the neck's flare into the shoulder
        (1070, 255, "posterior-cervical"),
    ],
)
def test_a_click_on_the_back_trapezius_picks_its_fibres_by_height(
    body_map: Page, x: float, y: float, muscle: str
) -> None:
    click_at(body_map, "back", x, y)

    [pick] = events(body_map)
    assert pick["type"] == "pick"
    assert pick["view"] == "back"
    assert pick["muscle"] == muscle
    assert pick["side"] == "left"  # the back view's screen-left half is the patient's left
    assert pick["x"] == pytest.approx((x - 724) / 724, abs=0.003)
    assert pick["y"] == pytest.approx(y / 1448, abs=0.003)
    assert "levator-scapulae" in pick["candidates"]


def test_front_view_mirrors_sides_and_the_midline_is_its_own_side(body_map: Page) -> None:
    click_at(body_map, "front", 300, 370)  # screen-left pectoral
    click_at(body_map, "front", 430, 370)  # screen-right pectoral
    click_at(body_map, "back", 990, 360)  # screen-left infraspinatus
    click_at(body_map, "front", 364.5, 600)  # on the linea alba, between the recti

    sides = [(pick["muscle"], pick["side"]) for pick in events(body_map)]
    assert sides == [
        ("pectoralis-major", "right"),
        ("pectoralis-major", "left"),
        ("infraspinatus", "left"),
        ("rectus-abdominis", "midline"),
    ]


def test_a_click_in_a_gap_snaps_to_the_nearest_shape(body_map: Page) -> None:
    gap = (990, 415)  # between the infraspinatus's teres shape and latissimus dorsi
    assert regions_at(body_map, "back", *gap) == []

    click_at(body_map, "back", *gap)

    [pick] = events(body_map)
    assert pick["muscle"] in {"teres-major", "latissimus-dorsi"}
    assert pick["y"] == pytest.approx(415 / 1448, abs=0.003)


def test_shapes_without_a_muscle_offer_candidates_and_off_figure_clicks_emit_nothing(
    body_map: Page,
) -> None:
    click_at(body_map, "front", 340, 200)  # the face
    click_at(body_map, "front", 40, 100)  # empty canvas beside the head
    click_at(body_map, "front", 120, 900)  # beside the thigh, outside the outline

    [pick] = events(body_map)
    assert pick["muscle"] is None
    assert pick["candidates"] == ["temporalis", "masseter", "frontalis"]


def test_markers_are_numbered_sized_by_units_and_ghosts_are_grey_and_inert(
    body_map: Page,
) -> None:
    set_points(body_map, POINTS)
    body_map.evaluate("(ghosts) => bodyMap.setGhostPoints(ghosts)", GHOSTS)

    markers = body_map.locator(".bm-markers .bm-marker")
    expect(markers.locator("text")).to_have_text(["1", "2"])
    expect(markers.first).to_have_attribute("aria-label", "Point 1: Left upper trapezius, 5 units")
    small, large = markers.locator("circle").evaluate_all("cs => cs.map(c => c.r.baseVal.value)")
    assert large > small
    ghost = body_map.locator("svg[data-view=front] .bm-ghosts .bm-marker")
    expect(ghost.locator("text")).to_have_text("1")
    expect(ghost.locator("circle")).to_have_css("fill", "rgb(206, 212, 218)")
    expect(ghost).not_to_have_attribute("tabindex", "0")
    expect(ghost.locator("..")).to_have_attribute("aria-hidden", "true")

    body_map.evaluate("() => bodyMap.setPoints([])")
    expect(markers).to_have_count(0)
    expect(ghost).to_have_count(1)


def test_clicking_a_marker_selects_it_without_adding_a_point(body_map: Page) -> None:
    set_points(body_map, POINTS)

    body_map.locator(".bm-markers .bm-marker").first.click()

    assert events(body_map) == [{"type": "select", "id": "p1"}]


def test_the_selected_marker_stays_selected_when_points_are_redrawn(body_map: Page) -> None:
    set_points(body_map, POINTS)

    body_map.evaluate("() => bodyMap.setSelected('p2')")
    set_points(body_map, POINTS)

    expect(body_map.locator(".bm-selected")).to_have_attribute("data-id", "p2")
    expect(body_map.locator(".bm-selected")).to_have_count(1)


def test_markers_are_reachable_by_keyboard_and_do_not_trap_focus(body_map: Page) -> None:
    set_points(body_map, POINTS)

    body_map.keyboard.press("Tab")
    first = body_map.get_by_role("button", name="Point 1: Left upper trapezius, 5 units")
    expect(first).to_be_focused()
    body_map.keyboard.press("Enter")
    body_map.keyboard.press("Tab")
    body_map.keyboard.press("Space")
    body_map.keyboard.press("Tab")

    expect(body_map.locator("#after-map")).to_be_focused()
    assert events(body_map) == [{"type": "select", "id": "p1"}, {"type": "select", "id": "p2"}]


def test_dragging_a_marker_moves_it_and_reports_where_it_landed(body_map: Page) -> None:
    set_points(body_map, POINTS)
    start = screen_point(body_map, "back", 724 + 0.43 * 724, 0.215 * 1448)
    end = screen_point(body_map, "back", 990, 360)  # the left infraspinatus

    body_map.mouse.move(*start)
    body_map.mouse.down()
    body_map.mouse.move(*end, steps=8)
    body_map.mouse.up()

    [move] = events(body_map)
    assert move["type"] == "move"
    assert move["id"] == "p1"
    assert (move["view"], move["muscle"], move["side"]) == ("back", "infraspinatus", "left")
    assert move["x"] == pytest.approx((990 - 724) / 724, abs=0.003)
    assert move["y"] == pytest.approx(360 / 1448, abs=0.003)


def test_a_marker_dropped_off_the_figure_goes_back(body_map: Page) -> None:
    set_points(body_map, POINTS)
    marker = body_map.locator(".bm-markers .bm-marker").first
    before = marker.get_attribute("transform")

    body_map.mouse.move(*screen_point(body_map, "back", 724 + 0.43 * 724, 0.215 * 1448))
    body_map.mouse.down()
    body_map.mouse.move(*screen_point(body_map, "back", 760, 60), steps=8)
    body_map.mouse.up()

    assert events(body_map) == []
    expect(marker).to_have_attribute("transform", before)


def test_a_touch_drag_moves_a_marker(body_map: Page) -> None:
    set_points(body_map, POINTS)
    start = screen_point(body_map, "back", 724 + 0.43 * 724, 0.215 * 1448)
    end = screen_point(body_map, "back", 990, 360)
    cdp = body_map.context.new_cdp_session(body_map)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True})

    def touch(kind: str, *points: tuple[float, float]) -> None:
        touch_points = [{"x": x, "y": y} for x, y in points]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    touch("touchStart", start)
    for step in range(1, 9):
        touch("touchMove", tuple(a + (b - a) * step / 8 for a, b in zip(start, end, strict=True)))
    touch("touchEnd")

    [move] = events(body_map)
    assert (move["type"], move["id"], move["muscle"]) == ("move", "p1", "infraspinatus")


def test_heat_shades_the_named_muscles_and_says_how_much(body_map: Page) -> None:
    body_map.evaluate("""() => bodyMap.setHeat({"upper-trapezius": 1, "gluteus-maximus": 0.3})""")

    trapezius = body_map.locator(".bm-region[data-muscle=upper-trapezius]")
    expect(trapezius).to_have_count(6)  # front, back neck flare, back wedge; both sides
    for index in range(6):
        expect(trapezius.nth(index)).to_have_class("bm-region bm-heat bm-heat-5")
    gluteus = body_map.locator("svg[data-view=back] .bm-region[data-muscle=gluteus-maximus]")
    expect(gluteus.first).to_have_class("bm-region bm-heat bm-heat-2")
    expect(gluteus.first.locator("title")).to_have_text("Gluteus maximus, left: 30% of the highest")
    expect(gluteus.first).to_have_css("fill", "rgb(251, 181, 132)")
    expect(body_map.locator(".bm-heat")).to_have_count(8)

    body_map.evaluate("() => bodyMap.setHeat({})")
    expect(body_map.locator(".bm-heat")).to_have_count(0)
    expect(gluteus.first.locator("title")).to_have_text("Gluteus maximus, left")


def test_hover_highlights_the_muscle_and_names_it(body_map: Page) -> None:
    body_map.mouse.move(*screen_point(body_map, "front", 262, 440))  # a serratus digitation

    expect(body_map.locator("[data-bm-hover-label]")).to_have_text("Serratus anterior, right")
    expect(body_map.locator(".bm-hover")).to_have_count(3)  # all three digitations, that side


def test_every_shape_is_marked_with_the_side_it_is_drawn_on(body_map: Page) -> None:
    wrong = body_map.evaluate(
        """() => [...document.querySelectorAll(".bm-region")].filter((region) => {
          const svg = region.closest("svg");
          const figure = svg.querySelector(".bm-figure").getBBox();
          const box = region.getBBox();
          const offset = box.x + box.width / 2 - (figure.x + figure.width / 2);
          if (Math.abs(offset) < box.width / 4) return region.dataset.side !== "midline";
          const screenLeft = offset < 0;
          const side = (svg.dataset.view === "front") === screenLeft ? "right" : "left";
          return region.dataset.side !== side;
        }).map((region) => region.querySelector("title").textContent)"""
    )

    assert wrong == []
