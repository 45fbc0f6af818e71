-- strata:data-loss column app.users.name: its values are dropped
ALTER TABLE app.users DROP COLUMN name;
