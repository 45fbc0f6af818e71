-- The common updated_at trigger is added to two tables, with its function.
CREATE TABLE accounts (id integer PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id integer PRIMARY KEY, account_id integer REFERENCES accounts, updated_at timestamptz NOT NULL DEFAULT now());
-- b
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TABLE accounts (id integer PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id integer PRIMARY KEY, account_id integer REFERENCES accounts, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER accounts_updated_at BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
