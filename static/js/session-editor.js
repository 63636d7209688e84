/**
 * The session editor (templates/procedures/session_editor.html).
 *
 * Every change is posted at once to the session's JSON endpoints
 * (procedures/views/api.py), which answer with the whole state: points,
 * totals, dose-guard warnings, vials. The page redraws from that answer, so
 * what is shown is what the server holds, and a closed tab loses nothing.
 * The body map is static/js/body-map.js; the list and form beside it do
 * everything the map does, for keyboard users.
 */
import { mountBodyMap } from "./body-map.js";

const root = document.getElementById("session-editor");
const urls = root.dataset;
const csrfToken = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
const ghosts = JSON.parse(document.getElementById("session-ghosts").textContent);
let state = JSON.parse(document.getElementById("session-state").textContent);
let pending = 0;
let editing = null; // null, or {id: null | point id, source: "map" | "list"}
let lastVialId = null;

const $ = (selector, within = root) => within.querySelector(selector);
const map = mountBodyMap($("[data-body-map]"));
const editor = $("[data-point-editor]");
const pointForm = $("[data-point-form]");
const statusLine = $("[data-save-status]");
const ghostSwitch = $("[data-show-ghosts]");

// Talking to the server -------------------------------------------------------

function setStatus(kind, message = "") {
  const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const texts = {
    saving: "Saving…",
    saved: `All changes saved (${time}).`,
    refused: `Not saved: ${message}`,
    offline: "Not saved: the server cannot be reached. Check the connection and try again.",
  };
  statusLine.textContent = texts[kind];
  statusLine.dataset.kind = kind;
}

function formBody(data) {
  if (data instanceof FormData) return data;
  const body = new FormData();
  for (const [key, value] of Object.entries(data)) body.append(key, value ?? "");
  return body;
}

// Changes go to the server one at a time, in the order they were made, so
// the state drawn last is always the state after the last change.
let queue = Promise.resolve();

function post(url, data = {}) {
  pending += 1;
  setStatus("saving");
  const body = formBody(data);
  const sent = queue.then(() => send(url, body));
  queue = sent;
  return sent;
}

async function send(url, body) {
  try {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
      credentials: "same-origin",
    });
    const payload = await response.json().catch(() => ({
      error: "the server did not answer as expected; reload the page (you may need to sign in).",
    }));
    if (!response.ok) {
      setStatus("refused", payload.error);
      return { ok: false, error: payload.error, errors: payload.errors ?? {} };
    }
    state = payload;
    render();
    if (pending === 1) setStatus("saved");
    return { ok: true };
  } catch {
    setStatus("offline");
    return { ok: false, error: "The server cannot be reached.", errors: {} };
  } finally {
    pending -= 1;
  }
}

const pointUrl = (id, action = "") => urls.pointUrl.replace(/0\/$/, `${id}/${action}`);

window.addEventListener("beforeunload", (event) => {
  if (pending > 0) event.preventDefault();
});

// Drawing the state -------------------------------------------------------------

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function vialById(id) {
  return state.vials.find((vial) => String(vial.id) === String(id));
}

function render() {
  drawMarkers();
  map.setGhostPoints(ghostSwitch?.checked ? ghosts : []);
  renderPoints();
  renderTotals();
  renderWarnings();
  renderVials();
  renderReactions();
  const missing = $("[data-missing]");
  missing.replaceChildren(
    ...state.missing.map((item) => element("li", {}, `Still needed before signing: ${item}.`)),
  );
  if (editing?.id && !state.points.some((point) => point.id === editing.id)) closeEditor();
}

// The saved points, and a provisional marker where a new point is being added.
function drawMarkers() {
  const points = state.points.map((point) => ({ ...point, id: String(point.id) }));
  const spot = editing && !editing.id ? editing.spot : null;
  if (spot) points.push({ ...spot, id: "new", number: "+", units: 0, label: "new point" });
  map.setPoints(points);
  map.setSelected(spot ? "new" : editing?.id ? String(editing.id) : null);
}

function renderPoints() {
  const rows = state.points.map((point) => {
    const row = element("tr", { "data-point-id": point.id });
    row.append(
      element("td", {}, String(point.number)),
      element("td", {}, `${point.muscle_name} (${point.side})`),
      element("td", { class: "text-end" }, point.injection ? point.injection.units : "—"),
      element("td", { class: "text-end" }, point.injection ? point.injection.volume_ml : ""),
    );
    const edit = element(
      "button",
      {
        type: "button",
        class: "btn btn-link btn-sm p-0",
        "aria-label": `Edit point ${point.number}`,
      },
      "Edit",
    );
    edit.addEventListener("click", () => openEditor({ id: point.id, source: "list" }));
    const cell = element("td", { class: "text-end" });
    cell.append(edit);
    row.append(cell);
    return row;
  });
  $("[data-points-body]").replaceChildren(...rows);
  $("[data-no-points]").hidden = rows.length > 0;
}

function renderTotals() {
  const product = state.product ?? "";
  $("[data-muscle-totals]").replaceChildren(
    ...state.totals.muscles.map((total) =>
      element(
        "li",
        {},
        `${total.muscle} (${total.side.toLowerCase()}): ${total.units} U ${product}`,
      ),
    ),
  );
  $("[data-session-total]").textContent = state.totals.session;
}

function renderWarnings() {
  $("[data-warnings-card]").hidden = state.warnings.length === 0;
  $("[data-warnings]").replaceChildren(
    ...state.warnings.map((warning) =>
      element("li", { "data-rule": warning.rule }, warning.message),
    ),
  );
  $("[data-override]").hidden = state.warnings.length === 0;
}

function vialStatus(vial) {
  if (vial.usable) return `${vial.units_remaining} U left · use by ${vial.use_by}`;
  return `cannot be drawn from (${vial.units_remaining} U left, use by ${vial.use_by})`;
}

function renderVials() {
  $("[data-vial-list]").replaceChildren(
    ...state.vials.map((vial) =>
      element("li", { "data-vial-id": vial.id }, `${vial.label} · ${vialStatus(vial)}`),
    ),
  );
  if (!state.vials.length) {
    $("[data-vial-list]").append(
      element("li", {}, "No open vial: open one below to record units."),
    );
  }
}

function fillVialSelect(currentVialId) {
  const select = $("[data-vial-select]");
  const choices = state.vials.filter(
    (vial) => vial.usable || String(vial.id) === String(currentVialId),
  );
  select.replaceChildren(
    element("option", { value: "" }, choices.length ? "Choose a vial…" : "No open vial"),
    ...choices.map((vial) =>
      element("option", { value: vial.id }, `${vial.label} (${vial.units_remaining} U left)`),
    ),
  );
  const preferred = currentVialId ?? lastVialId ?? (choices.length === 1 ? choices[0].id : null);
  select.value =
    preferred && choices.some((v) => String(v.id) === String(preferred)) ? String(preferred) : "";
}

function renderReactions() {
  const list = $("[data-reactions]");
  list.replaceChildren(
    ...state.reactions
      .filter((reaction) => reaction.observed)
      .map((reaction) => {
        const note = reaction.description ? `: ${reaction.description}` : "";
        const item = element(
          "li",
          { class: "mb-1" },
          `${reaction.kind} (${reaction.severity})${note} `,
        );
        const remove = element(
          "button",
          {
            type: "button",
            class: "btn btn-link btn-sm p-0",
            "aria-label": `Remove ${reaction.kind}`,
          },
          "Remove",
        );
        remove.addEventListener("click", () =>
          post(urls.reactionRemoveUrl.replace(/0\/remove\/$/, `${reaction.id}/remove/`)),
        );
        item.append(remove);
        return item;
      }),
  );
}

// The point editor ----------------------------------------------------------------

function field(name) {
  return pointForm.elements[name];
}

function showErrors(form, errors, message) {
  for (const node of form.querySelectorAll(".is-invalid")) node.classList.remove("is-invalid");
  for (const node of form.querySelectorAll("[data-error-for]")) node.textContent = "";
  const summary = form.querySelector("[data-form-error]");
  if (summary) summary.textContent = message ?? "";
  for (const [name, messages] of Object.entries(errors ?? {})) {
    const input = form.elements[name];
    const slot =
      form.querySelector(`[data-error-for="${name}"]`) ??
      input?.parentElement.querySelector(".invalid-feedback");
    input?.classList?.add("is-invalid");
    if (slot) slot.textContent = messages.join(" ");
  }
}

function muscleName(slug) {
  const option = field("muscle").querySelector(
    `optgroup:not([data-candidates]) option[value="${slug}"]`,
  );
  return option ? option.textContent : slug;
}

function setCandidates(slugs) {
  const group = field("muscle").querySelector("[data-candidates]");
  group.replaceChildren(
    ...slugs.map((slug) => element("option", { value: slug }, muscleName(slug))),
  );
  group.hidden = slugs.length === 0;
}

function openEditor({ id = null, source, pick = null }) {
  const point = id ? state.points.find((p) => p.id === Number(id)) : null;
  editing = { id: point ? point.id : null, source, spot: pick };
  pointForm.reset();
  showErrors(pointForm, {});
  setCandidates(pick?.candidates ?? []);
  $("[data-editor-title]").textContent = point ? `Point ${point.number}` : "New point";
  $("[data-remove-point]").hidden = !point;
  $("[data-save-point]").textContent = point ? "Save and close" : "Save point";
  const values = point ?? {
    muscle: pick?.muscle ?? "", // a shape that shows no muscle: the clinician chooses
    side: pick?.side ?? "left",
    view: pick?.view ?? "back",
    x: pick?.x ?? "",
    y: pick?.y ?? "",
  };
  for (const name of ["muscle", "side", "view", "x", "y", "kind", "referred_pain"]) {
    if (values[name] !== undefined) field(name).value = values[name];
  }
  if (point) {
    field("tenderness").value = point.tenderness;
    field("taut_band").checked = point.taut_band;
    field("local_twitch").checked = point.local_twitch;
  }
  const injection = point?.injection;
  fillVialSelect(injection?.vial ?? null);
  field("units").value = injection?.units ?? "";
  field("needle_gauge").value = injection?.needle_gauge ?? 30;
  field("depth_mm").value = injection?.depth_mm ?? "";
  field("guidance").value = injection?.guidance ?? "landmark";
  showVolume();
  editor.hidden = false;
  drawMarkers();
  const focus =
    source === "map"
      ? values.muscle
        ? field("units")
        : field("muscle")
      : source === "list" && !point
        ? field("muscle")
        : $("[data-editor-title]");
  focus.focus();
}

function closeEditor() {
  const source = editing?.source;
  editing = null;
  editor.hidden = true;
  drawMarkers();
  if (source === "list") $("[data-add-point]").focus();
}

function showVolume() {
  const output = $("[data-volume]");
  const vial = vialById(field("vial").value);
  const units = Number(field("units").value.trim().replace(",", "."));
  if (!vial || !field("units").value.trim() || !Number.isFinite(units) || units <= 0) {
    output.textContent = vial ? `${vial.units_per_tenth_ml} U per 0.1 mL` : "—";
    return;
  }
  const volume = (units * Number(vial.volume_ml)) / Number(vial.units_total);
  output.textContent = `${Number(volume.toFixed(3))} mL (${vial.units_per_tenth_ml} U per 0.1 mL)`;
}

// A point added from the list (no click on the map) is placed at the middle of
// its muscle's shape on the chosen view and side, or of a shape that offers it.
function anchorFor(view, slug, side) {
  const svg = root.querySelector(`svg[data-view="${view}"]`);
  const regions = [...svg.querySelectorAll(".bm-region")];
  let shapes = regions.filter((region) => region.dataset.muscle === slug);
  if (!shapes.length)
    shapes = regions.filter((region) => region.dataset.candidates.split(" ").includes(slug));
  const shape = shapes.find((region) => region.dataset.side === side) ?? shapes[0];
  if (!shape) return null;
  const box = shape.getBBox();
  const frame = svg.viewBox.baseVal;
  const round = (value) => Math.round(value * 10000) / 10000;
  return {
    x: round((box.x + box.width / 2 - frame.x) / frame.width),
    y: round((box.y + box.height / 2 - frame.y) / frame.height),
  };
}

function placeFromList() {
  if (field("x").value && field("y").value) return;
  const slug = field("muscle").value;
  if (!slug) return;
  for (const view of [field("view").value, field("view").value === "front" ? "back" : "front"]) {
    const anchor = anchorFor(view, slug, field("side").value);
    if (anchor) {
      field("view").value = view;
      field("x").value = anchor.x;
      field("y").value = anchor.y;
      return;
    }
  }
}

async function savePoint({ close }) {
  placeFromList();
  const body = new FormData(pointForm);
  for (const name of ["taut_band", "local_twitch"])
    body.set(name, field(name).checked ? "true" : "false");
  if (field("vial").value) lastVialId = field("vial").value;
  const saving = editing;
  const result = await post(saving.id ? pointUrl(saving.id) : urls.pointAddUrl, body);
  if (editing !== saving) return; // the clinician has moved on to another point
  if (!result.ok) {
    showErrors(pointForm, result.errors, result.error);
    return;
  }
  showErrors(pointForm, {});
  if (close || !saving.id) closeEditor();
}

pointForm.addEventListener("submit", (event) => {
  event.preventDefault();
  savePoint({ close: true });
});
pointForm.addEventListener("input", (event) => {
  if (event.target.name === "units" || event.target.name === "vial") showVolume();
});
pointForm.addEventListener("change", (event) => {
  if (event.target.name === "vial") showVolume();
  if (
    ["muscle", "side", "view"].includes(event.target.name) &&
    editing &&
    !editing.id &&
    editing.source === "list"
  ) {
    field("x").value = "";
    field("y").value = "";
  }
  if (editing?.id) savePoint({ close: false });
});
$("[data-remove-point]").addEventListener("click", async () => {
  const result = await post(pointUrl(editing.id, "remove/"));
  if (result.ok) closeEditor();
});
$("[data-close-editor]").addEventListener("click", closeEditor);
$("[data-add-point]").addEventListener("click", () => openEditor({ source: "list" }));

// The map ---------------------------------------------------------------------

root.addEventListener("bodymap:pick", (event) => openEditor({ source: "map", pick: event.detail }));
root.addEventListener("bodymap:select", (event) => {
  if (event.detail.id !== "new") openEditor({ id: Number(event.detail.id), source: "map" });
});
root.addEventListener("bodymap:move", (event) => {
  const { id, view, x, y, muscle, side } = event.detail;
  if (id === "new") {
    moveNewPoint(event.detail);
    return;
  }
  const point = state.points.find((p) => p.id === Number(id));
  post(pointUrl(id, "move/"), { view, x, y, side, muscle: muscle ?? point.muscle });
});

// The provisional marker of a point not saved yet was dragged: follow it.
function moveNewPoint({ view, x, y, muscle, side }) {
  editing.spot = { ...editing.spot, view, x, y, muscle, side };
  for (const [name, value] of Object.entries({ view, x, y, side })) field(name).value = value;
  if (muscle) field("muscle").value = muscle;
  drawMarkers();
}
ghostSwitch?.addEventListener("change", render);
$("[data-copy-last]")?.addEventListener("click", () => post(urls.copyUrl));

// Session details and after-care: each field saved as it changes -----------------

function detailValue(input) {
  return input.type === "checkbox" ? (input.checked ? "true" : "false") : input.value;
}

for (const form of root.querySelectorAll("form[data-autosave]")) {
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", async (event) => {
    const input = event.target;
    if (!input.name) return;
    const result = await post(urls.detailsUrl, { [input.name]: detailValue(input) });
    input.classList.toggle("is-invalid", !result.ok);
    let feedback = input.parentElement.querySelector(".invalid-feedback[data-js]");
    if (!feedback) {
      feedback = element("div", { class: "invalid-feedback", "data-js": "" });
      input.after(feedback);
    }
    feedback.textContent = result.ok ? "" : (result.errors[input.name] ?? [result.error]).join(" ");
    if (result.ok && input.name === "product") window.location.reload();
  });
}

// Immediate reactions ----------------------------------------------------------------

const reactionForm = $("[data-reaction-form]");
reactionForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await post(urls.reactionAddUrl, new FormData(reactionForm));
  showErrors(reactionForm, result.ok ? {} : result.errors, result.ok ? "" : result.error);
  if (result.ok) reactionForm.reset();
});

render();
