"""A finer histogram of `search_name`, so the planner knows how many names a
trigram search will match.

pg_trgm estimates `search_name %> 'term'` by trying the term on the column's
histogram, and never below 1 in 10,000 rows. With the default 100 entries a
misspelt surname often matched none of them and was estimated at 10
patients out of 100,000 (572 matched): the planner then read every match
through a bitmap of the GiST index and sorted them (50 ms at scale 1)
instead of walking the index nearest first and stopping after one page
(under 1 ms). 500 entries: at 100,000 patients ANALYZE then reads every row,
so the estimate no longer depends on its sample; planning costs about 0.4 ms
per 100 entries (the term is tried on each), 2 ms here against 4 at 1,000.
docs/performance.md, Patient search.
"""

from django.db import migrations

SEARCH_NAME_STATISTICS = 500


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0007_change_history"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE patients_patient ALTER COLUMN search_name "
                f"SET STATISTICS {SEARCH_NAME_STATISTICS}",
                "ANALYZE patients_patient (search_name)",
            ],
            reverse_sql=[
                "ALTER TABLE patients_patient ALTER COLUMN search_name SET STATISTICS -1",
                "ANALYZE patients_patient (search_name)",
            ],
        ),
    ]
