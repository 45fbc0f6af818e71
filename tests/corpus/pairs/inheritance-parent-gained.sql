-- A table gains a parent whose columns it already has (ALTER TABLE … INHERIT), one loses a parent it keeps another of
-- (NO INHERIT), and one gains a parent whose columns it lacks (dropped and created again).
CREATE TABLE people (id integer NOT NULL, name text);
CREATE TABLE contacts (email text);
CREATE TABLE customers (id integer NOT NULL, name text, tier text);
CREATE TABLE staff (role text) INHERITS (people, contacts);
CREATE TABLE guests (visits integer);
-- b
CREATE TABLE people (id integer NOT NULL, name text);
CREATE TABLE contacts (email text);
CREATE TABLE customers (id integer NOT NULL, name text, tier text) INHERITS (people);
CREATE TABLE staff (role text) INHERITS (people);
CREATE TABLE guests (visits integer) INHERITS (people);
