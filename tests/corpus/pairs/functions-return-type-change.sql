-- A function's return type changes, which CREATE OR REPLACE refuses: it is dropped and created again, with the
-- column default and the check that call it.
CREATE FUNCTION next_code() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
CREATE FUNCTION is_valid_code(code integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT code > 0 $$;
CREATE TABLE tickets (id integer PRIMARY KEY, code integer DEFAULT next_code() CHECK (is_valid_code(code)));
-- b
CREATE FUNCTION next_code() RETURNS bigint LANGUAGE sql AS $$ SELECT 42::bigint $$;
CREATE FUNCTION is_valid_code(code integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT code > 0 $$;
CREATE TABLE tickets (id integer PRIMARY KEY, code integer DEFAULT next_code() CHECK (is_valid_code(code)));
