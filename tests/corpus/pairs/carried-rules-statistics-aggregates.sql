-- Objects pull carries verbatim (rules, extended statistics) beside an aggregate over a built-in function, which is
-- modelled; the pushed side keeps what it had, so A is B here.
CREATE TABLE readings (id integer PRIMARY KEY, sensor integer, value double precision);
CREATE TABLE readings_log (id integer);
CREATE RULE log_readings AS ON INSERT TO readings DO ALSO INSERT INTO readings_log VALUES (NEW.id);
CREATE STATISTICS readings_stats (ndistinct) ON sensor, value FROM readings;
CREATE AGGREGATE product(double precision) (SFUNC = float8mul, STYPE = double precision, INITCOND = '1');
-- b
CREATE TABLE readings (id integer PRIMARY KEY, sensor integer, value double precision);
CREATE TABLE readings_log (id integer);
CREATE RULE log_readings AS ON INSERT TO readings DO ALSO INSERT INTO readings_log VALUES (NEW.id);
CREATE STATISTICS readings_stats (ndistinct) ON sensor, value FROM readings;
CREATE AGGREGATE product(double precision) (SFUNC = float8mul, STYPE = double precision, INITCOND = '1');
