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
SAFE_META = ("REQUEST_METHOD", "PATH_INFO", "SERVER_NAME", "SERVER_PORT", "CONTENT_TYPE")


class PhiSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, WITHHELD)

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        """Only the request's shape: the query string, cookies and most
        headers can carry names and search terms."""
        return {key: request.META[key] for key in SAFE_META if key in request.META}

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> list:
        return []


class PhiSafeExceptionReporter(ExceptionReporter):
    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        data["exception_value"] = WITHHELD
        if self.request is not None:
            data["request_insecure_uri"] = self.request.path
        data["request_GET_items"] = [(key, WITHHELD) for key in self._get_keys()]
        data["request_COOKIES_items"] = []
        data["request_FILES_items"] = []
        for frame in data.get("frames", []):
            frame["vars"] = []
        return data

    def _get_keys(self) -> list[str]:
        return list(self.request.GET) if self.request is not None else []
