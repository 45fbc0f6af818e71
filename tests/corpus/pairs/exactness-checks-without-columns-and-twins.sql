-- A check that references no column, and two unnamed checks with the same expression (PostgreSQL names them
-- t_check and t_check1).
CREATE TABLE flags (id integer, CHECK (1 > 0));
-- b
CREATE TABLE flags (id integer, CHECK (1 > 0), CHECK (id > 0), CHECK (id > 0));
CREATE TABLE toggles (on_off boolean CHECK (on_off IS NOT NULL), CHECK (current_setting('TimeZone') <> ''));
