from django.db import migrations

from clinic.db import AppendOnly
from clinic.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0003_audit"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        AppendOnly("accessevent"),
        AppendOnly("userevent"),
        AppendOnly("usergroupsevent"),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
