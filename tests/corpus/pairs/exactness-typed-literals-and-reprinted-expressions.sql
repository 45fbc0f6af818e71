-- Typed literals in defaults and checks, an = ANY over a cast array, and a view's NULL::integer column: what
-- PostgreSQL prints for the rebuilt object is what must be stored.
CREATE TABLE prices (amount numeric DEFAULT '1'::numeric);
-- b
CREATE TABLE prices (amount numeric DEFAULT '1'::numeric, active boolean DEFAULT true::boolean,
    kind character varying(10) CHECK (kind::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])),
    ratio real DEFAULT '0.5'::real CHECK (ratio > '0'::real));
CREATE VIEW price_rows AS SELECT amount, NULL::integer AS missing, NULL::integer FROM prices;
