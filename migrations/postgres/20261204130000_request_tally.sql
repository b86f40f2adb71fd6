-- The dashboard's counts by status and procedure, per profile, kept by a trigger in the same
-- transaction as every change of a request (issue 17): a view reads a few dozen rows
-- instead of counting the profile's requests. `account_id` is the citizen profile's account
-- (0 for an organisation's requests), `organisation_id` the organisation (0 for a citizen
-- profile's). Rows may fall to 0; readers skip them.
CREATE TABLE request_tally (
    account_id BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (account_id, organisation_id, status, procedure_code)
);

INSERT INTO request_tally (account_id, organisation_id, status, procedure_code, n)
SELECT CASE WHEN organisation_id IS NULL THEN COALESCE(account_id, 0) ELSE 0 END,
       COALESCE(organisation_id, 0), status, procedure_code, COUNT(*)
FROM request
GROUP BY 1, 2, 3, 4;

-- One change of the tally; `delta` is +1 or -1.
CREATE FUNCTION request_tally_add(a BIGINT, o BIGINT, s TEXT, p TEXT, delta BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO request_tally (account_id, organisation_id, status, procedure_code, n)
    VALUES (a, o, s, p, delta)
    ON CONFLICT (account_id, organisation_id, status, procedure_code)
    DO UPDATE SET n = request_tally.n + delta;
$$;

CREATE FUNCTION request_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key TEXT;
    new_key TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM request_tally_add(
            CASE WHEN NEW.organisation_id IS NULL THEN COALESCE(NEW.account_id, 0) ELSE 0 END,
            COALESCE(NEW.organisation_id, 0), NEW.status, NEW.procedure_code, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM request_tally_add(
            CASE WHEN OLD.organisation_id IS NULL THEN COALESCE(OLD.account_id, 0) ELSE 0 END,
            COALESCE(OLD.organisation_id, 0), OLD.status, OLD.procedure_code, -1);
    ELSE
        -- The two rows in one order whatever the change, so that two opposite changes of
        -- the same profile at the same moment cannot wait for each other.
        old_key := concat_ws('|', OLD.account_id, OLD.organisation_id, OLD.status, OLD.procedure_code);
        new_key := concat_ws('|', NEW.account_id, NEW.organisation_id, NEW.status, NEW.procedure_code);
        IF old_key = new_key THEN
            RETURN NULL;
        END IF;
        IF old_key < new_key THEN
            PERFORM request_tally_add(
                CASE WHEN OLD.organisation_id IS NULL THEN COALESCE(OLD.account_id, 0) ELSE 0 END,
                COALESCE(OLD.organisation_id, 0), OLD.status, OLD.procedure_code, -1);
        END IF;
        PERFORM request_tally_add(
            CASE WHEN NEW.organisation_id IS NULL THEN COALESCE(NEW.account_id, 0) ELSE 0 END,
            COALESCE(NEW.organisation_id, 0), NEW.status, NEW.procedure_code, 1);
        IF old_key > new_key THEN
            PERFORM request_tally_add(
                CASE WHEN OLD.organisation_id IS NULL THEN COALESCE(OLD.account_id, 0) ELSE 0 END,
                COALESCE(OLD.organisation_id, 0), OLD.status, OLD.procedure_code, -1);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER request_tally
AFTER INSERT OR DELETE OR UPDATE OF account_id, organisation_id, status, procedure_code ON request
FOR EACH ROW EXECUTE FUNCTION request_tally_change();

-- The counts no longer read these.
DROP INDEX request_organisation_status;
DROP INDEX request_citizen_status;
