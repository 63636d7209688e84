"""Browser tests of the procedures pages load their CSS and JavaScript.

pytest-django's live server wraps the app in staticfiles' StaticFilesHandler,
which looks files up through the finders and answers 404 for the hashed
names that the manifest storage puts in pages; every stylesheet and script
of a page would be missing. Until the project's live_server serves the
collected files, these tests use plain (unhashed) static names, which the
finders do find.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _static_files_the_live_server_finds(settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
