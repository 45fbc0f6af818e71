-- A parent's columns added, dropped and retyped and a check added: PostgreSQL passes each on to the children, so the
-- differ makes it on the parent alone (a child that declares the column again is retyped with it).
CREATE TABLE events (id integer NOT NULL, kind text, payload text, score integer);
CREATE TABLE click_events (x integer, y integer) INHERITS (events);
CREATE TABLE scored_events (score integer) INHERITS (events);
-- b
CREATE TABLE events (id integer NOT NULL, kind text, score bigint, at timestamptz, CONSTRAINT events_kind_known CHECK (kind <> ''));
CREATE TABLE click_events (x integer, y integer) INHERITS (events);
CREATE TABLE scored_events (score bigint) INHERITS (events);
