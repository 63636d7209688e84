"""API tokens in the set-up screens: a clinic admin issues one (its raw value
shown once, on the page that follows, and never stored) and revokes it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from fhir_api.models import ApiToken
from fhir_api.services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "prefix", "created_at", "created_by", "revoked_at")
    list_filter = ("role",)
    fields = ("name", "role")
    readonly_fields = ("prefix", "created_at", "created_by", "revoked_at", "revoked_by")
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        return self.fields if obj is None else (*self.fields, *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple:
        # A token's role is fixed once issued: issue a new token instead.
        return () if obj is None else ("role", *self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        token, raw = api_token_create(name=obj.name, role=obj.role, created_by=request.user)
        obj.pk, obj.raw_token = token.pk, raw

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        """Show the raw token on this response only (never via a stored message)."""
        context = {
            **self.admin_site.each_context(request),
            "token": obj,
            "raw_token": obj.raw_token,
            "opts": self.model._meta,
            "title": "API token issued",
        }
        return TemplateResponse(request, "admin/fhir_api/token_issued.html", context)

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(token=token, revoked_by=request.user)
        messages.success(request, f"Revoked {queryset.count()} token(s).")
