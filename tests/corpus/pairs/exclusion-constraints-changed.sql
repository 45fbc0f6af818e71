-- Exclusion constraints added, changed, renamed and dropped: scalar equality through btree_gist, an expression key with
-- its operator class, INCLUDE, storage parameters, a predicate and DEFERRABLE; a column retyped under one.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE bookings (id integer PRIMARY KEY, room integer NOT NULL, during tsrange NOT NULL, note text, cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&),
    CONSTRAINT bookings_not_adjacent EXCLUDE USING gist (during WITH -|-) WHERE (NOT cancelled),
    CONSTRAINT bookings_old EXCLUDE USING btree (note WITH =));
CREATE TABLE slots (id integer PRIMARY KEY, span int4range NOT NULL, CONSTRAINT slots_span_excl EXCLUDE USING spgist (span WITH &&));
CREATE TABLE desks (id integer PRIMARY KEY, seat integer NOT NULL, during tsrange NOT NULL, CONSTRAINT desks_taken EXCLUDE USING gist (seat WITH =, during WITH &&));
-- b
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (id integer PRIMARY KEY, name text NOT NULL,
    CONSTRAINT rooms_one_name EXCLUDE USING gist (lower(name) gist_text_ops WITH =));
CREATE TABLE bookings (id integer PRIMARY KEY, room integer NOT NULL, during tsrange NOT NULL, note text, cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) INCLUDE (note) WITH (fillfactor = 80)
        WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT bookings_never_adjacent EXCLUDE USING gist (during WITH -|-) WHERE (NOT cancelled));
CREATE TABLE slots (id integer PRIMARY KEY, span int4range NOT NULL, CONSTRAINT slots_span_excl EXCLUDE USING spgist (span WITH &&));
CREATE TABLE desks (id integer PRIMARY KEY, seat bigint NOT NULL, during tsrange NOT NULL, CONSTRAINT desks_taken EXCLUDE USING gist (seat WITH =, during WITH &&));
