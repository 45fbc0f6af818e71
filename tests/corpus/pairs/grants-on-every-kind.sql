-- Privileges on a schema, a table, a view, a sequence, a function and types: granted, revoked, WITH GRANT OPTION
-- added and taken away, to roles and to PUBLIC. A role keeps at least one grant in B: the grants Strata manages are
-- those of the roles the schema declares (pull declares each grantee as an existing role).
DO $$ BEGIN CREATE ROLE corpus_grant_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_grant_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA shop;
CREATE TYPE shop.state AS ENUM ('open', 'paid');
CREATE DOMAIN shop.money_amount AS numeric(12, 2) CHECK (VALUE >= 0);
CREATE SEQUENCE shop.order_numbers;
CREATE TABLE shop.orders (id integer PRIMARY KEY, state shop.state NOT NULL, total shop.money_amount, note varchar(200));
CREATE VIEW shop.paid_orders AS SELECT id, total FROM shop.orders WHERE state = 'paid';
CREATE FUNCTION shop.order_total(order_id integer, label varchar) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM shop.orders WHERE id = order_id $$;
GRANT USAGE ON SCHEMA shop TO corpus_grant_reader, corpus_grant_writer;
GRANT SELECT ON shop.orders TO corpus_grant_reader;
GRANT SELECT, INSERT, UPDATE ON shop.orders TO corpus_grant_writer WITH GRANT OPTION;
GRANT SELECT ON shop.paid_orders TO corpus_grant_reader;
GRANT USAGE ON SEQUENCE shop.order_numbers TO corpus_grant_writer;
GRANT EXECUTE ON FUNCTION shop.order_total(integer, varchar) TO corpus_grant_reader;
GRANT USAGE ON TYPE shop.state TO corpus_grant_writer;
-- b
DO $$ BEGIN CREATE ROLE corpus_grant_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_grant_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA shop;
CREATE TYPE shop.state AS ENUM ('open', 'paid');
CREATE DOMAIN shop.money_amount AS numeric(12, 2) CHECK (VALUE >= 0);
CREATE SEQUENCE shop.order_numbers;
CREATE TABLE shop.orders (id integer PRIMARY KEY, state shop.state NOT NULL, total shop.money_amount, note varchar(200));
CREATE VIEW shop.paid_orders AS SELECT id, total FROM shop.orders WHERE state = 'paid';
CREATE FUNCTION shop.order_total(order_id integer, label varchar) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM shop.orders WHERE id = order_id $$;
GRANT USAGE ON SCHEMA shop TO corpus_grant_reader;
GRANT USAGE, CREATE ON SCHEMA shop TO corpus_grant_writer;
GRANT SELECT, REFERENCES ON shop.orders TO corpus_grant_reader;
GRANT SELECT, INSERT ON shop.orders TO corpus_grant_writer;
GRANT DELETE ON shop.orders TO corpus_grant_writer WITH GRANT OPTION;
GRANT SELECT ON shop.paid_orders TO PUBLIC;
GRANT USAGE, SELECT ON SEQUENCE shop.order_numbers TO corpus_grant_writer;
GRANT EXECUTE ON FUNCTION shop.order_total(integer, varchar) TO corpus_grant_writer;
GRANT USAGE ON TYPE shop.money_amount TO corpus_grant_reader;
