from django.db import migrations

from clinic.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
