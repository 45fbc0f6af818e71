-- What PostgreSQL gives PUBLIC by default, taken away and given back: EXECUTE on functions (one re-created with a
-- new return type, which must be revoked again), USAGE on an enum and a domain, USAGE on the public schema.
DO $$ BEGIN CREATE ROLE corpus_grant_caller NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA vault;
CREATE TYPE vault.level AS ENUM ('low', 'high');
CREATE DOMAIN vault.code AS text CHECK (VALUE <> '');
CREATE FUNCTION vault.secret() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
CREATE FUNCTION vault.opened(n integer) RETURNS integer LANGUAGE sql AS $$ SELECT n $$;
CREATE FUNCTION vault.shape() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
REVOKE EXECUTE ON FUNCTION vault.opened(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION vault.shape() FROM PUBLIC;
REVOKE USAGE ON TYPE vault.code FROM PUBLIC;
-- b
DO $$ BEGIN CREATE ROLE corpus_grant_caller NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA vault;
CREATE TYPE vault.level AS ENUM ('low', 'high');
CREATE DOMAIN vault.code AS text CHECK (VALUE <> '');
CREATE FUNCTION vault.secret() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
CREATE FUNCTION vault.opened(n integer) RETURNS integer LANGUAGE sql AS $$ SELECT n $$;
CREATE FUNCTION vault.shape() RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;
REVOKE EXECUTE ON FUNCTION vault.secret() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vault.secret() TO corpus_grant_caller;
REVOKE EXECUTE ON FUNCTION vault.shape() FROM PUBLIC;
REVOKE USAGE ON TYPE vault.level FROM PUBLIC;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
