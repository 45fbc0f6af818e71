-- A parent dropped while its children stay (NO INHERIT first: one keeps the parent's columns as its own, the other
-- lets one go), and a dropped parent with a dropped child (children first).
CREATE TABLE base (id integer NOT NULL, label text);
CREATE TABLE keeps_columns (extra text) INHERITS (base);
CREATE TABLE drops_label (extra text) INHERITS (base);
CREATE TABLE gone_parent (id integer);
CREATE TABLE gone_child (note text) INHERITS (gone_parent);
-- b
CREATE TABLE keeps_columns (id integer NOT NULL, label text, extra text);
CREATE TABLE drops_label (id integer NOT NULL, extra text);
