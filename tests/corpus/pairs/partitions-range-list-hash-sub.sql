-- Partitioned tables of each strategy appear: RANGE with a default partition and a partition of its own that is
-- itself partitioned (LIST), HASH over an expression with an operator class, LIST over a column with a collation;
-- a primary key and an index on a parent (PostgreSQL clones them onto every partition), an index and a check of one
-- partition's own, a comment on a partition, foreign keys to and from a partitioned table.
CREATE TABLE regions (code text PRIMARY KEY);
-- b
CREATE TABLE regions (code text PRIMARY KEY);
CREATE TABLE orders (id bigint NOT NULL, placed date NOT NULL, region text NOT NULL REFERENCES regions, total numeric,
    PRIMARY KEY (id, placed, region)) PARTITION BY RANGE (placed);
CREATE INDEX orders_region ON orders (region);
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region);
CREATE TABLE orders_2025_eu PARTITION OF orders_2025 FOR VALUES IN ('de', 'fr');
CREATE TABLE orders_2025_rest PARTITION OF orders_2025 DEFAULT;
CREATE TABLE orders_2026 PARTITION OF orders (CONSTRAINT orders_2026_total_positive CHECK (total > 0)) FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX orders_2026_total ON orders_2026 (total);
COMMENT ON TABLE orders_2026 IS 'this year''s orders';
CREATE TABLE orders_old PARTITION OF orders DEFAULT;
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL, placed date NOT NULL, region text NOT NULL,
    FOREIGN KEY (order_id, placed, region) REFERENCES orders (id, placed, region));
CREATE TABLE sessions (token text NOT NULL, started timestamptz NOT NULL) PARTITION BY HASH (lower(token) text_pattern_ops);
CREATE TABLE sessions_0 PARTITION OF sessions FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE sessions_1 PARTITION OF sessions FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE labels (name text NOT NULL) PARTITION BY LIST (name COLLATE "C");
CREATE TABLE labels_ab PARTITION OF labels FOR VALUES IN ('a', 'b');
