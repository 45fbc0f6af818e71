-- Row-level security is enabled and forced, and policies are added, changed and dropped.
DO $$ BEGIN CREATE ROLE corpus_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE notes (id integer PRIMARY KEY, owner text NOT NULL, body text, shared boolean NOT NULL DEFAULT false);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON notes USING (owner = current_user);
CREATE POLICY old_policy ON notes FOR DELETE TO corpus_writer USING (false);
CREATE POLICY read_shared ON notes FOR SELECT TO corpus_reader USING (shared);
-- b
DO $$ BEGIN CREATE ROLE corpus_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE notes (id integer PRIMARY KEY, owner text NOT NULL, body text, shared boolean NOT NULL DEFAULT false);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON notes TO corpus_reader, corpus_writer USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY read_shared ON notes AS RESTRICTIVE FOR SELECT TO corpus_reader USING (shared OR owner = current_user);
CREATE POLICY insert_own ON notes FOR INSERT TO corpus_writer WITH CHECK (owner = current_user AND body IS NOT NULL);
