-- Aggregates as modelled objects: one over a function that is re-created (its argument renamed, which CREATE OR REPLACE
-- cannot do), so the aggregate and the view that uses it are dropped and created again around it; one replaced in
-- place (CREATE OR REPLACE AGGREGATE) under a view that stays, with its comment changed; one whose state type changes
-- (dropped and created again); one dropped; new ones without arguments, ordered-set, parallel with a combine function,
-- and in another schema. A grant on the re-created one is granted again.
DO $$ BEGIN CREATE ROLE strata_aggregate_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE readings (id integer PRIMARY KEY, value double precision);
CREATE FUNCTION product_step(state double precision, value double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$ SELECT state * value $$;
CREATE AGGREGATE product(double precision) (SFUNC = product_step, STYPE = double precision, INITCOND = '1');
CREATE VIEW reading_product AS SELECT product(value) AS p FROM readings;
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
COMMENT ON AGGREGATE total(integer) IS 'sum from zero';
CREATE VIEW reading_total AS SELECT total(id) AS t FROM readings;
CREATE AGGREGATE widened(integer) (SFUNC = int4pl, STYPE = integer);
GRANT EXECUTE ON FUNCTION widened(integer) TO strata_aggregate_reader;
CREATE AGGREGATE to_drop(integer) (SFUNC = int4pl, STYPE = integer);
-- b
DO $$ BEGIN CREATE ROLE strata_aggregate_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA stats;
CREATE TABLE readings (id integer PRIMARY KEY, value double precision);
CREATE FUNCTION product_step(acc double precision, value double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$ SELECT acc * value $$;
CREATE AGGREGATE product(double precision) (SFUNC = product_step, STYPE = double precision, INITCOND = '1');
CREATE VIEW reading_product AS SELECT product(value) AS p FROM readings;
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '10');
COMMENT ON AGGREGATE total(integer) IS 'sum from ten';
CREATE VIEW reading_total AS SELECT total(id) AS t FROM readings;
CREATE AGGREGATE widened(integer) (SFUNC = int4_sum, STYPE = bigint);
GRANT EXECUTE ON FUNCTION widened(integer) TO strata_aggregate_reader;
CREATE AGGREGATE row_total(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE my_percentile_disc(double precision ORDER BY anyelement) (SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
GRANT EXECUTE ON FUNCTION my_percentile_disc(double precision, anyelement) TO strata_aggregate_reader;
CREATE AGGREGATE par_sum(integer) (SFUNC = int4_sum, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE);
CREATE AGGREGATE stats.product(double precision) (SFUNC = float8mul, STYPE = double precision, INITCOND = '1');
