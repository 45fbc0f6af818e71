CREATE TABLE app.posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app.users (id),
    title text NOT NULL
);
--> statement-breakpoint
CREATE INDEX posts_user_id_idx ON app.posts (user_id);
