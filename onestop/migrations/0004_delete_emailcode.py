"""One-stop's own e-mail confirmation codes (``EmailCode``) are gone: its public pages now use the shared
``eoffice.otp`` (``eoffice.models.OneTimeCode``, purpose "onestop"), as the complaints pages do.

The table is dropped with its rows. Codes still pending at the upgrade are lost on purpose: a code lives
ten minutes, so an applicant caught in the middle of a confirmation asks for a new one ("Gửi lại mã"); an
e-mail already confirmed is kept in the session, not in this table, and is not affected. Reversing the
migration recreates the empty table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("onestop", "0003_cutoff_scope"),
    ]

    operations = [
        migrations.DeleteModel(
            name="EmailCode",
        ),
    ]
