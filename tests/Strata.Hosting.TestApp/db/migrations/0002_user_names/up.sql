ALTER TABLE app.users ADD COLUMN name text;
