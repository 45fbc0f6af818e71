-- Overloads are separate objects; a procedure, a SETOF and a TABLE function, defaults and OUT arguments.
CREATE SCHEMA reports;
CREATE FUNCTION reports.label(value integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'n' || value $$;
CREATE TABLE reports.runs (id integer PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
-- b
CREATE SCHEMA reports;
CREATE FUNCTION reports.label(value integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'n' || value $$;
CREATE FUNCTION reports.label(value text, prefix text DEFAULT 's') RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT prefix || value $$;
CREATE TABLE reports.runs (id integer PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION reports.recent(since timestamptz) RETURNS SETOF reports.runs LANGUAGE sql STABLE ROWS 50 AS $$
    SELECT * FROM reports.runs WHERE at >= since
$$;
CREATE FUNCTION reports.summary(OUT total bigint, OUT latest timestamptz) LANGUAGE sql STABLE AS $$
    SELECT count(*), max(at) FROM reports.runs
$$;
CREATE FUNCTION reports.by_day() RETURNS TABLE(day date, runs bigint) LANGUAGE sql STABLE AS $$
    SELECT at::date, count(*) FROM reports.runs GROUP BY 1
$$;
CREATE PROCEDURE reports.purge(before timestamptz, INOUT removed integer DEFAULT 0) LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reports.runs WHERE at < before;
    GET DIAGNOSTICS removed = ROW_COUNT;
END
$$;
