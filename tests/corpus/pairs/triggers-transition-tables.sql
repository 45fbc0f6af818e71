-- Statement triggers with transition tables (REFERENCING OLD / NEW TABLE), one event each, are added and changed.
CREATE TABLE ledger (id integer PRIMARY KEY, amount numeric NOT NULL);
CREATE TABLE ledger_log (at timestamptz, rows_changed bigint);
CREATE FUNCTION log_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ledger_log VALUES (now(), 0); RETURN NULL; END $$;
CREATE TRIGGER ledger_inserted AFTER INSERT ON ledger REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION log_rows();
-- b
CREATE TABLE ledger (id integer PRIMARY KEY, amount numeric NOT NULL);
CREATE TABLE ledger_log (at timestamptz, rows_changed bigint);
CREATE FUNCTION log_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ledger_log VALUES (now(), 0); RETURN NULL; END $$;
CREATE TRIGGER ledger_inserted AFTER INSERT ON ledger REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION log_rows();
CREATE TRIGGER ledger_updated AFTER UPDATE ON ledger REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION log_rows();
CREATE TRIGGER ledger_deleted AFTER DELETE ON ledger REFERENCING OLD TABLE AS gone FOR EACH ROW EXECUTE FUNCTION log_rows();
