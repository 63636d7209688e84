"""Fixtures shared by every app's tests: personas, browser set-up, test settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from clinic.tests.factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse ORM calls made from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _collected_static_files() -> None:
    """Serve static files the way production does: collected, hashed, compressed."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _follow_ups_sent_in_the_test_thread(settings) -> None:
    """A send task run in the test's process sends in the test's thread:
    other threads would not see the rows of the test's transaction. The
    Celery workers the tests start keep the default, two sending threads
    (followups/senders.py)."""
    settings.FOLLOWUP_SEND_THREADS = 1


@pytest.fixture(autouse=True)
def _page_cache_of_its_own() -> Iterator[None]:
    """Each test keys its cached page parts apart: ids and revisions start
    again after a rolled-back test, and Redis outlives it."""
    from django.conf import settings

    before = settings.PAGE_CACHE_VERSION
    settings.PAGE_CACHE_VERSION = f"test-{uuid.uuid4().hex}"
    yield
    settings.PAGE_CACHE_VERSION = before


@pytest.fixture
def front_desk(db: None):
    return UserFactory(username="frontdesk", first_name="Fran", role="Front desk")


@pytest.fixture
def clinician(db: None):
    return UserFactory(username="clinician", first_name="Casey", role="Clinician", credentials="MD")


@pytest.fixture
def other_clinician(db: None):
    return UserFactory(
        username="clinician2", first_name="Priya", role="Clinician", credentials="DO"
    )


@pytest.fixture
def admin(db: None):
    return UserFactory(username="admin", first_name="Ada", role="Clinic admin", is_staff=True)


# Browser tests --------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but {CHROMIUM} is missing: the browser tests must run.")
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found; install it with: apt-get install -y chromium chromium-driver"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _browser_started_before_the_database(request: pytest.FixtureRequest) -> None:
    """Start Chromium before the test database is set up.

    Playwright's sync API leaves an event loop registered on the main thread,
    after which Django keeps its connections per context, not per thread. The
    connection that set up the test database, and holds the snapshot that
    serialized_rollback restores, must be the one the browser tests use.
    """
    wants_browser = any(
        "browser" in item.keywords and not item.get_closest_marker("skip")
        for item in request.session.items
    )
    if wants_browser:
        request.getfixturevalue("browser")


@pytest.fixture(scope="session", autouse=True)
def _static_files_served_by_whitenoise() -> Iterator[None]:
    """pytest-django's live server answers /static/ itself from the finders,
    which know no hashed file names (every stylesheet and script was a 404).
    Let the request through to WhiteNoise, as in production."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StaticFilesHandler, "_should_handle", lambda self, path: False)
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def sign_in(page, live_server) -> Callable[[str, str], None]:
    """Sign in through the real login form as `username`."""

    def _sign_in(username: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return _sign_in


# A real Celery worker ---------------------------------------------------------


@pytest.fixture
def celery_worker_process(settings: SettingsWrapper) -> Iterator[subprocess.Popen]:
    """A Celery worker in its own process, on the same broker as the tests."""
    from clinic.celery import app

    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clinic",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--hostname={name}",
            "--without-mingle",
            "--without-gossip",
        ],
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "test-worker-key"},
    )
    deadline = time.monotonic() + 30
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the Celery worker did not start")
    yield process
    process.terminate()
    process.wait(timeout=15)
