-- INSTEAD OF triggers on a view, kept when the view is re-created (its query reads a new column), and a statement trigger on a view.
CREATE TABLE docs (id integer PRIMARY KEY, title text, body text);
CREATE FUNCTION edit_doc() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE docs SET title = NEW.title WHERE id = OLD.id; RETURN NEW; END $$;
CREATE VIEW doc_titles AS SELECT id, title FROM docs;
CREATE TRIGGER doc_titles_edit INSTEAD OF UPDATE ON doc_titles FOR EACH ROW EXECUTE FUNCTION edit_doc();
-- b
CREATE TABLE docs (id integer PRIMARY KEY, title text, body text);
CREATE FUNCTION edit_doc() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE docs SET title = NEW.title WHERE id = OLD.id; RETURN NEW; END $$;
CREATE VIEW doc_titles AS SELECT id, title, body FROM docs;
CREATE TRIGGER doc_titles_edit INSTEAD OF UPDATE ON doc_titles FOR EACH ROW EXECUTE FUNCTION edit_doc();
CREATE TRIGGER doc_titles_insert INSTEAD OF INSERT OR DELETE ON doc_titles FOR EACH ROW EXECUTE FUNCTION edit_doc();
CREATE TRIGGER doc_titles_touched BEFORE UPDATE ON doc_titles FOR EACH STATEMENT EXECUTE FUNCTION edit_doc();
