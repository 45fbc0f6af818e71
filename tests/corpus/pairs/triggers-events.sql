-- Trigger events change: one event to several, UPDATE OF columns, a TRUNCATE statement trigger, row to statement level.
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric, stock integer);
CREATE TRIGGER items_changed AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION note();
CREATE TRIGGER items_priced AFTER UPDATE ON items FOR EACH ROW EXECUTE FUNCTION note();
CREATE TRIGGER items_bulk AFTER DELETE ON items FOR EACH ROW EXECUTE FUNCTION note();
-- b
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric, stock integer);
CREATE TRIGGER items_changed AFTER INSERT OR UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION note();
CREATE TRIGGER items_priced AFTER UPDATE OF price, stock ON items FOR EACH ROW EXECUTE FUNCTION note();
CREATE TRIGGER items_bulk AFTER DELETE ON items FOR EACH STATEMENT EXECUTE FUNCTION note();
CREATE TRIGGER items_emptied AFTER TRUNCATE ON items FOR EACH STATEMENT EXECUTE FUNCTION note('truncate', '');
