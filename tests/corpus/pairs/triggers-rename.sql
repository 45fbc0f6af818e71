-- A trigger renamed (equal but for its name: ALTER TRIGGER … RENAME TO), one whose table is renamed, one whose column changes type.
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE accounts (id integer PRIMARY KEY, balance integer, note text);
CREATE TRIGGER accounts_old_name BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION note('kept');
CREATE TRIGGER accounts_balance BEFORE UPDATE OF balance ON accounts FOR EACH ROW WHEN (NEW.balance < 0) EXECUTE FUNCTION note();
-- b
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE accounts (id integer PRIMARY KEY, balance bigint, note text);
CREATE TRIGGER accounts_new_name BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION note('kept');
CREATE TRIGGER accounts_balance BEFORE UPDATE OF balance ON accounts FOR EACH ROW WHEN (NEW.balance < 0) EXECUTE FUNCTION note();
