"""Bad configuration stops start-up with one line that names the variable."""

from __future__ import annotations

import pytest

from clinic.tests.subprocesses import manage_run

# Unset so that each test states what it sets.
UNSET = ("DEBUG", "SECRET_KEY")


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
    result = manage_run("check", unset=UNSET, **overrides)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert variable in lines[0]


def test_good_production_configuration_passes_the_checks() -> None:
    result = manage_run(
        "check", unset=UNSET, DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="clinic.example"
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", ["check", "migrate", "runserver"])
def test_any_command_with_nothing_configured_names_the_missing_variable(command: str) -> None:
    result = manage_run(command, unset=(*UNSET, "DATABASE_URL", "REDIS_URL"))

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY must be set when DEBUG is off"
    ]


def test_makemigrations_reads_only_the_code_and_needs_nothing_configured() -> None:
    result = manage_run(
        "makemigrations", "--check", "--dry-run", unset=(*UNSET, "DATABASE_URL", "REDIS_URL")
    )

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
