-- An extension is added and its type used by a column; a composite type gains an attribute and is used.
CREATE TYPE address AS (street text, city text);
CREATE TABLE customers (id integer PRIMARY KEY, home address);
-- b
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE address AS (street text, city text, postcode character varying(10));
CREATE TYPE point3 AS (x double precision, y double precision, z double precision);
CREATE TABLE customers (id integer PRIMARY KEY, home address, email citext, position point3);
