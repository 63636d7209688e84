"""Staff accounts in the set-up screens. A change of roles is written to the
access log; the membership rows themselves are tracked by the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from clinic.audit import Action, access_log_write
from clinic.models import SecurityPolicy, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Clinic", {"fields": ("credentials",)}),
    )
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        before = set(form.instance.groups.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("pk", flat=True))
        if before != after:
            access_log_write(request=request, action=Action.ROLES_CHANGED, target=form.instance)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    """One row, changed in place; its history is kept (clinic.history)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
