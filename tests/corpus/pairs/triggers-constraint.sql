-- Constraint triggers: one becomes deferrable, initially deferred, with a FROM table; one is added not deferrable.
CREATE TABLE parents (id integer PRIMARY KEY);
CREATE TABLE children (id integer PRIMARY KEY, parent_id integer);
CREATE FUNCTION check_parent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER children_parent AFTER INSERT OR UPDATE ON children FOR EACH ROW EXECUTE FUNCTION check_parent();
-- b
CREATE TABLE parents (id integer PRIMARY KEY);
CREATE TABLE children (id integer PRIMARY KEY, parent_id integer);
CREATE FUNCTION check_parent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER children_parent AFTER INSERT OR UPDATE ON children FROM parents DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_parent('strict');
CREATE CONSTRAINT TRIGGER parents_kept AFTER DELETE ON parents DEFERRABLE FOR EACH ROW WHEN (OLD.id > 0) EXECUTE FUNCTION check_parent();
