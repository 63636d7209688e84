"""Error reports show where the code failed, never what the user sent.

Django's reporter lists POST and GET data, cookies and every frame's local
variables; any of them may hold health information. These classes drop them
all, in demo mode too, so a report can be mailed or pasted without a leak.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

WITHHELD = "[withheld: may hold health information]"


class PhiSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, WITHHELD)

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> list:
        return []


class PhiSafeExceptionReporter(ExceptionReporter):
    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        data["exception_value"] = WITHHELD
        data["request_GET_items"] = [(key, WITHHELD) for key in self._get_keys()]
        data["request_COOKIES_items"] = []
        data["request_FILES_items"] = []
        for frame in data.get("frames", []):
            frame["vars"] = []
        return data

    def _get_keys(self) -> list[str]:
        return list(self.request.GET) if self.request is not None else []
