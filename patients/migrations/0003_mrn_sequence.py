from django.db import migrations


class Migration(migrations.Migration):
    """MRNs come from this sequence (7 digits, then a Luhn check digit)."""

    dependencies = [("patients", "0002_roles")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE patients_mrn_seq START WITH 1000000 MINVALUE 1000000 NO CYCLE",
            "DROP SEQUENCE patients_mrn_seq",
        )
    ]
