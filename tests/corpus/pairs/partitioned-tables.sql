-- pending: partitioned tables are pulled as plain tables and their partitions left out (issue 15)
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- b
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_other PARTITION OF events DEFAULT;
CREATE INDEX events_kind ON events (kind);
CREATE TABLE tenants_data (tenant integer NOT NULL, payload jsonb) PARTITION BY HASH (tenant);
CREATE TABLE tenants_data_0 PARTITION OF tenants_data FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE tenants_data_1 PARTITION OF tenants_data FOR VALUES WITH (MODULUS 2, REMAINDER 1);
