-- Storage parameters of tables (a TOAST table's too) and of indexes with an operator class, a predicate, an
-- expression; a partition's own; all changed, added and removed in place. The model keeps them by name (PostgreSQL keeps
-- them in the order given, which pg_dump shows): written here in that order.
CREATE TABLE items (id integer PRIMARY KEY, owner text, note text) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE INDEX items_owner ON items (owner text_pattern_ops) WITH (deduplicate_items = off) WHERE owner IS NOT NULL;
CREATE INDEX items_note ON items USING gin (to_tsvector('simple', note)) WITH (fastupdate = off);
CREATE INDEX items_id_brin ON items USING brin (id);
CREATE TABLE plain (id integer);
CREATE TABLE events (at date NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') WITH (fillfactor = 90);
-- b
CREATE TABLE items (id integer PRIMARY KEY, owner text, note text) WITH (fillfactor = 50, toast.autovacuum_enabled = false);
CREATE INDEX items_owner ON items (owner text_pattern_ops) WHERE owner IS NOT NULL;
CREATE INDEX items_note ON items USING gin (to_tsvector('simple', note)) WITH (fastupdate = on, gin_pending_list_limit = 128);
CREATE INDEX items_id_brin ON items USING brin (id) WITH (autosummarize = on, pages_per_range = 32);
CREATE TABLE plain (id integer) WITH (autovacuum_vacuum_scale_factor = 0.05, toast_tuple_target = 256);
CREATE TABLE events (at date NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') WITH (fillfactor = 80);
