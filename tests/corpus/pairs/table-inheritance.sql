CREATE TABLE items (id integer NOT NULL, name text, CHECK (id > 0));
-- b
CREATE TABLE items (id integer NOT NULL, name text, CHECK (id > 0));
CREATE TABLE special_items (extra text) INHERITS (items);
CREATE TABLE tagged_items (id integer NOT NULL, tag text) INHERITS (items);
