"""The session pages and the JSON endpoints the editor saves to."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse

from procedures import errors
from procedures.models import Product, SessionStatus, TriggerPoint
from procedures.services.points import InjectionInput, trigger_point_add
from procedures.services.sessions import session_details_update
from procedures.services.signing import session_sign
from procedures.services.stock import vial_open
from procedures.tests.conftest import a_point, inject
from procedures.tests.factories import LotFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

ICD10_MESSAGE = "Enter an ICD-10 code such as M79.18, or leave it empty."
READY = {
    "pain_before": 6,
    "precautions_confirmed": True,
    "site_infection_checked": True,
    "aftercare_given": True,
}


@pytest.fixture
def signed_in(client, clinician):
    client.force_login(clinician)
    return client


def point_data(from_vial, **overrides) -> dict:
    data = {
        "muscle": "upper-trapezius",
        "side": "left",
        "view": "back",
        "x": "0.43",
        "y": "0.215",
        "kind": "active",
        "tenderness": "2",
        "taut_band": "true",
        "vial": from_vial.pk,
        "units": "20",
        "needle_gauge": "30",
        "depth_mm": "15",
        "guidance": "landmark",
    }
    return {**data, **overrides}


def test_the_owner_gets_the_editor_with_the_map_and_the_header(signed_in, session, vial):
    html = signed_in.get(reverse("procedures:session", args=[session.pk])).content.decode()

    assert 'data-testid="body-map"' in html
    assert 'svg xmlns="http://www.w3.org/2000/svg" viewBox="724 0 724 1448"' in html
    assert "Latex" in html  # allergies, in the header
    assert "until" in html and "Valid" in html  # consent
    assert 'src="/static/js/session-editor.' in html


def test_another_clinician_reads_the_draft_without_an_editor(client, other_clinician, session):
    client.force_login(other_clinician)

    html = client.get(reverse("procedures:session", args=[session.pk])).content.decode()

    assert 'data-testid="body-map"' not in html
    assert "only they can change or sign it" in html


def test_adding_a_point_answers_with_the_new_state(signed_in, session, vial, trapezius):
    response = signed_in.post(reverse("procedures:point_add", args=[session.pk]), point_data(vial))

    state = response.json()
    assert response.status_code == 200
    assert [(p["number"], p["muscle"], p["injection"]["units"]) for p in state["points"]] == [
        (1, "upper-trapezius", "20")
    ]
    assert state["points"][0]["injection"]["volume_ml"] == "0.5"
    assert state["totals"]["session"] == "20"
    assert state["totals"]["muscles"] == [
        {"muscle": "Upper trapezius", "side": "Left", "units": "20"}
    ]
    vial.refresh_from_db()
    assert vial.units_remaining == 80


def test_the_per_site_warning_comes_back_with_the_state(signed_in, session, vial, trapezius):
    response = signed_in.post(
        reverse("procedures:point_add", args=[session.pk]), point_data(vial, units="51")
    )

    assert [w["rule"] for w in response.json()["warnings"]] == ["per_site"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("units", "0", "Units must be more than 0."),
        ("units", "-5", "Units must be more than 0."),
        ("units", "ten", "Enter the units as a number, e.g. 10 or 12.5."),
        ("units", "12.345", "Units go to two decimal places at most."),
        ("units", "99999999", "That is more units than any vial holds."),
        ("depth_mm", "101", "Depth is at most 100 mm."),
        ("x", "1.5", "The point must be on the figure."),
        ("y", "-0.1", "The point must be on the figure."),
        ("needle_gauge", "12", "Needle gauge is 18 to 34."),
        ("muscle", "no-such-muscle", "Choose the muscle."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    signed_in, session, vial, trapezius, field: str, value: str, message: str
) -> None:
    response = signed_in.post(
        reverse("procedures:point_add", args=[session.pk]), point_data(vial, **{field: value})
    )

    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not TriggerPoint.objects.filter(session=session).exists()
    vial.refresh_from_db()
    assert vial.units_remaining == 100


def test_more_units_than_the_vial_has_left_is_refused(signed_in, session, vial, trapezius):
    response = signed_in.post(
        reverse("procedures:point_add", args=[session.pk]), point_data(vial, units="100.5")
    )

    assert response.status_code == 409
    assert response.json()["errors"]["units"] == [
        errors.VIAL_TOO_FEW_UNITS.format(vial=vial.pk, left="100", asked="100.5")
    ]
    assert not TriggerPoint.objects.filter(session=session).exists()


def test_a_vial_of_another_product_is_refused_by_the_endpoint(
    signed_in, session, clinician, trapezius
) -> None:
    dysport = LotFactory(product=Product.objects.get(brand_name="Dysport"), units_per_vial=300)
    other = vial_open(lot=dysport, diluent_ml=Decimal(3), user=clinician)

    response = signed_in.post(reverse("procedures:point_add", args=[session.pk]), point_data(other))

    assert response.status_code == 409
    assert response.json()["error"] == errors.VIAL_OTHER_PRODUCT.format(
        vial=other.pk, vial_product="Dysport", product="Botox"
    )
    assert not TriggerPoint.objects.filter(session=session).exists()


def test_units_need_a_vial(signed_in, session, vial, trapezius) -> None:
    response = signed_in.post(
        reverse("procedures:point_add", args=[session.pk]), point_data(vial, vial="")
    )

    assert response.json()["errors"]["vial"] == ["Choose the vial the units are drawn from."]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"pain_before": "11"}, "pain_before", "Pain is scored from 0 to 10."),
        ({"pain_before": "x"}, "pain_before", "Pain is a whole number from 0 to 10."),
        (
            {"icd10_code": "not a code"},
            "icd10_code",
            "Enter an ICD-10 code such as M79.18, or leave it empty.",
        ),
        ({"observation_minutes": "500"}, "observation_minutes", "Observation is 0 to 240 minutes."),
        ({"indication": ""}, "indication", "Enter the indication."),
    ],
)
def test_bad_details_are_refused(signed_in, session, data, field, message) -> None:
    response = signed_in.post(reverse("procedures:details_save", args=[session.pk]), data)

    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    session.refresh_from_db()
    assert (session.pain_before, session.icd10_code, session.observation_minutes) == (
        None,
        "",
        15,
    )


def test_details_are_saved_one_field_at_a_time(signed_in, session) -> None:
    url = reverse("procedures:details_save", args=[session.pk])

    signed_in.post(url, {"pain_before": "7"})
    signed_in.post(url, {"precautions_confirmed": "true"})
    signed_in.post(url, {"icd10_code": "m79.18"})

    session.refresh_from_db()
    assert (session.pain_before, session.precautions_confirmed, session.icd10_code) == (
        7,
        True,
        "M79.18",
    )
    assert session.indication == "Myofascial pain"


def _signed(session, trapezius, vial):
    inject(session, trapezius, "20", vial)
    session_details_update(session=session, user=session.clinician, changes=READY)
    return session_sign(session=session, user=session.clinician)


def test_a_hand_made_post_cannot_edit_a_signed_session(signed_in, session, trapezius, vial):
    signed = _signed(session, trapezius, vial)
    point = signed.trigger_points.get()

    attempts = [
        (reverse("procedures:point_add", args=[signed.pk]), point_data(vial)),
        (reverse("procedures:point_update", args=[signed.pk, point.pk]), point_data(vial)),
        (reverse("procedures:point_remove", args=[signed.pk, point.pk]), {}),
        (reverse("procedures:details_save", args=[signed.pk]), {"pain_before": "1"}),
        (reverse("procedures:points_copy_last", args=[signed.pk]), {}),
    ]
    for url, data in attempts:
        response = signed_in.post(url, data)
        assert response.status_code == 409, url
        assert response.json()["error"] == errors.SESSION_SIGNED

    signed.refresh_from_db()
    assert signed.pain_before == 6
    assert list(signed.trigger_points.values_list("pk", flat=True)) == [point.pk]
    vial.refresh_from_db()
    assert vial.units_remaining == 80


def test_signing_a_signed_session_again_is_refused_with_a_message(
    signed_in, session, trapezius, vial
) -> None:
    signed = _signed(session, trapezius, vial)

    response = signed_in.post(
        reverse("procedures:session_sign", args=[signed.pk]), {"override_reason": "x"}, follow=True
    )

    assert errors.SESSION_SIGNED in response.content.decode()
    signed.refresh_from_db()
    assert signed.override_reason == ""


def test_another_clinicians_draft_cannot_be_changed(client, other_clinician, session, vial):
    client.force_login(other_clinician)

    response = client.post(reverse("procedures:point_add", args=[session.pk]), point_data(vial))

    assert response.status_code == 409
    assert response.json()["error"] == errors.SESSION_NOT_YOURS


def test_signing_past_a_warning_needs_the_reason_on_the_page(signed_in, session, trapezius, vial):
    inject(session, trapezius, "60", vial)
    session_details_update(session=session, user=session.clinician, changes=READY)
    url = reverse("procedures:session_sign", args=[session.pk])

    refused = signed_in.post(url, {"override_reason": ""})
    signed = signed_in.post(url, {"override_reason": "Tolerated before"})

    assert refused.status_code == 409
    assert errors.OVERRIDE_REASON_REQUIRED in refused.content.decode()
    assert signed.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    assert session.override_reason == "Tolerated before"


def test_starting_from_the_work_list_and_signing_completes_the_appointment(
    signed_in, patient, clinician, trapezius, vial
) -> None:
    appointment = AppointmentFactory(
        patient=patient, clinician=clinician, status=AppointmentStatus.ARRIVED
    )

    started = signed_in.post(reverse("procedures:session_start", args=[appointment.pk]))
    session = appointment.treatment_session
    inject(session, trapezius, "20", vial)
    session_details_update(session=session, user=clinician, changes=READY)
    signed_in.post(reverse("procedures:session_sign", args=[session.pk]))

    assert started["Location"] == reverse("procedures:session", args=[session.pk])
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED


def test_amendments_appear_in_order_under_the_record(signed_in, session, trapezius, vial):
    signed = _signed(session, trapezius, vial)
    url = reverse("procedures:amendment_add", args=[signed.pk])

    signed_in.post(url, {"reason": "First", "text": "Point 1 was on the right."})
    signed_in.post(url, {"reason": "Second", "text": "Bruising reported."})
    html = signed_in.get(reverse("procedures:session", args=[signed.pk])).content.decode()

    assert html.index("Point 1 was on the right.") < html.index("Bruising reported.")
    assert 'data-testid="body-map"' not in html


def test_an_amendment_needs_a_reason_and_a_text(signed_in, session, trapezius, vial) -> None:
    signed = _signed(session, trapezius, vial)

    response = signed_in.post(reverse("procedures:amendment_add", args=[signed.pk]), {"text": ""})

    assert response.status_code == 400
    assert not signed.amendments.exists()


def test_the_print_note_has_the_map_the_points_and_the_signature(
    signed_in, session, trapezius, vial
) -> None:
    signed = _signed(session, trapezius, vial)

    html = signed_in.get(reverse("procedures:session_print", args=[signed.pk])).content.decode()

    assert 'class="record-markers"' in html
    assert "lot C1234A" in html
    assert "Session total: 20 U Botox" in html
    assert f"Signed by {signed.clinician.signature_name}" in html


def test_the_record_table_gives_each_injection_and_the_points_not_injected(
    signed_in, session, trapezius, levator, vial
) -> None:
    trigger_point_add(
        session=session,
        user=session.clinician,
        point=replace(a_point(trapezius), local_twitch=True, referred_pain="the temple"),
        injection=InjectionInput(vial=vial, units=Decimal("12.5")),
    )
    trigger_point_add(
        session=session, user=session.clinician, point=a_point(levator, side="right", y="0.1")
    )

    html = signed_in.get(reverse("procedures:session_print", args=[session.pk])).content.decode()

    table = html[html.index('data-testid="record-points"') : html.index("</table>")]
    expires = vial.lot.expires_on.strftime("%m/%d/%Y")
    assert (
        "<td>1</td><td>Upper trapezius</td><td>Left</td><td>Back</td>"
        "<td>Active, tenderness moderate, taut band, local twitch; refers to the temple</td>"
        '<td class="text-end">12.5</td><td class="text-end">0.313</td>'
        f"<td>Vial {vial.pk} · lot C1234A (exp. {expires})</td><td>30 G · Landmark</td>"
    ) in table
    assert (
        "<td>2</td><td>Levator scapulae</td><td>Right</td><td>Back</td>"
        '<td>Active, tenderness moderate</td><td class="text-end">—</td>'
        '<td colspan="3">Not injected</td>'
    ) in table


def test_the_state_endpoint_serves_the_json(signed_in, session, trapezius, vial) -> None:
    inject(session, trapezius, "20", vial)

    state = signed_in.get(reverse("procedures:session_state", args=[session.pk])).json()

    assert state["editable"] is True
    assert state["vials"][0]["units_per_tenth_ml"] == "4"
    assert json.dumps(state)  # plain JSON all the way down


def test_copying_the_last_session_through_the_endpoint(signed_in, session, trapezius, vial):
    from procedures.tests.factories import session_with_injections

    session_with_injections(
        units=["10"], patient=session.patient, started_at=session.started_at.replace(year=2025)
    )

    response = signed_in.post(reverse("procedures:points_copy_last", args=[session.pk]))

    assert [p["injection"] for p in response.json()["points"]] == [None]


def test_opening_and_printing_a_session_are_in_the_access_log(
    signed_in, clinician, session
) -> None:
    from clinic.models import AccessEvent

    signed_in.get(reverse("procedures:session", args=[session.pk]))
    signed_in.get(reverse("procedures:session_print", args=[session.pk]))

    events = AccessEvent.objects.filter(
        object_type="procedures.treatmentsession", object_id=str(session.pk)
    ).order_by("id")
    assert list(events.values_list("action", "user", "patient_id")) == [
        ("viewed", clinician.pk, session.patient_id),
        ("printed", clinician.pk, session.patient_id),
    ]


def test_changes_to_a_session_are_in_its_history(signed_in, session, vial, trapezius) -> None:
    from procedures.models import TreatmentSessionEvent, TriggerPointEvent

    signed_in.post(reverse("procedures:details_save", args=[session.pk]), {"pain_before": "7"})
    signed_in.post(reverse("procedures:point_add", args=[session.pk]), point_data(vial))

    updates = TreatmentSessionEvent.objects.filter(pgh_obj=session, pgh_label="update")
    assert [event.pain_before for event in updates] == [7]
    assert TriggerPointEvent.objects.filter(session=session, pgh_label="insert").count() == 1
    assert updates.get().pgh_context.metadata["user"] == session.clinician.pk


def test_reactions_are_recorded_and_stay_in_the_state(signed_in, session, vial, trapezius):
    recorded = signed_in.post(
        reverse("procedures:reaction_add", args=[session.pk]),
        {"kind": "vasovagal", "severity": "mild", "description": "Lay down 10 minutes"},
    ).json()
    after_a_point = signed_in.post(
        reverse("procedures:point_add", args=[session.pk]), point_data(vial)
    ).json()

    assert recorded["reactions"] == after_a_point["reactions"]
    [reaction] = after_a_point["reactions"]
    assert (reaction["kind"], reaction["severity"]) == ("Fainting or near-fainting", "Mild")

    removed = signed_in.post(
        reverse("procedures:reaction_remove", args=[session.pk, reaction["id"]])
    ).json()
    assert removed["reactions"] == []


def test_a_reaction_needs_its_kind_and_severity(signed_in, session) -> None:
    response = signed_in.post(reverse("procedures:reaction_add", args=[session.pk]), {})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "severity"}
    assert not session.adverse_events.exists()


def test_the_signed_record_shows_the_patients_survey_answers(client, clinician) -> None:
    from followups.tests.factories import SurveyResponseFactory
    from procedures.tests.factories import TreatmentSessionFactory

    session = TreatmentSessionFactory(clinician=clinician, signed=True)
    SurveyResponseFactory(
        followup__session=session, pain_now=2, comment="Much easier to turn my head"
    )
    client.force_login(clinician)

    html = client.get(reverse("procedures:session", args=[session.pk])).content.decode()

    assert 'data-testid="session-surveys"' in html
    assert "Much easier to turn my head" in html
