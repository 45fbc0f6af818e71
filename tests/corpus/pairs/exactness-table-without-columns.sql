-- A table with no columns (PostgreSQL allows CREATE TABLE t ()), and one that loses its last column.
CREATE TABLE marker (id integer);
-- b
CREATE TABLE marker ();
CREATE TABLE nothing_yet ();
