-- A collation moved to another schema (ALTER COLLATION … SET SCHEMA: the column, composite field and index key that
-- use it follow it), and composite type fields whose collation is of another schema (named with its schema).
CREATE SCHEMA sorting;
CREATE SCHEMA lookup;
CREATE COLLATION sorting.byte_order (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION lookup.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE lookup.label AS (text_value text COLLATE sorting.byte_order, folded varchar(30) COLLATE lookup.nocase, plain text);
CREATE TABLE items (id integer PRIMARY KEY, name text COLLATE sorting.byte_order, label lookup.label);
CREATE INDEX items_name ON items (name COLLATE lookup.nocase);
CREATE INDEX items_name_bytes ON items (lower(name) COLLATE sorting.byte_order);
-- b
CREATE SCHEMA sorting;
CREATE SCHEMA lookup;
CREATE COLLATION lookup.byte_order (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION lookup.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE lookup.label AS (text_value text COLLATE lookup.byte_order, folded varchar(30) COLLATE lookup.nocase, plain text);
CREATE TABLE items (id integer PRIMARY KEY, name text COLLATE lookup.byte_order, label lookup.label);
CREATE INDEX items_name ON items (name COLLATE lookup.nocase);
CREATE INDEX items_name_bytes ON items (lower(name) COLLATE "POSIX");
