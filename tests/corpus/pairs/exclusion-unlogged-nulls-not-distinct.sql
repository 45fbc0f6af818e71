-- An exclusion constraint, an unlogged table becoming logged, and a unique constraint with NULLS NOT DISTINCT.
CREATE TABLE bookings (id integer PRIMARY KEY, room integer NOT NULL, during tsrange NOT NULL);
CREATE UNLOGGED TABLE cache (key text PRIMARY KEY, value text);
CREATE TABLE codes (a integer, b integer);
-- b
CREATE TABLE bookings (id integer PRIMARY KEY, room integer NOT NULL, during tsrange NOT NULL,
    CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&) WHERE (room > 0) DEFERRABLE);
CREATE TABLE cache (key text PRIMARY KEY, value text);
CREATE UNLOGGED TABLE scratch (id integer);
CREATE TABLE codes (a integer, b integer, CONSTRAINT codes_a_b UNIQUE NULLS NOT DISTINCT (a, b));
CREATE UNIQUE INDEX codes_b ON codes (b) NULLS NOT DISTINCT;
