-- ALTER TABLE … CLUSTER ON an index, and COMMENT ON SCHEMA.
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id integer PRIMARY KEY, issued date);
CREATE INDEX invoices_issued ON billing.invoices (issued);
-- b
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices and payments.';
CREATE TABLE billing.invoices (id integer PRIMARY KEY, issued date);
CREATE INDEX invoices_issued ON billing.invoices (issued);
ALTER TABLE billing.invoices CLUSTER ON invoices_issued;
