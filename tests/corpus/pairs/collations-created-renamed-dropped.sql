-- Collations created, renamed (equal but for the name: ALTER COLLATION … RENAME TO, its column left as it is) and
-- dropped (after the column that used it is dropped), of both providers, with a libc locale and an LC_COLLATE/LC_CTYPE pair.
CREATE SCHEMA sorting;
CREATE COLLATION sorting.german (provider = icu, locale = 'de');
CREATE COLLATION sorting.gone (locale = 'POSIX');
CREATE TABLE sorting.words (
    id integer PRIMARY KEY,
    word text COLLATE sorting.german,
    old_word text COLLATE sorting.gone
);
-- b
CREATE SCHEMA sorting;
CREATE COLLATION sorting.deutsch (provider = icu, locale = 'de');
CREATE COLLATION sorting.byte_order (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION sorting.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE sorting.words (
    id integer PRIMARY KEY,
    word text COLLATE sorting.deutsch,
    sort_key text COLLATE sorting.byte_order,
    lookup varchar(40) COLLATE sorting.nocase
);
