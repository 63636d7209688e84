"""Survey answers for sent survey emails, chosen by a hash of the follow-up's
public id (itself from the seed), the chart patient's first."""

from __future__ import annotations

from django.db import connection, transaction

from bench.seeding.copy import CHECK_AS_WE_GO

ANSWERS_SQL = """
INSERT INTO followups_surveyresponse (
    followup_id, session_id, patient_id, submitted_at, pain_now, pgic,
    trouble_swallowing, trouble_speaking, trouble_breathing, drooping_eyelid,
    double_vision, new_weakness, comment
)
SELECT f.id, f.session_id, f.patient_id, f.sent_at + interval '3 hours',
       abs(hashtext(f.public_id::text)) %% 7, 1 + abs(hashtext(f.public_id::text || 'pgic')) %% 5,
       false, false, false, false, false, false, ''
FROM followups_followup f
WHERE f.kind IN ('survey_2w', 'survey_6w') AND f.status = 'sent'
ORDER BY (f.patient_id = %s) DESC, md5(f.public_id::text)
LIMIT %s
"""


def survey_answers_write(*, count: int, first_patient_id: int) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CHECK_AS_WE_GO)
        cursor.execute(ANSWERS_SQL, [first_patient_id, count])
        return cursor.rowcount
