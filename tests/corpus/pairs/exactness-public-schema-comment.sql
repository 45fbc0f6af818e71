-- public's comment: PostgreSQL gives it 'standard public schema', which pg_dump leaves out; another comment, and none
-- (pg_dump: COMMENT ON SCHEMA public IS ''), are the schema's own.
COMMENT ON SCHEMA public IS 'Shared tables';
CREATE TABLE items (id integer PRIMARY KEY);
-- b
COMMENT ON SCHEMA public IS NULL;
CREATE TABLE items (id integer PRIMARY KEY);
