"""Follow-up settings fail loudly, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*arguments: str, **overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SITE_URL")}
    env.update(overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"DEBUG": "false"}, "SITE_URL"),
        ({"DEBUG": "true", "FOLLOWUP_LOCAL_TIME": "9 o'clock"}, "FOLLOWUP_LOCAL_TIME"),
        ({"DEBUG": "true", "FOLLOWUP_LEASE_SECONDS": "long"}, "FOLLOWUP_LEASE_SECONDS"),
    ],
)
def test_a_missing_or_bad_follow_up_setting_stops_start_up_naming_it(overrides, variable):
    result = _manage("check", **overrides)

    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Configuration error: ")
    assert variable in line


def test_deploy_check_warns_when_email_links_are_not_https() -> None:
    production = {"DEBUG": "false", "ALLOWED_HOSTS": "clinic.example"}

    plain = _manage("check", "--deploy", SITE_URL="http://clinic.example", **production)
    secure = _manage("check", "--deploy", SITE_URL="https://clinic.example", **production)

    assert "followups.W001" in plain.stderr + plain.stdout
    assert "followups.W001" not in secure.stderr + secure.stdout
