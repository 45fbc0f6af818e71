-- strata:data-loss
ALTER TABLE app.users DROP COLUMN name;
