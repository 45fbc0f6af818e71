-- A trigger's WHEN condition is added, changed and removed; PostgreSQL prints it its own way.
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, total numeric(12, 2));
CREATE TRIGGER orders_status BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION note();
CREATE TRIGGER orders_total BEFORE UPDATE ON orders FOR EACH ROW WHEN (OLD.total <> NEW.total) EXECUTE FUNCTION note();
CREATE TRIGGER orders_any BEFORE INSERT ON orders FOR EACH ROW WHEN (NEW.status = 'new') EXECUTE FUNCTION note();
-- b
CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, total numeric(12, 2));
CREATE TRIGGER orders_status BEFORE UPDATE ON orders FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('paid', 'sent')) EXECUTE FUNCTION note();
CREATE TRIGGER orders_total BEFORE UPDATE ON orders FOR EACH ROW WHEN (OLD.total::numeric > 2 * NEW.total) EXECUTE FUNCTION note();
CREATE TRIGGER orders_any BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION note();
