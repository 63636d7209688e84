"""Follow-up settings fail loudly, naming the variable."""

from __future__ import annotations

import pytest

from clinic.tests.subprocesses import manage_run

UNSET = ("DEBUG", "SITE_URL")


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"DEBUG": "false"}, "SITE_URL"),
        ({"DEBUG": "true", "FOLLOWUP_LOCAL_TIME": "9 o'clock"}, "FOLLOWUP_LOCAL_TIME"),
        ({"DEBUG": "true", "FOLLOWUP_LEASE_SECONDS": "long"}, "FOLLOWUP_LEASE_SECONDS"),
    ],
)
def test_a_missing_or_bad_follow_up_setting_stops_start_up_naming_it(overrides, variable):
    result = manage_run("check", unset=UNSET, **overrides)

    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Configuration error: ")
    assert variable in line


def test_deploy_check_warns_when_email_links_are_not_https() -> None:
    production = {"DEBUG": "false", "ALLOWED_HOSTS": "clinic.example"}

    plain = manage_run(
        "check", "--deploy", unset=UNSET, SITE_URL="http://clinic.example", **production
    )
    secure = manage_run(
        "check", "--deploy", unset=UNSET, SITE_URL="https://clinic.example", **production
    )

    assert "followups.W001" in plain.stderr + plain.stdout
    assert "followups.W001" not in secure.stderr + secure.stdout
