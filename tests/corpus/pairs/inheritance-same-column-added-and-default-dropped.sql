-- A parent, its child and its grandchild add the same column in one change (the child's ADD runs before its parent's,
-- which merges into it), and a child that declares a parent's column again has no default of its own although the
-- parent has one (ALTER TABLE ONLY … DROP DEFAULT: built again, the child must not take the parent's). The children
-- have no columns of their own after the added one, which ADD COLUMN would put behind them.
CREATE TABLE events (id integer NOT NULL, kind text DEFAULT 'click');
CREATE TABLE clicks (kind text) INHERITS (events);
ALTER TABLE ONLY clicks ALTER COLUMN kind DROP DEFAULT;
CREATE TABLE double_clicks () INHERITS (clicks);
-- b
CREATE TABLE events (id integer NOT NULL, kind text DEFAULT 'click', score integer NOT NULL DEFAULT 0);
CREATE TABLE clicks (kind text, score integer) INHERITS (events);
ALTER TABLE ONLY clicks ALTER COLUMN kind DROP DEFAULT;
CREATE TABLE double_clicks (score integer) INHERITS (clicks);
