"""Revisions: a counter per patient, per UTC day of appointments and for the
reference data, raised by triggers on every write that can change what a
page shows, whoever makes it (the app, a Celery task, psql).

Cached page parts (clinic.page_cache) are filed under the revisions they
were drawn from, so a write makes the next request draw them again: the
database, not the application, decides when a cached part is out of date.

- ("patient", patient id): the patient's row and everything filed under
  them (precautions, consents, appointments, sessions with their points,
  injections, amendments and adverse events, follow-ups, survey answers,
  alerts).
- ("utc_day", days since 1970-01-01 in UTC): appointments starting or ending
  on that UTC day. The clinic's time zone stays a setting: a local day is
  read as the UTC days it overlaps.
- ("reference", 0): staff names, rooms, appointment types, working hours,
  time off, muscles, products, lots, consent forms, and what a vial's label
  shows (not its units left, which change with every injection and no
  cached page shows).
- ("followups", 0): any follow-up (the outbox, overdue counts).
- ("dashboard", 0): the dashboard's change notes and stored days (outcomes
  0003 notes every write that moves a figure).

Statement-level triggers read the changed rows from transition tables, so a
bulk write (COPY, a courier's batch) raises each revision once. Keys are
raised in order, so two writers touching the same keys wait, never deadlock.
"""

from django.db import migrations

REVISE = """
CREATE TABLE clinic_revision (
    scope text NOT NULL,
    key bigint NOT NULL,
    revision bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (scope, key)
);

CREATE FUNCTION clinic_revise(scope text, keys bigint[]) RETURNS void AS $$
    INSERT INTO clinic_revision AS r (scope, key)
    SELECT scope, k FROM (SELECT DISTINCT unnest(keys) AS k) AS changed
    WHERE k IS NOT NULL ORDER BY k
    ON CONFLICT (scope, key) DO UPDATE SET revision = r.revision + 1
$$ LANGUAGE sql;

CREATE FUNCTION clinic_utc_days(span tstzrange) RETURNS bigint[] AS $$
    SELECT ARRAY[
        ((lower(span) AT TIME ZONE 'UTC')::date - date '1970-01-01')::bigint,
        ((upper(span) AT TIME ZONE 'UTC')::date - date '1970-01-01')::bigint
    ]
$$ LANGUAGE sql IMMUTABLE;

-- TG_ARGV[0]: the scope; TG_ARGV[1]: a query of the keys, with {rows} for
-- the transition table (new rows, then old rows for updates and deletes).
CREATE FUNCTION clinic_revise_rows() RETURNS trigger AS $$
DECLARE
    keys bigint[];
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('SELECT array_agg(k) FROM (%s) AS q(k)', replace(TG_ARGV[1], '{rows}', 'new_rows'))
            INTO keys;
        PERFORM clinic_revise(TG_ARGV[0], keys);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('SELECT array_agg(k) FROM (%s) AS q(k)', replace(TG_ARGV[1], '{rows}', 'old_rows'))
            INTO keys;
        PERFORM clinic_revise(TG_ARGV[0], keys);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION clinic_revise_whole() RETURNS trigger AS $$
BEGIN
    PERFORM clinic_revise(TG_ARGV[0], ARRAY[0::bigint]);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

SESSION_PATIENT = (
    "SELECT s.patient_id FROM {rows} t JOIN procedures_treatmentsession s ON s.id = t.session_id"
)

# (table, scope, query of the keys over the transition table {rows})
BY_ROWS = [
    ("patients_patient", "patient", "SELECT id FROM {rows}"),
    ("patients_precautions", "patient", "SELECT patient_id FROM {rows}"),
    ("patients_consent", "patient", "SELECT patient_id FROM {rows}"),
    ("scheduling_appointment", "patient", "SELECT patient_id FROM {rows}"),
    ("scheduling_appointment", "utc_day", "SELECT unnest(clinic_utc_days(timespan)) FROM {rows}"),
    ("procedures_treatmentsession", "patient", "SELECT patient_id FROM {rows}"),
    ("procedures_triggerpoint", "patient", SESSION_PATIENT),
    (
        "procedures_injection",
        "patient",
        "SELECT s.patient_id FROM {rows} t"
        " JOIN procedures_triggerpoint p ON p.id = t.trigger_point_id"
        " JOIN procedures_treatmentsession s ON s.id = p.session_id",
    ),
    ("procedures_amendment", "patient", SESSION_PATIENT),
    ("procedures_adverseevent", "patient", SESSION_PATIENT),
    ("followups_followup", "patient", "SELECT patient_id FROM {rows}"),
    ("followups_surveyresponse", "patient", "SELECT patient_id FROM {rows}"),
    ("followups_alert", "patient", SESSION_PATIENT),
]

# (table, scope, the columns whose update counts, or None for any)
WHOLE = [
    ("clinic_user", "reference", "first_name, last_name, username, credentials, is_active"),
    ("scheduling_room", "reference", None),
    ("scheduling_appointmenttype", "reference", None),
    ("scheduling_workinghours", "reference", None),
    ("scheduling_timeoff", "reference", None),
    ("procedures_muscle", "reference", None),
    ("procedures_product", "reference", None),
    ("procedures_lot", "reference", None),
    ("patients_consentform", "reference", None),
    ("procedures_vial", "reference", "lot_id, units_total, volume_ml, diluent_ml"),
    ("followups_followup", "followups", None),
    ("outcomes_dashboardchange", "dashboard", None),
    ("outcomes_dashboardday", "dashboard", None),
]


def _by_rows_sql(table: str, scope: str, keys: str) -> str:
    keys = keys.replace("'", "''")
    name = f"revise_{scope}"
    return "\n".join(
        f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {tables} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION clinic_revise_rows('{scope}', '{keys}');"
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    )


def _whole_sql(table: str, scope: str, columns: str | None) -> str:
    update = f"UPDATE OF {columns}" if columns else "UPDATE"
    return (
        f"CREATE TRIGGER revise_{scope} AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION clinic_revise_whole('{scope}');"
    )


def _drop_sql() -> str:
    triggers = {
        (table, f"revise_{scope}_{event}")
        for table, scope, _ in BY_ROWS
        for event in ("insert", "update", "delete")
    }
    triggers |= {(table, f"revise_{scope}") for table, scope, _ in WHOLE}
    drops = [f"DROP TRIGGER {name} ON {table};" for table, name in sorted(triggers)]
    return "\n".join(
        [
            *drops,
            "DROP FUNCTION clinic_revise_whole(); DROP FUNCTION clinic_revise_rows();",
            "DROP FUNCTION clinic_utc_days(tstzrange); DROP FUNCTION clinic_revise(text, bigint[]);",
            "DROP TABLE clinic_revision;",
        ]
    )


FORWARD = "\n".join(
    [
        REVISE,
        *(_by_rows_sql(*row) for row in BY_ROWS),
        *(_whole_sql(*row) for row in WHOLE),
    ]
)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0006_security_policy"),
        ("patients", "0009_search_name_gist_siglen_1024"),
        ("scheduling", "0006_dashboard_day_indexes"),
        ("procedures", "0008_dashboard_day_indexes"),
        ("followups", "0006_pending_due_order_index"),
        ("outcomes", "0003_dashboard_rollup"),
    ]

    operations = [migrations.RunSQL(FORWARD, _drop_sql())]
