-- Multiple parents, a column merged from two parents and declared again in the child, a child with its own key,
-- foreign key, index and check, and a parent's CHECK … NO INHERIT that the child does not get.
CREATE TABLE owners (id integer PRIMARY KEY);
CREATE TABLE named (id integer NOT NULL, name text NOT NULL DEFAULT '', CONSTRAINT named_id_positive CHECK (id > 0));
CREATE TABLE audited (id integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), CONSTRAINT audited_only_here CHECK (id < 1000000) NO INHERIT);
-- b
CREATE TABLE owners (id integer PRIMARY KEY);
CREATE TABLE named (id integer NOT NULL, name text NOT NULL DEFAULT '', CONSTRAINT named_id_positive CHECK (id > 0));
CREATE TABLE audited (id integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), CONSTRAINT audited_only_here CHECK (id < 1000000) NO INHERIT);
CREATE TABLE documents (
    id integer NOT NULL,
    owner_id integer REFERENCES owners (id),
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id),
    CONSTRAINT documents_body_short CHECK (length(body) < 10000)
) INHERITS (named, audited);
CREATE INDEX documents_owner ON documents (owner_id);
CREATE TABLE signed_documents (signature bytea) INHERITS (documents);
