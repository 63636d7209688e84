/**
 * The trigger-point body map: one ES module, no dependencies.
 *
 * Markup: `root` holds one or both inline SVG partials
 * (`{% include "procedures/bodymap/front.svg" %}`, `back.svg`): an
 * `<svg data-view="front|back">` whose `<g class="bm-figure">` holds the
 * outline (`.bm-outline`) and one `<path class="bm-region">` per shape with
 * `data-muscle` (catalogue slug, empty where the shape shows no muscle),
 * `data-side` (patient side), `data-candidates` (slugs, proposed one first) and
 * a `<title>`. An optional element inside `root` with `data-bm-hover-label`
 * shows the name of the region under the pointer (place it where its changing
 * text cannot move the figure). Styles: static/css/body-map.css.
 *
 *   import { mountBodyMap } from ".../body-map.js";
 *   const map = mountBodyMap(root, { radius: (units) => 14 });
 *
 * Options (all optional): `radius(units)` marker radius in viewBox units
 * (default grows with the square root of units, 14..34); `snapDistance` how
 * far a click in a gap may be from a shape, as a fraction of the figure's
 * height (0.025); `describeHeat(slug, value)` the text added to a shaded
 * region's title (default "NN% of the highest").
 *
 * Points: `{id, number, view, x, y, units, muscle, side, label}`; x and y are
 * 0..1 within the view's viewBox; `label` says what the point is ("Left upper
 * trapezius"); a marker's accessible name is "Point 3: <label>, 10 units".
 *
 * Controller:
 *   setPoints(points)        numbered markers, focusable, sized by units
 *   setGhostPoints(points)   greyed, inert markers under them (last session)
 *   setSelected(id | null)   marks one marker `.bm-selected` (kept across setPoints)
 *   setHeat(valuesBySlug)    shades regions by muscle, value 0..1, classes
 *                            `bm-heat bm-heat-0..HEAT_LEVELS` (0 only for 0),
 *                            value in `data-heat` and the region's <title>;
 *                            `{}` clears
 *   destroy()                removes markers, shading and listeners
 *
 * Events, CustomEvents dispatched on `root` (they bubble):
 *   bodymap:pick   {view, x, y, muscle, side, candidates} after a click on the
 *                  figure; a click in a gap takes the nearest shape's muscle;
 *                  `muscle` is null where the shape shows none (face, knee...).
 *                  Clicks off the figure emit nothing.
 *   bodymap:select {id} on a marker click, or Enter/Space on a focused marker.
 *   bodymap:move   {id, view, x, y, muscle, side} when a drag ends on the
 *                  figure; a drag that ends off the figure puts the marker back.
 * `side` is the patient's: "left", "right" or "midline" (near the centre line);
 * on the front view the screen's left half is the patient's right.
 */

const SVG_NS = "http://www.w3.org/2000/svg";
export const HEAT_LEVELS = 5;
const SNAP_DISTANCE = 0.025;
const MIDLINE_HALF_WIDTH = 0.008; // of the view's width, either side of the centre line
const DRAG_THRESHOLD_PX = { mouse: 4, pen: 6, touch: 10 };

const defaultRadius = (units) => Math.min(34, Math.max(14, 11 + 2.2 * Math.sqrt(units || 0)));
const defaultDescribeHeat = (slug, value) => `${Math.round(value * 100)}% of the highest`;

export function mountBodyMap(root, options = {}) {
  const radius = options.radius ?? defaultRadius;
  const snapDistance = options.snapDistance ?? SNAP_DISTANCE;
  const describeHeat = options.describeHeat ?? defaultDescribeHeat;
  const hoverLabel = root.querySelector("[data-bm-hover-label]");
  const listeners = new AbortController();
  const titles = new Map(); // region -> its title as drawn, restored after shading
  const views = new Map();
  let drag = null;
  let selectedId = null;
  let suppressClick = false; // the click that follows a drag is not a pick

  for (const svg of root.querySelectorAll("svg[data-view]")) {
    const ghosts = svgElement("g", { class: "bm-ghosts", "aria-hidden": "true" });
    const markers = svgElement("g", { class: "bm-markers" });
    svg.append(ghosts, markers);
    views.set(svg.dataset.view, { name: svg.dataset.view, svg, ghosts, markers });
    const on = (type, handler, extra = {}) =>
      svg.addEventListener(type, handler, { signal: listeners.signal, ...extra });
    on("click", onClick);
    on("pointerdown", onPointerDown);
    on("pointermove", onPointerMove);
    on("pointerup", onPointerUp);
    on("pointercancel", cancelDrag);
    on("pointerover", onPointerOver);
    on("pointerout", () => hover(null));
    on("keydown", onKeyDown);
    // Chromium ignores touch-action on SVG children: a touch that starts on a
    // marker must not become a page scroll, which would cancel the drag.
    on("touchstart", (event) => activeMarker(event.target) && event.preventDefault(), {
      passive: false,
    });
  }

  function emit(type, detail) {
    root.dispatchEvent(new CustomEvent(`bodymap:${type}`, { detail, bubbles: true }));
  }

  function viewOf(element) {
    return views.get(element.closest("svg[data-view]").dataset.view);
  }

  function activeMarker(target) {
    const marker = target.closest(".bm-marker");
    return marker && !marker.classList.contains("bm-ghost") ? marker : null;
  }

  // Where a screen point falls: the muscle under it (or the nearest one when it
  // falls in a gap inside the outline), or null when it is off the figure.
  function locate(view, clientX, clientY) {
    const region = regionAt(view, clientX, clientY) ?? nearbyRegion(view, clientX, clientY);
    if (!region) return null;
    const point = toUser(view.svg, clientX, clientY);
    const box = view.svg.viewBox.baseVal;
    return {
      view: view.name,
      x: round((point.x - box.x) / box.width),
      y: round((point.y - box.y) / box.height),
      muscle: region.dataset.muscle || null,
      side: sideAt(view, point.x),
      candidates: region.dataset.candidates.split(" ").filter(Boolean),
    };
  }

  function regionAt(view, clientX, clientY) {
    return document
      .elementsFromPoint(clientX, clientY)
      .find((element) => element.classList.contains("bm-region") && view.svg.contains(element));
  }

  function nearbyRegion(view, clientX, clientY) {
    const onOutline = document
      .elementsFromPoint(clientX, clientY)
      .some((element) => element.classList.contains("bm-outline") && view.svg.contains(element));
    if (!onOutline) return null;
    const figureHeight = view.svg.querySelector(".bm-figure").getBBox().height;
    const maxDistance = snapDistance * figureHeight * view.svg.getScreenCTM().a;
    const step = Math.max(1, maxDistance / 10);
    for (let distance = step; distance <= maxDistance; distance += step) {
      const samples = Math.ceil((2 * Math.PI * distance) / step);
      for (let i = 0; i < samples; i++) {
        const angle = (2 * Math.PI * i) / samples;
        const x = clientX + distance * Math.cos(angle);
        const y = clientY + distance * Math.sin(angle);
        const region = regionAt(view, x, y);
        if (region) return region;
      }
    }
    return null;
  }

  function sideAt(view, userX) {
    const figure = view.svg.querySelector(".bm-figure").getBBox();
    const offset = userX - (figure.x + figure.width / 2);
    if (Math.abs(offset) <= MIDLINE_HALF_WIDTH * view.svg.viewBox.baseVal.width) return "midline";
    const onScreenLeft = offset < 0;
    return (view.name === "front") === onScreenLeft ? "right" : "left";
  }

  function onClick(event) {
    if (suppressClick || event.target.closest(".bm-marker")) {
      suppressClick = false;
      return;
    }
    const spot = locate(viewOf(event.target), event.clientX, event.clientY);
    if (spot) emit("pick", spot);
  }

  function onKeyDown(event) {
    const marker = activeMarker(event.target);
    if (!marker || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    emit("select", { id: marker.dataset.id });
  }

  function onPointerDown(event) {
    suppressClick = false;
    const marker = activeMarker(event.target);
    if (!marker || !event.isPrimary || event.button !== 0) return;
    marker.setPointerCapture(event.pointerId);
    const view = viewOf(marker);
    const pointer = toUser(view.svg, event.clientX, event.clientY);
    const centre = markerCentre(marker);
    drag = {
      marker,
      view,
      pointerId: event.pointerId,
      start: { x: event.clientX, y: event.clientY },
      origin: centre,
      offset: { x: centre.x - pointer.x, y: centre.y - pointer.y },
      moved: false,
    };
  }

  function onPointerMove(event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const travelled = Math.hypot(event.clientX - drag.start.x, event.clientY - drag.start.y);
    if (!drag.moved && travelled < (DRAG_THRESHOLD_PX[event.pointerType] ?? 4)) return;
    drag.moved = true;
    drag.marker.classList.add("bm-dragging");
    const pointer = toUser(drag.view.svg, event.clientX, event.clientY);
    placeMarker(drag.marker, pointer.x + drag.offset.x, pointer.y + drag.offset.y);
  }

  function onPointerUp(event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const { marker, view, moved } = drag;
    const id = marker.dataset.id;
    if (!moved) {
      drag = null;
      emit("select", { id });
      return;
    }
    suppressClick = true;
    const centre = toClient(view.svg, markerCentre(marker));
    const spot = locate(view, centre.x, centre.y);
    cancelDrag();
    if (!spot) return;
    placeMarker(marker, ...fromNormalised(view, spot));
    const { x, y, muscle, side } = spot;
    emit("move", { id, view: view.name, x, y, muscle, side });
  }

  function cancelDrag() {
    if (!drag) return;
    drag.marker.classList.remove("bm-dragging");
    placeMarker(drag.marker, drag.origin.x, drag.origin.y);
    drag = null;
  }

  function onPointerOver(event) {
    if (drag) return;
    hover(event.target.closest(".bm-region"));
  }

  // Highlights every shape of the muscle under the pointer, on that side.
  function hover(region) {
    for (const lit of root.querySelectorAll(".bm-hover")) lit.classList.remove("bm-hover");
    if (hoverLabel) hoverLabel.textContent = region ? region.querySelector("title").textContent : "";
    if (!region) return;
    const { muscle, side } = region.dataset;
    const same = muscle
      ? viewOf(region).svg.querySelectorAll(
          `.bm-region[data-muscle="${muscle}"][data-side="${side}"]`,
        )
      : [region];
    for (const lit of same) lit.classList.add("bm-hover");
  }

  function markersRender(points, ghost) {
    for (const view of views.values()) (ghost ? view.ghosts : view.markers).replaceChildren();
    for (const point of points) {
      const view = views.get(point.view);
      if (!view) continue;
      const marker = markerBuild(point, ghost);
      (ghost ? view.ghosts : view.markers).append(marker);
      placeMarker(marker, ...fromNormalised(view, point));
    }
    if (!ghost) setSelected(selectedId);
  }

  function markerBuild(point, ghost) {
    const marker = svgElement("g", { class: ghost ? "bm-marker bm-ghost" : "bm-marker" });
    const size = radius(point.units);
    const number = svgElement("text", { "text-anchor": "middle", "dominant-baseline": "central" });
    number.textContent = String(point.number);
    marker.append(svgElement("circle", { r: size }), number);
    if (ghost) return marker;
    const units = Number.isFinite(point.units) ? `, ${point.units} units` : "";
    const name = `Point ${point.number}${point.label ? `: ${point.label}` : ""}${units}`;
    const title = svgElement("title", {});
    title.textContent = name;
    marker.prepend(title);
    for (const [key, value] of Object.entries({
      "data-id": point.id,
      tabindex: "0",
      role: "button",
      "aria-label": name,
    })) {
      marker.setAttribute(key, value);
    }
    return marker;
  }

  function setHeat(valuesBySlug) {
    for (const region of root.querySelectorAll(".bm-region")) {
      const title = region.querySelector("title");
      if (!titles.has(region)) titles.set(region, title.textContent);
      region.classList.remove("bm-heat", ...heatClasses());
      delete region.dataset.heat;
      title.textContent = titles.get(region);
      const value = valuesBySlug[region.dataset.muscle];
      if (!region.dataset.muscle || !Number.isFinite(value)) continue;
      const clamped = Math.min(1, Math.max(0, value));
      region.classList.add("bm-heat", `bm-heat-${Math.ceil(clamped * HEAT_LEVELS)}`);
      region.dataset.heat = String(clamped);
      title.textContent = `${titles.get(region)}: ${describeHeat(region.dataset.muscle, clamped)}`;
    }
  }

  function setSelected(id) {
    selectedId = id ?? null;
    for (const marker of root.querySelectorAll(".bm-markers .bm-marker")) {
      marker.classList.toggle("bm-selected", marker.dataset.id === String(selectedId));
    }
  }

  function destroy() {
    listeners.abort();
    setHeat({});
    hover(null);
    for (const view of views.values()) {
      view.ghosts.remove();
      view.markers.remove();
    }
    views.clear();
  }

  return {
    setPoints: (points) => markersRender(points, false),
    setGhostPoints: (points) => markersRender(points, true),
    setSelected,
    setHeat,
    destroy,
  };
}

function heatClasses() {
  return Array.from({ length: HEAT_LEVELS + 1 }, (_, level) => `bm-heat-${level}`);
}

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

function placeMarker(marker, x, y) {
  marker.setAttribute("transform", `translate(${x} ${y})`);
  marker.dataset.x = x;
  marker.dataset.y = y;
}

function markerCentre(marker) {
  return { x: Number(marker.dataset.x), y: Number(marker.dataset.y) };
}

function fromNormalised(view, point) {
  const box = view.svg.viewBox.baseVal;
  const x = Math.min(1, Math.max(0, point.x));
  const y = Math.min(1, Math.max(0, point.y));
  return [box.x + x * box.width, box.y + y * box.height];
}

function toUser(svg, clientX, clientY) {
  return new DOMPoint(clientX, clientY).matrixTransform(svg.getScreenCTM().inverse());
}

function toClient(svg, point) {
  return new DOMPoint(point.x, point.y).matrixTransform(svg.getScreenCTM());
}

function round(value) {
  return Math.round(value * 10000) / 10000;
}
