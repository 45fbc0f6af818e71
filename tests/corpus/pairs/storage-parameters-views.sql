-- View options and a materialized view's storage parameters changed in place (ALTER VIEW … SET / RESET), with a view
-- that reads the changed one kept as it is, and a materialized view's index's storage parameters.
CREATE TABLE orders (id integer PRIMARY KEY, customer text, total numeric);
CREATE VIEW own_orders WITH (security_barrier = true) AS SELECT id, customer, total FROM orders WHERE customer = current_user;
CREATE VIEW big_own_orders AS SELECT id, total FROM own_orders WHERE total > 100;
CREATE VIEW checked_orders AS SELECT id, customer FROM orders WHERE id > 0 WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW order_totals WITH (fillfactor = 50) AS SELECT customer, sum(total) AS total FROM orders GROUP BY customer;
CREATE UNIQUE INDEX order_totals_customer ON order_totals (customer) WITH (fillfactor = 60);
-- b
CREATE TABLE orders (id integer PRIMARY KEY, customer text, total numeric);
CREATE VIEW own_orders WITH (security_invoker = true) AS SELECT id, customer, total FROM orders WHERE customer = current_user;
CREATE VIEW big_own_orders AS SELECT id, total FROM own_orders WHERE total > 100;
CREATE VIEW checked_orders AS SELECT id, customer FROM orders WHERE id > 0 WITH CASCADED CHECK OPTION;
CREATE MATERIALIZED VIEW order_totals AS SELECT customer, sum(total) AS total FROM orders GROUP BY customer;
CREATE UNIQUE INDEX order_totals_customer ON order_totals (customer) WITH (fillfactor = 80);
