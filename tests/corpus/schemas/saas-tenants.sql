-- A multi-tenant SaaS back end, written for Strata in the shape of the Supabase- and Neon-style apps: extensions,
-- row-level security with per-tenant policies for an application role, SECURITY DEFINER functions with a fixed
-- search_path, updated_at and audit triggers (statement-level, with transition tables), an exclusion constraint,
-- NULLS NOT DISTINCT, deferrable keys, a composite type and generated columns, in two schemas.
DO $$ BEGIN CREATE ROLE corpus_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE corpus_admin NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA app;
CREATE SCHEMA audit;

CREATE TYPE app.plan AS ENUM ('free', 'team', 'enterprise');
CREATE TYPE app.money_amount AS (currency character(3), cents bigint);
CREATE DOMAIN app.slug AS text CHECK (VALUE ~ '^[a-z0-9-]+$');

CREATE FUNCTION app.current_tenant() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION app.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE TABLE app.tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug app.slug NOT NULL UNIQUE,
    name text NOT NULL,
    plan app.plan NOT NULL DEFAULT 'free',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE app.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES app.tenants ON DELETE CASCADE,
    email citext NOT NULL,
    display_name text,
    is_admin boolean NOT NULL DEFAULT false,
    deleted_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_tenant_email UNIQUE NULLS NOT DISTINCT (tenant_id, email, deleted_at)
);
CREATE INDEX users_tenant ON app.users (tenant_id) WHERE deleted_at IS NULL;
CREATE TABLE app.projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES app.tenants ON DELETE CASCADE,
    owner_id bigint REFERENCES app.users ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    name text NOT NULL,
    budget app.money_amount,
    archived boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);
CREATE TABLE app.tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES app.tenants ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES app.projects ON DELETE CASCADE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    done boolean NOT NULL DEFAULT false,
    estimate_minutes integer,
    estimate_hours numeric GENERATED ALWAYS AS (round(estimate_minutes / 60.0, 1)) STORED,
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tasks_search ON app.tasks USING gin (search);
CREATE INDEX tasks_open ON app.tasks (project_id, id DESC) WHERE NOT done;
CREATE TABLE app.room_bookings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES app.tenants ON DELETE CASCADE,
    room text NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT room_bookings_no_overlap EXCLUDE USING gist (tenant_id WITH =, room WITH =, during WITH &&)
);

CREATE TABLE audit.events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name text NOT NULL,
    operation text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    rows_changed integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit.record_inserts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $$
BEGIN
    INSERT INTO events (table_name, operation, rows_changed) SELECT TG_TABLE_NAME, TG_OP, count(*) FROM new_rows;
    RETURN NULL;
END
$$;
CREATE FUNCTION audit.record_deletes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $$
BEGIN
    INSERT INTO events (table_name, operation, rows_changed) SELECT TG_TABLE_NAME, TG_OP, count(*) FROM old_rows;
    RETURN NULL;
END
$$;

CREATE TRIGGER tenants_updated_at BEFORE UPDATE ON app.tenants FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER users_updated_at BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER projects_updated_at BEFORE UPDATE ON app.projects FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER tasks_updated_at BEFORE UPDATE OF title, done, estimate_minutes ON app.tasks FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.done IS DISTINCT FROM NEW.done) EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER tasks_audit_insert AFTER INSERT ON app.tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.record_inserts();
CREATE TRIGGER tasks_audit_delete AFTER DELETE ON app.tasks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit.record_deletes();

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY users_same_tenant ON app.users FOR ALL TO corpus_app
    USING (tenant_id = app.current_tenant()) WITH CHECK (tenant_id = app.current_tenant());
CREATE POLICY projects_read ON app.projects FOR SELECT TO corpus_app USING (tenant_id = app.current_tenant());
CREATE POLICY projects_write ON app.projects FOR INSERT TO corpus_app WITH CHECK (tenant_id = app.current_tenant() AND NOT archived);
CREATE POLICY projects_admin ON app.projects TO corpus_admin USING (true);
CREATE POLICY tasks_same_tenant ON app.tasks TO corpus_app, corpus_admin USING (tenant_id = app.current_tenant());
CREATE POLICY tasks_not_archived ON app.tasks AS RESTRICTIVE FOR UPDATE TO corpus_app
    USING (NOT EXISTS (SELECT FROM app.projects p WHERE p.id = project_id AND p.archived));

CREATE VIEW app.open_tasks WITH (security_barrier = true) AS
    SELECT t.id, t.tenant_id, t.title, p.name AS project
    FROM app.tasks t JOIN app.projects p ON p.id = t.project_id
    WHERE NOT t.done;

COMMENT ON FUNCTION app.current_tenant() IS 'the tenant of the session (SET app.tenant_id)';
COMMENT ON POLICY tasks_same_tenant ON app.tasks IS 'a session sees its own tenant only';
