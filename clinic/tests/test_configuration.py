"""Bad configuration stops start-up with one line that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage_check(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
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
        ({"DEBUG": "true", "DATABASE_URL": "mysql//nonsense"}, "DATABASE_URL"),
        (
            {"DEBUG": "true", "DATABASE_URL": "postgres://x@db.example:notaport/clinic"},
            "DATABASE_URL",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "postgres://x@db.example:5432"}, "DATABASE_URL"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DEBUG": "true", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"DEBUG": "true", "CLINIC_TIME_ZONE": "Mars/Olympus_Mons"}, "CLINIC_TIME_ZONE"),
        ({"DEBUG": "true", "CONN_MAX_AGE": "forever"}, "CONN_MAX_AGE"),
        ({"DEBUG": "true", "EMAIL_URL": "carrier-pigeon"}, "EMAIL_URL"),
    ],
)
def test_bad_value_stops_start_up_with_one_line_naming_the_variable(overrides, variable) -> None:
    result = _manage_check(**overrides)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert variable in lines[0]


def test_good_production_configuration_passes_the_checks() -> None:
    result = _manage_check(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="clinic.example")

    assert result.returncode == 0, result.stderr
