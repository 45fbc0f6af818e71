-- pending: a REVOKE of what PostgreSQL grants by default (EXECUTE on a function from PUBLIC) and ALTER DEFAULT PRIVILEGES are not modelled yet; pull names both as not carried
DO $$ BEGIN CREATE ROLE corpus_grant_auditor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION secret() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
-- b
DO $$ BEGIN CREATE ROLE corpus_grant_auditor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION secret() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
REVOKE EXECUTE ON FUNCTION secret() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION secret() TO corpus_grant_auditor;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO corpus_grant_auditor;
