-- Bounds narrowed past a sequence's value: an unused sequence whose start is above its new MAXVALUE (its value
-- is its start), a descending one whose start is below its new MINVALUE, and an extension an index's operator
-- class needs, declared only in B.
CREATE SEQUENCE unused START 500;
CREATE SEQUENCE countdown INCREMENT BY -1 START -500 MINVALUE -1000 MAXVALUE -1;
CREATE TABLE docs (id integer PRIMARY KEY, body text);
-- b
CREATE SEQUENCE unused START 10 MAXVALUE 100;
CREATE SEQUENCE countdown INCREMENT BY -1 START -10 MINVALUE -100 MAXVALUE -1;
CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id integer PRIMARY KEY, body text);
CREATE INDEX docs_body_trgm ON docs USING gin (body gin_trgm_ops);
