"""Third-party components shipped with the app, with their licence texts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    used_for: str
    licence_name: str
    licence_file: str  # relative to BASE_DIR

    @property
    def licence_text(self) -> str:
        return _read(self.licence_file)


@cache
def _read(relative_path: str) -> str:
    return (Path(settings.BASE_DIR) / relative_path).read_text(encoding="utf-8")


COMPONENTS = [
    Component(
        "Bootstrap",
        "5.3.9",
        "page layout and styles",
        "MIT",
        "static/vendor/bootstrap-5.3.9/LICENSE",
    ),
    Component(
        "htmx",
        "2.0.11",
        "partial page updates",
        "Zero-Clause BSD",
        "static/vendor/htmx-2.0.11/LICENSE",
    ),
    Component(
        "react-native-body-highlighter",
        "3.2.0",
        "the body map figure (SVG path data, turned into static SVG)",
        "MIT",
        "procedures/bodymap/LICENSE",
    ),
]
