from django.db import migrations

from clinic.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("fhir_api", "0001_initial")]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
