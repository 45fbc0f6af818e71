-- A music catalogue, written for Strata in the shape of the large open music databases: many tables joined by
-- foreign keys, enums and domains, case-insensitive and expression indexes, partial indexes, a sequence shared
-- by two tables, last_updated triggers on every edited table, edit-count triggers calling SQL functions,
-- functions overloaded by argument type, a rule, extended statistics, a collation of its own, views and comments.
CREATE SCHEMA musicbrainz;
SET search_path = musicbrainz, public;

CREATE COLLATION musicbrainz.ascii_fold (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE TYPE musicbrainz.fluency AS ENUM ('basic', 'intermediate', 'advanced', 'native');
CREATE TYPE musicbrainz.edit_status AS ENUM ('open', 'applied', 'failed', 'cancelled');
CREATE DOMAIN musicbrainz.mbid AS uuid NOT NULL;
CREATE DOMAIN musicbrainz.partial_year AS smallint CHECK (VALUE BETWEEN 1000 AND 3000);
CREATE SEQUENCE musicbrainz.entity_gid_seq AS bigint START WITH 1000 CACHE 20;

CREATE FUNCTION musicbrainz.b_upd_last_updated_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_updated = NOW();
    RETURN NEW;
END;
$$;
CREATE FUNCTION musicbrainz.inc_ref_count(tbl text, row_id integer, val integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'UPDATE ' || quote_ident(tbl) || ' SET ref_count = ref_count + $1 WHERE id = $2' USING val, row_id;
END;
$$;
CREATE FUNCTION musicbrainz.padded(value integer) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lpad(value::text, 6, '0');
CREATE FUNCTION musicbrainz.padded(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lpad(value, 6, '0');
CREATE FUNCTION musicbrainz.year_span(begin_year smallint, end_year smallint DEFAULT NULL) RETURNS text
    LANGUAGE sql IMMUTABLE COST 5
    RETURN begin_year::text || '–' || coalesce(end_year::text, '');

CREATE TABLE musicbrainz.area_type (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    parent integer REFERENCES musicbrainz.area_type,
    child_order integer NOT NULL DEFAULT 0,
    description text,
    gid musicbrainz.mbid
);
CREATE TABLE musicbrainz.area (
    id serial PRIMARY KEY,
    gid musicbrainz.mbid,
    name varchar NOT NULL,
    type integer REFERENCES musicbrainz.area_type,
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    last_updated timestamptz DEFAULT now(),
    begin_date_year musicbrainz.partial_year,
    end_date_year musicbrainz.partial_year,
    ended boolean NOT NULL DEFAULT false,
    comment varchar(255) NOT NULL DEFAULT '',
    CONSTRAINT area_ended_check CHECK ((end_date_year IS NOT NULL) <= ended)
);
CREATE UNIQUE INDEX area_idx_gid ON musicbrainz.area (gid);
CREATE INDEX area_idx_name ON musicbrainz.area (name);
CREATE INDEX area_idx_lower_name ON musicbrainz.area (lower(name::text));
CREATE TABLE musicbrainz.language (
    id serial PRIMARY KEY,
    iso_code_2t char(3),
    iso_code_2b char(3),
    iso_code_1 char(2),
    name varchar(100) NOT NULL,
    frequency smallint NOT NULL DEFAULT 0,
    iso_code_3 char(3),
    CONSTRAINT iso_code_check CHECK (iso_code_2t IS NOT NULL OR iso_code_3 IS NOT NULL)
);
CREATE UNIQUE INDEX language_idx_iso_code_2t ON musicbrainz.language (iso_code_2t);
CREATE TABLE musicbrainz.artist_type (
    id serial PRIMARY KEY,
    name varchar(255) NOT NULL,
    gid musicbrainz.mbid
);
CREATE TABLE musicbrainz.artist (
    id serial PRIMARY KEY,
    gid musicbrainz.mbid,
    name varchar NOT NULL,
    sort_name varchar NOT NULL COLLATE musicbrainz.ascii_fold,
    begin_date_year musicbrainz.partial_year,
    end_date_year musicbrainz.partial_year,
    type integer REFERENCES musicbrainz.artist_type,
    area integer REFERENCES musicbrainz.area,
    gender integer,
    comment varchar(255) NOT NULL DEFAULT '',
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    last_updated timestamptz DEFAULT now(),
    ended boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX artist_idx_gid ON musicbrainz.artist (gid);
CREATE INDEX artist_idx_lower_name ON musicbrainz.artist (lower(name::text));
CREATE UNIQUE INDEX artist_idx_null_comment ON musicbrainz.artist (name) WHERE comment IS NULL;
CREATE UNIQUE INDEX artist_idx_uniq_name_comment ON musicbrainz.artist (name, comment) WHERE comment IS NOT NULL;
CREATE TABLE musicbrainz.artist_credit (
    id serial PRIMARY KEY,
    name varchar NOT NULL,
    artist_count smallint NOT NULL,
    ref_count integer DEFAULT 0,
    created timestamptz DEFAULT now(),
    edits_pending integer NOT NULL DEFAULT 0,
    gid musicbrainz.mbid
);
CREATE TABLE musicbrainz.artist_credit_name (
    artist_credit integer NOT NULL REFERENCES musicbrainz.artist_credit ON DELETE CASCADE,
    position smallint NOT NULL,
    artist integer NOT NULL REFERENCES musicbrainz.artist ON DELETE CASCADE,
    name varchar NOT NULL,
    join_phrase text NOT NULL DEFAULT '',
    PRIMARY KEY (artist_credit, position)
);
CREATE INDEX artist_credit_name_idx_artist ON musicbrainz.artist_credit_name (artist);
CREATE TABLE musicbrainz.release_group (
    id serial PRIMARY KEY,
    gid musicbrainz.mbid,
    name varchar NOT NULL,
    artist_credit integer NOT NULL REFERENCES musicbrainz.artist_credit,
    type integer,
    comment varchar(255) NOT NULL DEFAULT '',
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    last_updated timestamptz DEFAULT now()
);
CREATE UNIQUE INDEX release_group_idx_gid ON musicbrainz.release_group (gid);
CREATE INDEX release_group_idx_name ON musicbrainz.release_group (name);
CREATE TABLE musicbrainz.release (
    id serial PRIMARY KEY,
    gid musicbrainz.mbid,
    name varchar NOT NULL,
    artist_credit integer NOT NULL REFERENCES musicbrainz.artist_credit,
    release_group integer NOT NULL REFERENCES musicbrainz.release_group,
    status integer,
    packaging integer,
    language integer REFERENCES musicbrainz.language,
    barcode varchar(255),
    comment varchar(255) NOT NULL DEFAULT '',
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    quality smallint NOT NULL DEFAULT -1,
    last_updated timestamptz DEFAULT now()
);
CREATE UNIQUE INDEX release_idx_gid ON musicbrainz.release (gid);
CREATE INDEX release_idx_release_group ON musicbrainz.release (release_group);
CREATE TABLE musicbrainz.medium (
    id serial PRIMARY KEY,
    release integer NOT NULL REFERENCES musicbrainz.release,
    position integer NOT NULL,
    format integer,
    name varchar NOT NULL DEFAULT '',
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    last_updated timestamptz DEFAULT now(),
    track_count integer NOT NULL DEFAULT 0,
    UNIQUE (release, position) DEFERRABLE
);
CREATE TABLE musicbrainz.recording (
    id serial PRIMARY KEY,
    gid musicbrainz.mbid,
    name varchar NOT NULL,
    artist_credit integer NOT NULL REFERENCES musicbrainz.artist_credit,
    length integer CHECK (length IS NULL OR length > 0),
    comment varchar(255) NOT NULL DEFAULT '',
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    last_updated timestamptz DEFAULT now(),
    video boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX recording_idx_gid ON musicbrainz.recording (gid);
CREATE INDEX recording_idx_name ON musicbrainz.recording (name);
CREATE TABLE musicbrainz.track (
    id serial PRIMARY KEY,
    gid musicbrainz.mbid,
    recording integer NOT NULL REFERENCES musicbrainz.recording,
    medium integer NOT NULL REFERENCES musicbrainz.medium,
    position integer NOT NULL,
    number text NOT NULL,
    name varchar NOT NULL,
    artist_credit integer NOT NULL REFERENCES musicbrainz.artist_credit,
    length integer CHECK (length IS NULL OR length > 0),
    edits_pending integer NOT NULL DEFAULT 0 CHECK (edits_pending >= 0),
    last_updated timestamptz DEFAULT now(),
    is_data_track boolean NOT NULL DEFAULT false
);
CREATE INDEX track_idx_recording ON musicbrainz.track (recording);
CREATE INDEX track_idx_medium_position ON musicbrainz.track (medium, position);
CREATE TABLE musicbrainz.editor (
    id serial PRIMARY KEY,
    name varchar(64) NOT NULL,
    privs integer DEFAULT 0,
    email varchar(64),
    member_since timestamptz DEFAULT now(),
    last_login_date timestamptz DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX editor_idx_name ON musicbrainz.editor (lower(name::text));
CREATE TABLE musicbrainz.editor_language (
    editor integer NOT NULL REFERENCES musicbrainz.editor,
    language integer NOT NULL REFERENCES musicbrainz.language,
    fluency musicbrainz.fluency NOT NULL,
    PRIMARY KEY (editor, language)
);
CREATE TABLE musicbrainz.edit (
    id serial PRIMARY KEY,
    editor integer NOT NULL REFERENCES musicbrainz.editor,
    type smallint NOT NULL,
    status musicbrainz.edit_status NOT NULL DEFAULT 'open',
    autoedit smallint NOT NULL DEFAULT 0,
    open_time timestamptz DEFAULT now(),
    close_time timestamptz,
    expire_time timestamptz NOT NULL,
    language integer REFERENCES musicbrainz.language,
    quality smallint NOT NULL DEFAULT 1,
    external_gid bigint NOT NULL DEFAULT nextval('musicbrainz.entity_gid_seq')
);
CREATE INDEX edit_idx_open_edits_open_time ON musicbrainz.edit (open_time) WHERE status = 'open';
CREATE INDEX edit_idx_editor_open_time ON musicbrainz.edit (editor, open_time);
CREATE TABLE musicbrainz.edit_note (
    id serial PRIMARY KEY,
    editor integer NOT NULL REFERENCES musicbrainz.editor,
    edit integer NOT NULL REFERENCES musicbrainz.edit,
    text text NOT NULL,
    post_time timestamptz DEFAULT now(),
    external_gid bigint NOT NULL DEFAULT nextval('musicbrainz.entity_gid_seq')
);
CREATE TABLE musicbrainz.deleted_entity (
    gid uuid PRIMARY KEY,
    data jsonb NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION musicbrainz.a_ins_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM musicbrainz.inc_ref_count('artist_credit', NEW.artist_credit, 1);
    UPDATE musicbrainz.medium SET track_count = track_count + 1 WHERE id = NEW.medium;
    RETURN NULL;
END;
$$;
CREATE FUNCTION musicbrainz.a_del_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM musicbrainz.inc_ref_count('artist_credit', OLD.artist_credit, -1);
    UPDATE musicbrainz.medium SET track_count = track_count - 1 WHERE id = OLD.medium;
    RETURN NULL;
END;
$$;
CREATE FUNCTION musicbrainz.deny_special_purpose_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Attempted to delete a special purpose row';
END;
$$;

CREATE TRIGGER b_upd_area BEFORE UPDATE ON musicbrainz.area FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER b_upd_artist BEFORE UPDATE ON musicbrainz.artist FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER b_upd_release_group BEFORE UPDATE ON musicbrainz.release_group FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER b_upd_release BEFORE UPDATE ON musicbrainz.release FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER b_upd_medium BEFORE UPDATE ON musicbrainz.medium FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER b_upd_recording BEFORE UPDATE ON musicbrainz.recording FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER b_upd_track BEFORE UPDATE ON musicbrainz.track FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
CREATE TRIGGER a_ins_track AFTER INSERT ON musicbrainz.track FOR EACH ROW EXECUTE FUNCTION musicbrainz.a_ins_track();
CREATE TRIGGER a_del_track AFTER DELETE ON musicbrainz.track FOR EACH ROW EXECUTE FUNCTION musicbrainz.a_del_track();
CREATE TRIGGER deny_special_purpose_deletion BEFORE DELETE ON musicbrainz.artist FOR EACH ROW
    WHEN (OLD.id IN (1, 2)) EXECUTE FUNCTION musicbrainz.deny_special_purpose_deletion();
CREATE CONSTRAINT TRIGGER medium_track_count AFTER INSERT OR UPDATE ON musicbrainz.medium
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION musicbrainz.b_upd_last_updated_table();
ALTER TABLE musicbrainz.track DISABLE TRIGGER a_del_track;

CREATE RULE keep_deleted AS ON DELETE TO musicbrainz.deleted_entity DO INSTEAD NOTHING;
CREATE STATISTICS musicbrainz.track_medium_stats (dependencies) ON medium, position FROM musicbrainz.track;

CREATE VIEW musicbrainz.release_event AS
    SELECT r.id AS release, r.name, rg.name AS release_group, ac.name AS artist_credit
    FROM musicbrainz.release r
    JOIN musicbrainz.release_group rg ON rg.id = r.release_group
    JOIN musicbrainz.artist_credit ac ON ac.id = r.artist_credit;
CREATE VIEW musicbrainz.medium_tracks AS
    SELECT m.id AS medium, count(t.id) AS tracks, sum(t.length) AS length, musicbrainz.padded(m.position) AS padded_position
    FROM musicbrainz.medium m LEFT JOIN musicbrainz.track t ON t.medium = m.id
    GROUP BY m.id;

COMMENT ON TABLE musicbrainz.artist IS 'people, groups and characters credited on releases';
COMMENT ON COLUMN musicbrainz.artist.sort_name IS 'compared ignoring case and accents';
COMMENT ON TRIGGER a_del_track ON musicbrainz.track IS 'off during bulk imports';
RESET search_path;
