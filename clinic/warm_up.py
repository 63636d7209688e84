"""A web worker's start: load what every request shares, then keep it out of
the garbage collector's reach.

CPython's full collections walk every object the process holds. After the
first requests a worker holds about 130,000 (Django, the views, compiled
templates, the FHIR models), and each full collection took 60 ms of
whichever request triggered it: the day calendar's p95 at one connection
was twice its median (docs/performance.md, third round). Frozen objects are
never walked again. They are also never freed, which is what start-up
objects are for: they live as long as the worker.

A larger first threshold (20,000 new objects instead of 700) lets a
request's short-lived objects die by reference counting before any
collection looks at them.
"""

from __future__ import annotations

import gc

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver

from clinic.page_cache import code_version

YOUNG_OBJECTS_BEFORE_COLLECTING = 20_000
TEMPLATE_SUFFIXES = {".html", ".txt", ".svg"}


def worker_warm_up() -> int:
    """Import every view, compile the project's templates, freeze it all;
    returns how many objects were frozen."""
    get_resolver().reverse_dict  # noqa: B018 (imports every URL conf and view)
    _templates_compile()
    code_version()  # the page cache's keys hash the code once per process
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, *gc.get_threshold()[1:])
    return gc.get_freeze_count()


def _templates_compile() -> None:
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES:
                get_template(str(path.relative_to(directory)))
