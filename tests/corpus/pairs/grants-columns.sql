-- Column-level grants: on a table's and a view's columns, WITH GRANT OPTION, to PUBLIC; granted, revoked, moved to
-- another column, and dropped with their column.
DO $$ BEGIN CREATE ROLE corpus_grant_clerk NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE people (id integer PRIMARY KEY, name text, email text, salary numeric, "Note" text);
CREATE VIEW people_names AS SELECT id, name FROM people;
GRANT SELECT (id, name), UPDATE (email) ON people TO corpus_grant_clerk;
GRANT SELECT (salary) ON people TO corpus_grant_clerk WITH GRANT OPTION;
GRANT REFERENCES ("Note") ON people TO PUBLIC;
GRANT SELECT (name) ON people_names TO corpus_grant_clerk;
-- b
DO $$ BEGIN CREATE ROLE corpus_grant_clerk NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE people (id integer PRIMARY KEY, name text, email text, "Note" text);
CREATE VIEW people_names AS SELECT id, name FROM people;
GRANT SELECT (id, name, email), UPDATE (name) ON people TO corpus_grant_clerk WITH GRANT OPTION;
GRANT INSERT (id) ON people TO corpus_grant_clerk;
GRANT SELECT ON people TO PUBLIC;
GRANT SELECT (id), SELECT (name) ON people_names TO corpus_grant_clerk;
