-- pending: table inheritance (INHERITS) is not modelled: pull names the inheriting table and writes it as a plain table with all its columns (issue 15)
CREATE TABLE items (id integer NOT NULL, name text, CHECK (id > 0));
-- b
CREATE TABLE items (id integer NOT NULL, name text, CHECK (id > 0));
CREATE TABLE special_items (extra text) INHERITS (items);
CREATE TABLE tagged_items (id integer NOT NULL, tag text) INHERITS (items);
