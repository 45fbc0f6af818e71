-- Collations of the schema's own, used by columns (of a table and through an index) and by a domain: one whose
-- definition changes (PostgreSQL cannot alter it: re-created, its column set to the new one and its domain re-created),
-- one whose comment changes, a domain moved to another collation, a column moved to one of public (named unqualified).
CREATE SCHEMA text_rules;
CREATE COLLATION text_rules.fold (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION text_rules.posix_c (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION public.plain (locale = 'C');
COMMENT ON COLLATION text_rules.fold IS 'case-insensitive';
CREATE DOMAIN text_rules.code AS text COLLATE text_rules.posix_c;
CREATE DOMAIN text_rules.folded AS text COLLATE text_rules.fold;
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text COLLATE text_rules.fold NOT NULL,
    code text_rules.code,
    alias text_rules.folded,
    tag text COLLATE "C",
    nick varchar(20) COLLATE text_rules.posix_c
);
CREATE INDEX people_name ON people (name);
-- b
CREATE SCHEMA text_rules;
CREATE COLLATION text_rules.fold (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE COLLATION text_rules.posix_c (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION public.plain (locale = 'C');
COMMENT ON COLLATION text_rules.fold IS 'accent- and case-insensitive';
COMMENT ON COLLATION text_rules.posix_c IS 'byte order';
CREATE DOMAIN text_rules.code AS text COLLATE public.plain;
CREATE DOMAIN text_rules.folded AS text COLLATE text_rules.fold;
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text COLLATE text_rules.fold NOT NULL,
    code text_rules.code,
    alias text_rules.folded,
    tag text COLLATE public.plain,
    nick varchar(20) COLLATE text_rules.posix_c
);
CREATE INDEX people_name ON people (name);
