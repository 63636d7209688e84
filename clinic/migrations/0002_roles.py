from django.db import migrations

from clinic.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
