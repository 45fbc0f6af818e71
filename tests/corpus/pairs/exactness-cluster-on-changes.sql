-- CLUSTER ON moved by a diff: the clustered index renamed (keeps its mark), changed (built again: marked again),
-- moved to a primary key, removed, set on a materialized view; schema comments changed (with a quote), removed, and
-- public's set.
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices';
CREATE SCHEMA archive;
COMMENT ON SCHEMA archive IS 'Old rows';
CREATE TABLE billing.invoices (id integer PRIMARY KEY, issued date, customer integer, total numeric);
CREATE INDEX invoices_issued ON billing.invoices (issued);
CREATE INDEX invoices_customer ON billing.invoices (customer);
ALTER TABLE billing.invoices CLUSTER ON invoices_issued;
CREATE TABLE billing.payments (id integer PRIMARY KEY, paid date);
CREATE INDEX payments_paid ON billing.payments (paid);
ALTER TABLE billing.payments CLUSTER ON payments_paid;
CREATE TABLE billing.refunds (id integer PRIMARY KEY, refunded date);
CREATE INDEX refunds_refunded ON billing.refunds (refunded);
ALTER TABLE billing.refunds CLUSTER ON refunds_refunded;
CREATE TABLE billing.notes (id integer CONSTRAINT notes_pk PRIMARY KEY, body text, CONSTRAINT notes_body_key UNIQUE (body));
ALTER TABLE billing.notes CLUSTER ON notes_body_key;
CREATE MATERIALIZED VIEW billing.totals AS SELECT customer, sum(total) AS total FROM billing.invoices GROUP BY customer;
CREATE UNIQUE INDEX totals_customer ON billing.totals (customer);
-- b
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices and the customer''s payments';
CREATE SCHEMA archive;
COMMENT ON SCHEMA public IS 'Shared tables';
CREATE TABLE billing.invoices (id integer PRIMARY KEY, issued date, customer integer, total numeric);
CREATE INDEX invoices_by_issue ON billing.invoices (issued);
CREATE INDEX invoices_customer ON billing.invoices (customer);
ALTER TABLE billing.invoices CLUSTER ON invoices_by_issue;
CREATE TABLE billing.payments (id integer PRIMARY KEY, paid date);
CREATE INDEX payments_paid ON billing.payments (paid DESC);
ALTER TABLE billing.payments CLUSTER ON payments_paid;
CREATE TABLE billing.refunds (id integer PRIMARY KEY, refunded date);
CREATE INDEX refunds_refunded ON billing.refunds (refunded);
ALTER TABLE billing.refunds CLUSTER ON refunds_pkey;
CREATE TABLE billing.notes (id integer CONSTRAINT notes_pk PRIMARY KEY, body text, CONSTRAINT notes_body_key UNIQUE (body));
CREATE MATERIALIZED VIEW billing.totals AS SELECT customer, sum(total) AS total FROM billing.invoices GROUP BY customer;
CREATE UNIQUE INDEX totals_customer ON billing.totals (customer);
ALTER MATERIALIZED VIEW billing.totals CLUSTER ON totals_customer;
