-- Storage parameters of the indexes behind primary keys and unique constraints (PRIMARY KEY … WITH, UNIQUE … WITH):
-- added, changed and removed in place (ALTER INDEX … SET / RESET), on a new table, with NULLS NOT DISTINCT and
-- DEFERRABLE, on a key added to a kept table.
CREATE TABLE accounts (id integer, email text, code text, CONSTRAINT accounts_pkey PRIMARY KEY (id) WITH (fillfactor = 70),
    CONSTRAINT accounts_email_key UNIQUE (email), CONSTRAINT accounts_code_key UNIQUE (code) WITH (fillfactor = 80, deduplicate_items = off));
CREATE TABLE plain (id integer, tag text);
-- b
CREATE TABLE accounts (id integer, email text, code text, CONSTRAINT accounts_pkey PRIMARY KEY (id) WITH (fillfactor = 90),
    CONSTRAINT accounts_email_key UNIQUE NULLS NOT DISTINCT (email) WITH (fillfactor = 60) DEFERRABLE, CONSTRAINT accounts_code_key UNIQUE (code));
CREATE TABLE plain (id integer, tag text, CONSTRAINT plain_pkey PRIMARY KEY (id) WITH (fillfactor = 50), CONSTRAINT plain_tag_key UNIQUE (tag) WITH (deduplicate_items = off));
CREATE TABLE fresh (id integer PRIMARY KEY WITH (fillfactor = 40), name text UNIQUE WITH (fillfactor = 65));
