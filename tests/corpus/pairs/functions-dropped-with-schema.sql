-- A schema with functions and the table whose default calls one goes away.
CREATE SCHEMA legacy;
CREATE FUNCTION legacy.make_id() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE TABLE legacy.things (id text PRIMARY KEY DEFAULT legacy.make_id());
CREATE TABLE keep (id integer PRIMARY KEY);
-- b
CREATE TABLE keep (id integer PRIMARY KEY);
