"""A web worker's start (gunicorn.conf.py, clinic/warm_up.py): the views and
templates every request shares are loaded once and frozen out of the garbage
collector's full collections."""

from __future__ import annotations

import gc
import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import engines

from clinic.warm_up import YOUNG_OBJECTS_BEFORE_COLLECTING


@pytest.fixture
def collector_restored():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def _gunicorn_config():
    path = Path(settings.BASE_DIR) / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorns_worker_start_compiles_every_template_and_freezes_it(
    collector_restored,
) -> None:
    worker = SimpleNamespace(pid=1234, log=logging.getLogger("gunicorn.error"))

    _gunicorn_config().post_worker_init(worker)

    loader = engines["django"].engine.template_loaders[0]
    compiled = {key.split("-")[0] for key in loader.get_template_cache}
    assert {
        "base.html",
        "patients/chart.html",
        "emails/_layout.html",
        "procedures/bodymap/front.svg",
    } <= compiled
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == YOUNG_OBJECTS_BEFORE_COLLECTING
