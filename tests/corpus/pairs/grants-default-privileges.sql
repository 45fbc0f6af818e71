-- ALTER DEFAULT PRIVILEGES in every form: database-wide and IN SCHEMA, FOR ROLE another role, WITH GRANT OPTION,
-- PUBLIC's EXECUTE on functions revoked by default; changed, added and taken back. B creates tables after its
-- default privileges are in force (one keeps the grants they give, one loses one, one all of them), which push must
-- reproduce: the tables push creates get the default privileges of A, in force while it runs.
DO $$ BEGIN CREATE ROLE corpus_grant_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_grant_viewer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA reports;
CREATE TABLE reports.daily (id integer PRIMARY KEY);
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO corpus_grant_viewer;
ALTER DEFAULT PRIVILEGES IN SCHEMA reports GRANT USAGE ON SEQUENCES TO corpus_grant_viewer;
ALTER DEFAULT PRIVILEGES FOR ROLE corpus_grant_owner GRANT SELECT ON TABLES TO corpus_grant_viewer;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO corpus_grant_viewer;
-- b
DO $$ BEGIN CREATE ROLE corpus_grant_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_grant_viewer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA reports;
CREATE TABLE reports.daily (id integer PRIMARY KEY);
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT ON TABLES TO corpus_grant_viewer WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES IN SCHEMA reports GRANT SELECT ON SEQUENCES TO corpus_grant_viewer;
ALTER DEFAULT PRIVILEGES IN SCHEMA reports GRANT EXECUTE ON FUNCTIONS TO corpus_grant_viewer;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO corpus_grant_viewer;
ALTER DEFAULT PRIVILEGES FOR ROLE corpus_grant_owner IN SCHEMA reports GRANT DELETE ON TABLES TO PUBLIC;
CREATE TABLE reports.weekly (id integer PRIMARY KEY);
CREATE TABLE reports.monthly (id integer PRIMARY KEY);
REVOKE INSERT ON reports.monthly FROM corpus_grant_viewer;
CREATE FUNCTION reports.total() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TABLE reports.quarterly (id integer PRIMARY KEY);
REVOKE ALL ON reports.quarterly FROM corpus_grant_viewer;
