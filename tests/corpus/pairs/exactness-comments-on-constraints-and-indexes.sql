-- Comments on constraints and indexes: names with dots and quotes, an index renamed while another keeps its
-- comment, a constraint and an index of the same name on different tables.
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, CONSTRAINT "email.has@" CHECK (email LIKE '%@%'));
CREATE INDEX accounts_email ON accounts (email);
CREATE INDEX "accounts ""quoted"" idx" ON accounts (lower(email));
COMMENT ON CONSTRAINT "email.has@" ON accounts IS 'An address has an at sign.';
COMMENT ON INDEX accounts_email IS 'Sign-in looks accounts up by address.';
COMMENT ON INDEX "accounts ""quoted"" idx" IS 'Case-insensitive look-up.';
-- b
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, CONSTRAINT "email.has@" CHECK (email LIKE '%@%'));
CREATE INDEX accounts_email_renamed ON accounts (email);
CREATE INDEX "accounts ""quoted"" idx" ON accounts (lower(email));
CREATE TABLE orders (id integer, account integer, CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_account FOREIGN KEY (account) REFERENCES accounts (id));
COMMENT ON CONSTRAINT "email.has@" ON accounts IS 'An address has an at sign (changed).';
COMMENT ON CONSTRAINT accounts_pkey ON accounts IS 'The key.';
COMMENT ON CONSTRAINT orders_account ON orders IS 'Every order belongs to an account.';
COMMENT ON INDEX "accounts ""quoted"" idx" IS 'Case-insensitive look-up.';
