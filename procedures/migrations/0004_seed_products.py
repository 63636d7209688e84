"""The four toxin products with the label figures in docs/decisions.md.

Clinic admins edit them afterwards in the set-up screens; this only creates
products that are missing.
"""

from decimal import Decimal

from django.db import migrations

PRODUCTS = [
    {
        "brand_name": "Botox",
        "generic_name": "onabotulinumtoxinA",
        "vial_sizes": [100, 200],
        "max_units_per_site": Decimal("50"),
        "max_units_per_session": Decimal("400"),
        "max_units_per_window": Decimal("400"),
        "window_days": 90,
        "reconstituted_use_hours": 24,
        "min_retreatment_days": 84,
    },
    {
        "brand_name": "Dysport",
        "generic_name": "abobotulinumtoxinA",
        "vial_sizes": [300, 500],
        "max_units_per_site": Decimal("500"),
        "max_units_per_session": Decimal("1500"),
        "max_units_per_window": Decimal("1500"),
        "window_days": 90,
        "reconstituted_use_hours": 24,
        "min_retreatment_days": 84,
    },
    {
        "brand_name": "Xeomin",
        "generic_name": "incobotulinumtoxinA",
        "vial_sizes": [100],
        "max_units_per_site": None,
        "max_units_per_session": Decimal("400"),
        "max_units_per_window": Decimal("400"),
        "window_days": 90,
        "reconstituted_use_hours": 24,
        "min_retreatment_days": 84,
    },
    {
        "brand_name": "Myobloc",
        "generic_name": "rimabotulinumtoxinB",
        "vial_sizes": [5000],
        "max_units_per_site": None,
        "max_units_per_session": Decimal("5000"),
        "max_units_per_window": Decimal("5000"),
        "window_days": 90,
        "reconstituted_use_hours": 4,
        "min_retreatment_days": 84,
        "solution_units_per_ml": Decimal("5000"),
    },
]


def seed_products(apps, schema_editor):
    product_model = apps.get_model("procedures", "Product")
    for product in PRODUCTS:
        product_model.objects.get_or_create(generic_name=product["generic_name"], defaults=product)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_product_solution_vial_volume")]

    operations = [migrations.RunPython(seed_products, migrations.RunPython.noop)]
