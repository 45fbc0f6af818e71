-- Partitions change: one is added, one dropped, one gets a new bound (dropped and created again: its rows are lost,
-- as push and generate say), the parent gains a column (its partitions with it), a plain table becomes partitioned and a partitioned one's key changes (both re-created).
CREATE TABLE readings (sensor integer NOT NULL, taken date NOT NULL, value real) PARTITION BY RANGE (taken);
CREATE INDEX readings_sensor ON readings (sensor);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_later PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE logs (id bigint NOT NULL, kind text NOT NULL);
CREATE TABLE metrics (id bigint NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE metrics_cpu PARTITION OF metrics FOR VALUES IN ('cpu');
-- b
CREATE TABLE readings (sensor integer NOT NULL, taken date NOT NULL, value real, unit text) PARTITION BY RANGE (taken);
CREATE INDEX readings_sensor ON readings (sensor);
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_later PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2028-01-01');
CREATE TABLE readings_other PARTITION OF readings DEFAULT;
CREATE TABLE logs (id bigint NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE logs_audit PARTITION OF logs FOR VALUES IN ('audit');
CREATE TABLE metrics (id bigint NOT NULL, kind text NOT NULL) PARTITION BY HASH (id);
CREATE TABLE metrics_0 PARTITION OF metrics FOR VALUES WITH (MODULUS 1, REMAINDER 0);
