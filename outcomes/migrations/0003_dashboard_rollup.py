"""The dashboard's roll-up: figures per local day, and the triggers that
note every change that can move a day's figures.

Each trigger appends the time that files the changed row under a day (a
session's start, a vial's opening, an appointment's start, a follow-up's
due time) to outcomes_dashboardchange, old and new; outcomes.rollup turns
times into local days, so the clinic's time zone stays a setting. Updates
that move no figure (a vial's remaining units, a follow-up's lease) note
nothing. Injections and trigger points need no trigger: they count only
once their session is signed, which changes the session row, and a signed
session's rows are locked (procedures 0005).
"""

from django.db import migrations, models

SQL = """
CREATE FUNCTION outcomes_dashboard_note(VARIADIC times timestamptz[]) RETURNS void AS $$
    INSERT INTO outcomes_dashboardchange (at)
    SELECT DISTINCT t FROM unnest(times) AS t WHERE t IS NOT NULL
$$ LANGUAGE sql;

CREATE FUNCTION outcomes_session_start(session_id bigint) RETURNS timestamptz AS $$
    SELECT started_at FROM procedures_treatmentsession WHERE id = session_id
$$ LANGUAGE sql STABLE;

CREATE FUNCTION outcomes_followup_due(followup_id bigint) RETURNS timestamptz AS $$
    SELECT due_at FROM followups_followup WHERE id = followup_id
$$ LANGUAGE sql STABLE;

-- TG_ARGV[0]: the timestamptz column that files the table's rows under a day.
CREATE FUNCTION outcomes_note_column() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM outcomes_dashboard_note((to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM outcomes_dashboard_note((to_jsonb(NEW) ->> TG_ARGV[0])::timestamptz);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION outcomes_note_appointment() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN PERFORM outcomes_dashboard_note(lower(NEW.timespan));
    ELSIF TG_OP = 'DELETE' THEN PERFORM outcomes_dashboard_note(lower(OLD.timespan));
    ELSE PERFORM outcomes_dashboard_note(lower(OLD.timespan), lower(NEW.timespan));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- An answer counts under its session's day and under its follow-up's due day.
CREATE FUNCTION outcomes_note_survey_response() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM outcomes_dashboard_note(
            outcomes_session_start(NEW.session_id), outcomes_followup_due(NEW.followup_id));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM outcomes_dashboard_note(
            outcomes_session_start(OLD.session_id), outcomes_followup_due(OLD.followup_id));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION outcomes_note_adverse_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN PERFORM outcomes_dashboard_note(outcomes_session_start(NEW.session_id)); END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM outcomes_dashboard_note(outcomes_session_start(OLD.session_id)); END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dashboard_note_insert_delete AFTER INSERT OR DELETE ON procedures_treatmentsession
FOR EACH ROW EXECUTE FUNCTION outcomes_note_column('started_at');
CREATE TRIGGER dashboard_note_update AFTER UPDATE ON procedures_treatmentsession
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
    OR OLD.started_at IS DISTINCT FROM NEW.started_at
    OR OLD.pain_before IS DISTINCT FROM NEW.pain_before)
EXECUTE FUNCTION outcomes_note_column('started_at');

CREATE TRIGGER dashboard_note_insert_delete AFTER INSERT OR DELETE ON procedures_vial
FOR EACH ROW EXECUTE FUNCTION outcomes_note_column('opened_at');
CREATE TRIGGER dashboard_note_update AFTER UPDATE ON procedures_vial
FOR EACH ROW WHEN (OLD.opened_at IS DISTINCT FROM NEW.opened_at
    OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
    OR OLD.units_total IS DISTINCT FROM NEW.units_total
    OR OLD.waste_units IS DISTINCT FROM NEW.waste_units
    OR OLD.lot_id IS DISTINCT FROM NEW.lot_id)
EXECUTE FUNCTION outcomes_note_column('opened_at');

CREATE TRIGGER dashboard_note_insert_delete AFTER INSERT OR DELETE ON scheduling_appointment
FOR EACH ROW EXECUTE FUNCTION outcomes_note_appointment();
CREATE TRIGGER dashboard_note_update AFTER UPDATE ON scheduling_appointment
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.timespan IS DISTINCT FROM NEW.timespan)
EXECUTE FUNCTION outcomes_note_appointment();

CREATE TRIGGER dashboard_note_insert_delete AFTER INSERT OR DELETE ON followups_followup
FOR EACH ROW EXECUTE FUNCTION outcomes_note_column('due_at');
CREATE TRIGGER dashboard_note_update AFTER UPDATE ON followups_followup
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
    OR OLD.due_at IS DISTINCT FROM NEW.due_at
    OR OLD.kind IS DISTINCT FROM NEW.kind)
EXECUTE FUNCTION outcomes_note_column('due_at');

CREATE TRIGGER dashboard_note AFTER INSERT OR UPDATE OR DELETE ON followups_surveyresponse
FOR EACH ROW EXECUTE FUNCTION outcomes_note_survey_response();

CREATE TRIGGER dashboard_note AFTER INSERT OR UPDATE OR DELETE ON procedures_adverseevent
FOR EACH ROW EXECUTE FUNCTION outcomes_note_adverse_event();
"""

REVERSE_SQL = """
DROP TRIGGER dashboard_note ON procedures_adverseevent;
DROP TRIGGER dashboard_note ON followups_surveyresponse;
DROP TRIGGER dashboard_note_update ON followups_followup;
DROP TRIGGER dashboard_note_insert_delete ON followups_followup;
DROP TRIGGER dashboard_note_update ON scheduling_appointment;
DROP TRIGGER dashboard_note_insert_delete ON scheduling_appointment;
DROP TRIGGER dashboard_note_update ON procedures_vial;
DROP TRIGGER dashboard_note_insert_delete ON procedures_vial;
DROP TRIGGER dashboard_note_update ON procedures_treatmentsession;
DROP TRIGGER dashboard_note_insert_delete ON procedures_treatmentsession;
DROP FUNCTION outcomes_note_adverse_event();
DROP FUNCTION outcomes_note_survey_response();
DROP FUNCTION outcomes_note_appointment();
DROP FUNCTION outcomes_note_column();
DROP FUNCTION outcomes_followup_due(bigint);
DROP FUNCTION outcomes_session_start(bigint);
DROP FUNCTION outcomes_dashboard_note(VARIADIC timestamptz[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_roles"),
        ("followups", "0005_outbox_order_index"),
        ("procedures", "0007_change_history"),
        ("scheduling", "0005_change_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="DashboardChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("at", models.DateTimeField(db_index=True)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="DashboardDay",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("figures", models.JSONField()),
                ("computed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
