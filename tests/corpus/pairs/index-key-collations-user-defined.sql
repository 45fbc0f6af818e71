-- Index keys with collations of the schema's own: one of another schema created with the index that uses it (the
-- collation first), one dropped with its index (the index first), one re-created with another definition (its
-- index built again over the new one), one renamed (its index kept); an exclusion constraint's key with COLLATE.
CREATE SCHEMA sorting;
CREATE COLLATION sorting.gone (locale = 'POSIX');
CREATE COLLATION sorting.fold (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION sorting.german (provider = icu, locale = 'de');
CREATE TABLE words (id integer PRIMARY KEY, word text, old_word text);
CREATE INDEX words_old ON words (old_word COLLATE sorting.gone);
CREATE INDEX words_fold ON words (word COLLATE sorting.fold);
CREATE INDEX words_german ON words (lower(word) COLLATE sorting.german);
-- b
CREATE SCHEMA sorting;
CREATE SCHEMA lookup;
CREATE COLLATION lookup.byte_order (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION sorting.fold (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE COLLATION sorting.deutsch (provider = icu, locale = 'de');
CREATE TABLE words (id integer PRIMARY KEY, word text, EXCLUDE USING btree (word COLLATE lookup.byte_order WITH =));
CREATE INDEX words_bytes ON words (word COLLATE lookup.byte_order DESC);
CREATE INDEX words_fold ON words (word COLLATE sorting.fold);
CREATE INDEX words_german ON words (lower(word) COLLATE sorting.deutsch);
