-- bench/pull-schema.sql — the schema bench/pull.sh pulls: a catalogue in the shape of the large open music
-- databases, with what real applications have besides tables. Run by psql with -v tables=N; deterministic.
-- Per table: an identity key, a uuid and names, an enum and a domain column, a check, a foreign key to the
-- previous table, three indexes (plain, partial, expression), a comment, a BEFORE UPDATE trigger that sets
-- last_updated; every third table an AFTER INSERT trigger on a function of its own; every tenth a view.
-- Besides: two partitioned tables of four partitions each, a role with grants, row-level security on one table.
SET client_min_messages = warning;
CREATE SCHEMA catalog;
CREATE TYPE catalog.entity_status AS ENUM ('active', 'merged', 'deleted');
CREATE DOMAIN catalog.edit_count AS integer NOT NULL DEFAULT 0 CHECK (VALUE >= 0);
CREATE FUNCTION catalog.set_last_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_updated := now();
    RETURN NEW;
END
$$;
DO $$ BEGIN CREATE ROLE bench_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT USAGE ON SCHEMA catalog TO bench_reader;

SET bench.tables TO :'tables';
DO $do$
DECLARE
    n integer := current_setting('bench.tables')::integer;
    t text;
BEGIN
    FOR i IN 1..n LOOP
        t := format('entity_%s', i);
        EXECUTE format($sql$
            CREATE TABLE catalog.%1$I (
                id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                gid uuid NOT NULL UNIQUE,
                name varchar NOT NULL,
                sort_name varchar NOT NULL,
                comment varchar(255) NOT NULL DEFAULT '',
                status catalog.entity_status NOT NULL DEFAULT 'active',
                edits_pending catalog.edit_count,
                begin_year smallint,
                end_year smallint,
                parent integer %2$s,
                last_updated timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT %1$s_years CHECK (end_year IS NULL OR begin_year <= end_year))$sql$,
            t, CASE WHEN i > 1 THEN format('REFERENCES catalog.entity_%s (id) ON DELETE SET NULL', i - 1) ELSE '' END);
        EXECUTE format('CREATE INDEX %1$s_name ON catalog.%1$I (name)', t);
        EXECUTE format('CREATE INDEX %1$s_recent ON catalog.%1$I (last_updated) WHERE status = ''active''', t);
        EXECUTE format('CREATE INDEX %1$s_lower_name ON catalog.%1$I (lower(name::text))', t);
        EXECUTE format('COMMENT ON TABLE catalog.%1$I IS %2$L', t, format('Entity kind %s of the catalogue.', i));
        EXECUTE format('CREATE TRIGGER %1$s_last_updated BEFORE UPDATE ON catalog.%1$I FOR EACH ROW EXECUTE FUNCTION catalog.set_last_updated()', t);
        IF i % 3 = 0 THEN
            EXECUTE format($sql$
                CREATE FUNCTION catalog.%1$s_inserted() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    IF NEW.parent IS NOT NULL THEN
                        UPDATE catalog.%2$I SET edits_pending = edits_pending + 1 WHERE id = NEW.parent;
                    END IF;
                    RETURN NULL;
                END
                $body$$sql$, t, format('entity_%s', i - 1));
            EXECUTE format('CREATE TRIGGER %1$s_inserted AFTER INSERT ON catalog.%1$I FOR EACH ROW EXECUTE FUNCTION catalog.%1$s_inserted()', t);
        END IF;
        IF i % 10 = 0 THEN
            EXECUTE format('CREATE VIEW catalog.%1$s_active AS SELECT id, gid, name, sort_name FROM catalog.%1$I WHERE status = ''active''', t);
            EXECUTE format('GRANT SELECT ON catalog.%1$s_active TO bench_reader', t);
        END IF;
    END LOOP;
END
$do$;

CREATE TABLE catalog.edit_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    edited_at timestamptz NOT NULL,
    editor integer NOT NULL,
    PRIMARY KEY (id, edited_at)
) PARTITION BY RANGE (edited_at);
CREATE TABLE catalog.edit_log_2023 PARTITION OF catalog.edit_log FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE catalog.edit_log_2024 PARTITION OF catalog.edit_log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE catalog.edit_log_2025 PARTITION OF catalog.edit_log FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE catalog.edit_log_default PARTITION OF catalog.edit_log DEFAULT;
CREATE TABLE catalog.tag (
    id integer NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (id, kind)
) PARTITION BY LIST (kind);
CREATE TABLE catalog.tag_genre PARTITION OF catalog.tag FOR VALUES IN ('genre');
CREATE TABLE catalog.tag_mood PARTITION OF catalog.tag FOR VALUES IN ('mood');
CREATE TABLE catalog.tag_place PARTITION OF catalog.tag FOR VALUES IN ('place');
CREATE TABLE catalog.tag_other PARTITION OF catalog.tag DEFAULT;

ALTER TABLE catalog.entity_1 ENABLE ROW LEVEL SECURITY;
CREATE POLICY entity_1_active ON catalog.entity_1 FOR SELECT TO bench_reader USING (status = 'active');
