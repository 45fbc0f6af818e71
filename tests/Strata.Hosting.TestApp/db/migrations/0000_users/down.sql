DROP TABLE app.users;
--> statement-breakpoint
DROP SCHEMA app;
