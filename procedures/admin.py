"""Set-up screens for clinic admins: products and their label limits, lots.

Sessions, points and injections are not here: they are read on the
procedures pages and never edited outside the services.
"""

from __future__ import annotations

from django.contrib import admin

from procedures.models import Lot, Muscle, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = (
        "brand_name",
        "generic_name",
        "max_units_per_site",
        "max_units_per_session",
        "max_units_per_window",
        "window_days",
        "reconstituted_use_hours",
        "min_retreatment_days",
        "is_active",
    )
    fieldsets = (
        (None, {"fields": ("brand_name", "generic_name", "vial_sizes", "is_active")}),
        (
            "Label limits (the dose guard warns past them)",
            {
                "fields": (
                    "max_units_per_site",
                    "max_units_per_session",
                    "max_units_per_window",
                    "window_days",
                    "min_retreatment_days",
                )
            },
        ),
        ("Preparation", {"fields": ("reconstituted_use_hours", "solution_units_per_ml")}),
    )


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ("lot_number", "product", "units_per_vial", "expires_on", "vials_received")
    list_filter = ("product",)
    search_fields = ("lot_number",)
    list_select_related = ("product",)


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "region", "on_front", "on_back", "drawn")
    list_filter = ("region",)
    search_fields = ("name", "slug")

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
