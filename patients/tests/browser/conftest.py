from __future__ import annotations

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler


@pytest.fixture(autouse=True)
def _static_files_served_by_whitenoise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let WhiteNoise serve the collected (hashed) files, as in production.

    pytest-django's live server puts Django's StaticFilesHandler in front,
    which looks files up with the finders and so answers 404 for the hashed
    names in the pages: the browser would run without htmx or Bootstrap.
    (Belongs in the root conftest.py; see the patients branch's report.)
    """
    monkeypatch.setattr(StaticFilesHandler, "_should_handle", lambda self, path: False)
