"""The clinic's three appointment types; admins may rename or add more later."""

from django.db import migrations

APPOINTMENT_TYPES = [
    ("New consultation", "consult", 45),
    ("Injection session", "injection", 30),
    ("Review", "review", 15),
]


def seed_appointment_types(apps, schema_editor):
    appointment_type = apps.get_model("scheduling", "AppointmentType")
    for name, kind, minutes in APPOINTMENT_TYPES:
        appointment_type.objects.get_or_create(
            name=name, defaults={"kind": kind, "default_minutes": minutes}
        )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_appointment_history_and_feeds")]

    operations = [migrations.RunPython(seed_appointment_types, migrations.RunPython.noop)]
