-- One role named by a policy and by grants: pull declares it once, as an existing role, and both keep naming it.
DO $$ BEGIN CREATE ROLE corpus_grant_member NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE documents (id integer PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_reads ON documents FOR SELECT TO corpus_grant_member USING (owner = current_user);
GRANT SELECT ON documents TO corpus_grant_member;
-- b
DO $$ BEGIN CREATE ROLE corpus_grant_member NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE documents (id integer PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_reads ON documents FOR SELECT TO corpus_grant_member USING (owner = current_user);
CREATE POLICY member_writes ON documents FOR INSERT TO corpus_grant_member WITH CHECK (owner = current_user);
GRANT SELECT, INSERT ON documents TO corpus_grant_member;
