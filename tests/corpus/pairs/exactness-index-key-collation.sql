-- An index key's own COLLATE (issue 16): on a plain column and on an expression, with an operator class, DESC, NULLS,
-- INCLUDE and WHERE; "default" on a column of another collation; keys that use their column's or expression's own
-- collation (a "C" column, an expression over it) name none; a key's collation changed (the index re-created).
CREATE TABLE people (id integer PRIMARY KEY, name text, code text COLLATE "C", note varchar(40));
CREATE INDEX people_name_posix ON people (name COLLATE "POSIX");
CREATE INDEX people_code ON people (code);
-- b
CREATE TABLE people (id integer PRIMARY KEY, name text, code text COLLATE "C", note varchar(40));
CREATE INDEX people_name_c ON people (name COLLATE "C");
CREATE INDEX people_name_posix ON people (name COLLATE "C");
CREATE INDEX people_code ON people (code);
CREATE INDEX people_code_default ON people (code COLLATE "default");
CREATE INDEX people_lower_code ON people (lower(code));
CREATE INDEX people_lower_name ON people ((lower(name)) COLLATE "POSIX" DESC NULLS LAST);
CREATE INDEX people_pattern ON people (note COLLATE "C" varchar_pattern_ops, name) INCLUDE (id) WHERE note IS NOT NULL;
CREATE INDEX people_mixed ON people ((name || note) COLLATE "C", (code || 'x'), lower(note) COLLATE "POSIX");
