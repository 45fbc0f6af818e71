-- A function's body, volatility and settings change: CREATE OR REPLACE keeps it, and the view that calls it.
CREATE FUNCTION price_with_tax(amount numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT amount * 1.2 $$;
CREATE TABLE items (id integer PRIMARY KEY, price numeric NOT NULL);
CREATE VIEW priced_items AS SELECT id, price_with_tax(price) AS gross FROM items;
-- b
CREATE FUNCTION price_with_tax(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog AS $$ SELECT round(amount * 1.25, 2) $$;
CREATE TABLE items (id integer PRIMARY KEY, price numeric NOT NULL);
CREATE VIEW priced_items AS SELECT id, price_with_tax(price) AS gross FROM items;
