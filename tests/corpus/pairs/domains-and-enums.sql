-- Kinds Strata already modelled before issue 15: a domain's check and default change, an enum gains a value.
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN score AS integer CHECK (VALUE >= 0);
CREATE TABLE people (id integer PRIMARY KEY, feeling mood DEFAULT 'ok', points score);
-- b
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN score AS integer DEFAULT 0 CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE people (id integer PRIMARY KEY, feeling mood DEFAULT 'ok', points score);
