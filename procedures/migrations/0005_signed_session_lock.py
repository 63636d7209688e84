"""A signed session is locked by PostgreSQL itself, not only by the services.

- procedures_treatmentsession: UPDATE and DELETE are refused once the row
  (as it was before the statement) is signed. The signing UPDATE passes
  because the row it changes is still a draft.
- trigger points and injections: INSERT, UPDATE and DELETE are refused when
  their session is signed. The session row is read FOR SHARE, so a change
  racing a signature waits for it and then sees the signed status.
- adverse events: UPDATE and DELETE are refused on a signed session; INSERT
  only for reactions reported later (source 'survey').
- amendments: append-only, and only to a signed session.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION procedures_session_locked(session_id bigint) RETURNS boolean AS $$
    SELECT status = 'signed' FROM procedures_treatmentsession
    WHERE id = session_id FOR SHARE
$$ LANGUAGE sql;

CREATE FUNCTION procedures_refuse_signed_session_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION 'signed session % is locked', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER treatmentsession_signed_is_locked
BEFORE UPDATE OR DELETE ON procedures_treatmentsession
FOR EACH ROW EXECUTE FUNCTION procedures_refuse_signed_session_change();

CREATE FUNCTION procedures_refuse_point_change() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'DELETE' AND procedures_session_locked(NEW.session_id))
       OR (TG_OP <> 'INSERT' AND procedures_session_locked(OLD.session_id)) THEN
        RAISE EXCEPTION 'trigger points of a signed session are locked'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER triggerpoint_signed_is_locked
BEFORE INSERT OR UPDATE OR DELETE ON procedures_triggerpoint
FOR EACH ROW EXECUTE FUNCTION procedures_refuse_point_change();

CREATE FUNCTION procedures_point_locked(point_id bigint) RETURNS boolean AS $$
    SELECT procedures_session_locked(session_id) FROM procedures_triggerpoint
    WHERE id = point_id
$$ LANGUAGE sql;

CREATE FUNCTION procedures_refuse_injection_change() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'DELETE' AND procedures_point_locked(NEW.trigger_point_id))
       OR (TG_OP <> 'INSERT' AND procedures_point_locked(OLD.trigger_point_id)) THEN
        RAISE EXCEPTION 'injections of a signed session are locked'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER injection_signed_is_locked
BEFORE INSERT OR UPDATE OR DELETE ON procedures_injection
FOR EACH ROW EXECUTE FUNCTION procedures_refuse_injection_change();

CREATE FUNCTION procedures_refuse_adverse_event_change() RETURNS trigger AS $$
BEGIN
    IF (TG_OP = 'INSERT' AND NEW.source = 'observed'
            AND procedures_session_locked(NEW.session_id))
       OR (TG_OP <> 'INSERT' AND procedures_session_locked(OLD.session_id)) THEN
        RAISE EXCEPTION 'observed reactions of a signed session are locked'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER adverseevent_signed_is_locked
BEFORE INSERT OR UPDATE OR DELETE ON procedures_adverseevent
FOR EACH ROW EXECUTE FUNCTION procedures_refuse_adverse_event_change();

CREATE FUNCTION procedures_amendments_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'amendments are never changed or removed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT coalesce(procedures_session_locked(NEW.session_id), false) THEN
        RAISE EXCEPTION 'only a signed session is amended' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER amendment_append_only
BEFORE INSERT OR UPDATE OR DELETE ON procedures_amendment
FOR EACH ROW EXECUTE FUNCTION procedures_amendments_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER amendment_append_only ON procedures_amendment;
DROP FUNCTION procedures_amendments_append_only();
DROP TRIGGER adverseevent_signed_is_locked ON procedures_adverseevent;
DROP FUNCTION procedures_refuse_adverse_event_change();
DROP TRIGGER injection_signed_is_locked ON procedures_injection;
DROP FUNCTION procedures_refuse_injection_change();
DROP FUNCTION procedures_point_locked(bigint);
DROP TRIGGER triggerpoint_signed_is_locked ON procedures_triggerpoint;
DROP FUNCTION procedures_refuse_point_change();
DROP TRIGGER treatmentsession_signed_is_locked ON procedures_treatmentsession;
DROP FUNCTION procedures_refuse_signed_session_change();
DROP FUNCTION procedures_session_locked(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("procedures", "0004_seed_products")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
