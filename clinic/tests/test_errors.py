"""Errors carry no health information: the 500 page, the log line, the error report."""

from __future__ import annotations

import logging
import sys

import pytest
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from clinic.audit import Action
from clinic.errors import PhiSafeExceptionReporter
from clinic.logging import PhiSafeFormatter
from clinic.models import AccessEvent
from clinic.tests.security_checks import XSS_PROBE, assert_escaped, assert_refused_and_logged
from clinic.tests.urls_raising import PHI

pytestmark = [pytest.mark.django_db, pytest.mark.urls("clinic.tests.urls_raising")]


def test_the_500_page_shows_nothing_of_the_request(clinician, caplog) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(clinician)

    response = client.post("/explode/?name=Jane+Doe", {"diagnosis": PHI})

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Jane" not in page and "myasthenia" not in page


def test_the_error_log_line_keeps_the_traceback_but_not_the_message(clinician, caplog) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(clinician)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get("/explode/")

    record = next(r for r in caplog.records if r.exc_info)
    line = PhiSafeFormatter("%(message)s").format(record)
    assert "ValueError (message withheld)" in line
    assert "explode" in line
    assert "Jane" not in line


def _report(reporter: type[ExceptionReporter], with_filter=None) -> str:
    request = RequestFactory().post("/explode/?q=Jane+Doe", {"diagnosis": PHI})
    request.COOKIES["sessionid"] = "secret-session"
    diagnosis = PHI  # noqa: F841 (a local the report must not show)
    try:
        raise ValueError(f"could not save {PHI}")
    except ValueError:
        report = reporter(request, *sys.exc_info())
        report.filter = with_filter or report.filter
        return report.get_traceback_text()


def test_error_reports_drop_post_data_query_values_cookies_and_local_variables(settings) -> None:
    settings.DEBUG = True
    # What is at stake: Django's own reporter in debug mode shows all of it.
    assert "myasthenia" in _report(ExceptionReporter, SafeExceptionReporterFilter())

    report = _report(PhiSafeExceptionReporter)

    assert "ValueError" in report and "_report" in report
    assert "Jane" not in report and "myasthenia" not in report
    assert "secret-session" not in report


def test_a_refusal_is_logged_with_the_url_name_and_ids(client, front_desk) -> None:
    client.force_login(front_desk)

    response = assert_refused_and_logged(client, "refused_session", {"session_id": 57})

    assert response.status_code == 403
    event = AccessEvent.objects.get(action=Action.ACCESS_DENIED)
    assert (event.object_type, event.object_id) == ("url:refused_session", "session_id=57")


def test_a_missing_record_is_logged_but_an_unknown_path_is_not(client, front_desk) -> None:
    client.force_login(front_desk)

    missing = client.get("/sessions/58/missing/")
    unknown = client.get("/no/such/page/")

    assert (missing.status_code, unknown.status_code) == (404, 404)
    event = AccessEvent.objects.get(action=Action.NOT_FOUND)
    assert (event.user, event.object_type, event.object_id) == (
        front_desk,
        "url:missing_session",
        "session_id=58",
    )


def test_text_shown_on_a_page_is_escaped(client, admin) -> None:
    client.force_login(admin)
    admin.first_name = XSS_PROBE
    admin.save(update_fields=["first_name"])

    assert_escaped(client.get("/"))
