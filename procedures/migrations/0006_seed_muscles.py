"""The muscle catalogue (procedures/muscle_catalogue.py) into the Muscle table.

Keyed by slug, so running it again after the catalogue grows adds the new
muscles and renames changed ones; a later migration calls `muscles_sync` again.
"""

from django.db import migrations


def muscles_sync(apps, schema_editor):
    from procedures.muscle_catalogue import MUSCLES

    muscle_model = apps.get_model("procedures", "Muscle")
    for muscle in MUSCLES:
        muscle_model.objects.update_or_create(
            slug=muscle.slug,
            defaults={
                "name": muscle.name,
                "region": muscle.region,
                "on_front": "front" in muscle.views,
                "on_back": "back" in muscle.views,
                "drawn": muscle.drawn,
                "is_midline": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0005_signed_session_lock")]

    operations = [migrations.RunPython(muscles_sync, migrations.RunPython.noop)]
