-- Triggers change: events and columns, WHEN, arguments, enabled state; one on a view, one dropped.
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE docs (id integer PRIMARY KEY, title text, body text);
CREATE VIEW doc_titles AS SELECT id, title FROM docs;
CREATE TRIGGER docs_note BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION note_change('v1');
CREATE TRIGGER docs_old BEFORE DELETE ON docs FOR EACH ROW EXECUTE FUNCTION note_change();
-- b
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE docs (id integer PRIMARY KEY, title text, body text);
CREATE VIEW doc_titles AS SELECT id, title FROM docs;
CREATE TRIGGER docs_note BEFORE INSERT OR UPDATE OF title, body ON docs FOR EACH ROW
    WHEN (NEW.title IS NOT NULL) EXECUTE FUNCTION note_change('v2', 'it''s');
ALTER TABLE docs DISABLE TRIGGER docs_note;
CREATE TRIGGER doc_titles_edit INSTEAD OF UPDATE ON doc_titles FOR EACH ROW EXECUTE FUNCTION note_change();
