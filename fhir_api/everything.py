"""Patient/$everything, one page at a time.

The bundle's order is fixed: the patient; then, for a clinical reader, the
practitioners they have seen (by id), their appointments (by start),
consents (by signing date), and each signed session (by start) followed by
what was recorded in it: Encounter, Procedure, pain-before Observation,
BodyStructures, MedicationAdministrations, survey Observations. Front desk
gets the patient and the appointments only.

A page is a window of that order (`_offset`, `_count`). The number of
entries in each part is counted first (the patient's row with two counts
and the appointments' clinicians; one row of counts per signed session),
so only the parts the window overlaps are read, in a fixed number of
queries: a page costs the same whatever the length of the history. The
sessions at the window's edges are read whole, but only the entries inside
the window are built.

Offsets are positions in the record as it is when each page is asked for:
a row added between two requests moves the entries after it by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from clinic.models import User
from fhir_api import builders as build
from fhir_api import selectors as select
from fhir_api.builders import Resource
from followups.models import SurveyResponse
from patients.models import Patient
from procedures.models import TreatmentSession

DEFAULT_COUNT = 50
MAX_COUNT = 500
MAX_DIGITS = 18

COUNT_INVALID = "_count must be a whole number (0 for the total only; at most {max} a page)."
OFFSET_INVALID = "_offset must be a whole number from 0 (the first entry) up."


class BadPageParameter(ValueError):
    """A page parameter that is not a whole number."""


@dataclass(frozen=True)
class Window:
    offset: int
    count: int

    @property
    def stop(self) -> int:
        return self.offset + self.count


@dataclass(frozen=True)
class Part:
    """A run of entries in the bundle's order: how many, and how to build entries [start, stop)."""

    size: int
    read: Callable[[int, int], list[Resource]]


@dataclass(frozen=True)
class Page:
    window: Window
    total: int
    resources: list[Resource]


def page_window(query: Mapping[str, str]) -> Window:
    """The window the request asks for: `_count` (default DEFAULT_COUNT, capped
    at MAX_COUNT as FHIR lets a server do) from `_offset` (default 0)."""
    count = _whole_number(query.get("_count"), DEFAULT_COUNT, COUNT_INVALID.format(max=MAX_COUNT))
    offset = _whole_number(query.get("_offset"), 0, OFFSET_INVALID)
    return Window(offset=offset, count=min(count, MAX_COUNT))


def _whole_number(value: str | None, default: int, message: str) -> int:
    if value is None:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS):
        raise BadPageParameter(message)
    return int(value)


def everything_page(*, patient: Patient, clinical: bool, window: Window) -> Page:
    """One page of the patient's $everything; `patient` comes from
    selectors.patient_with_part_counts."""
    parts = _clinical_parts(patient) if clinical else _scheduling_parts(patient)
    total = sum(part.size for part in parts)
    return Page(window=window, total=total, resources=_read_window(parts, window))


def _read_window(parts: list[Part], window: Window) -> list[Resource]:
    found: list[Resource] = []
    part_offset = 0
    for part in parts:
        start = max(window.offset - part_offset, 0)
        stop = min(window.stop - part_offset, part.size)
        if start < stop:
            found += part.read(start, stop)
        part_offset += part.size
    return found


def _scheduling_parts(patient: Patient) -> list[Part]:
    return [
        Part(1, lambda start, stop: [build.patient_resource(patient)]),
        Part(patient.appointment_count, partial(_appointments, patient)),
    ]


def _clinical_parts(patient: Patient) -> list[Part]:
    patient_part, appointments = _scheduling_parts(patient)
    shapes = list(select.signed_session_shapes(patient))
    practitioner_ids = sorted(
        {*patient.appointment_clinician_ids, *(shape["clinician"] for shape in shapes)}
    )
    return [
        patient_part,
        Part(len(practitioner_ids), partial(_practitioners, practitioner_ids)),
        appointments,
        Part(patient.consent_count, partial(_consents, patient)),
        _sessions_part(shapes),
    ]


def _practitioners(practitioner_ids: list[int], start: int, stop: int) -> list[Resource]:
    """The clinicians of the patient's appointments and signed sessions, by id."""
    users = User.objects.filter(pk__in=practitioner_ids[start:stop]).order_by("pk")
    return [build.practitioner_resource(user) for user in users]


def _appointments(patient: Patient, start: int, stop: int) -> list[Resource]:
    appointments = select.appointments().filter(patient=patient).order_by("timespan", "pk")
    return [build.appointment_resource(a) for a in appointments[start:stop]]


def _consents(patient: Patient, start: int, stop: int) -> list[Resource]:
    consents = select.consents().filter(patient=patient).order_by("signed_on", "pk")
    return [build.consent_resource(consent) for consent in consents[start:stop]]


def _sessions_part(shapes: list[dict]) -> Part:
    sizes = [(shape["pk"], _session_size(shape)) for shape in shapes]
    return Part(sum(size for _, size in sizes), partial(_sessions, sizes))


def _session_size(shape: dict) -> int:
    """How many entries session_entries gives for a session of this shape."""
    before = 1 if shape["pain_before"] is not None else 0
    return 2 + before + shape["point_count"] + shape["injection_count"] + 2 * shape["answer_count"]


def _sessions(sizes: list[tuple[int, int]], start: int, stop: int) -> list[Resource]:
    """Entries [start, stop) of the sessions part: the sessions they fall in are
    read whole (five queries), built, and cut to the window."""
    session_ids: list[int] = []
    skipped = 0
    session_start = 0
    for session_id, size in sizes:
        if session_start + size <= start:
            skipped = session_start + size
        elif session_start < stop:
            session_ids.append(session_id)
        session_start += size
    sessions = select.sessions_with_points().filter(pk__in=session_ids).order_by("started_at", "pk")
    answers = _answers_by_session(session_ids)
    entries = [entry for s in sessions for entry in session_entries(s, answers[s.pk])]
    return [build_entry() for build_entry in entries[start - skipped : stop - skipped]]


def _answers_by_session(session_ids: list[int]) -> dict[int, list[SurveyResponse]]:
    found: dict[int, list[SurveyResponse]] = defaultdict(list)
    answers = select.survey_responses().filter(session__in=session_ids)
    for answer in answers.order_by("submitted_at", "pk"):
        found[answer.session_id].append(answer)
    return found


def session_entries(
    session: TreatmentSession, answers: list[SurveyResponse]
) -> list[Callable[[], Resource]]:
    """A signed session and what was recorded in it, in the bundle's order, as
    builders not yet called: a page builds only the entries it shows of the
    sessions at its edges. `session` comes from selectors.sessions_with_points."""
    points = list(session.trigger_points.all())
    before = (
        [partial(build.pain_before_observation, session)] if session.pain_before is not None else []
    )
    return [
        partial(build.encounter_resource, session),
        partial(build.procedure_resource, session),
        *before,
        *(partial(build.body_structure_resource, point) for point in points),
        *(
            partial(build.medication_administration_resource, injection)
            for point in points
            for injection in point.injections.all()
        ),
        *(
            partial(builder, answer)
            for answer in answers
            for builder in (build.survey_pain_observation, build.survey_pgic_observation)
        ),
    ]


def page_links(page: Page, url_for: Callable[[Window], str]) -> list[dict[str, str]]:
    """Bundle.link for a page: self, first, previous, next, last. `url_for`
    puts a window in a URL, which carries only the patient's id and two numbers."""
    window = page.window
    links = [("self", window)]
    if window.count:
        last = Window((page.total - 1) // window.count * window.count, window.count)
        links.append(("first", Window(0, window.count)))
        if window.offset > 0:
            previous = max(min(window.offset - window.count, last.offset), 0)
            links.append(("previous", Window(previous, window.count)))
        if window.stop < page.total:
            links.append(("next", Window(window.stop, window.count)))
        links.append(("last", last))
    return [{"relation": relation, "url": url_for(target)} for relation, target in links]
