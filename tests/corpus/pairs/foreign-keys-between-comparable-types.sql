-- PostgreSQL accepts a foreign key between comparable types (smallint to integer, varchar to text), a check
-- that reads no column, and a table without columns.
CREATE TABLE regions (id integer PRIMARY KEY, code text UNIQUE);
-- b
CREATE TABLE regions (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE stores (id integer PRIMARY KEY, region_id smallint REFERENCES regions, region_code varchar(10) REFERENCES regions (code),
    CONSTRAINT always CHECK (true));
CREATE TABLE marker ();
