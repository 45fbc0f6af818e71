CREATE TYPE "public"."task_status" AS ENUM ('todo', 'in_progress', 'done');
--> statement-breakpoint
CREATE TABLE "public"."comments" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "task_id" bigint NOT NULL,
    "author_id" bigint NOT NULL,
    "body" text NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT "comments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "comments_body_check" CHECK (length(body) > 0)
);
--> statement-breakpoint
CREATE TABLE "public"."projects" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "key" varchar(10) NOT NULL,
    "name" text NOT NULL,
    "owner_id" bigint NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "archived_at" timestamp with time zone,
    CONSTRAINT "projects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "projects_key_key" UNIQUE ("key"),
    CONSTRAINT "projects_key_check" CHECK (key ~ '^[A-Z][A-Z0-9]*$')
);
--> statement-breakpoint
CREATE TABLE "public"."sessions" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "user_id" bigint NOT NULL,
    "token_hash" bytea NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "expires_at" timestamp with time zone NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sessions_token_hash_key" UNIQUE ("token_hash"),
    CONSTRAINT "sessions_expiry_check" CHECK (expires_at > created_at)
);
--> statement-breakpoint
CREATE TABLE "public"."tasks" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "project_id" bigint NOT NULL,
    "title" text NOT NULL,
    "description" text,
    "status" "public"."task_status" DEFAULT 'todo' NOT NULL,
    "assignee_id" bigint,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "completed_at" timestamp with time zone,
    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tasks_completed_check" CHECK ((status = 'done') = (completed_at IS NOT NULL)),
    CONSTRAINT "tasks_title_check" CHECK (length(title) BETWEEN 1 AND 200)
);
--> statement-breakpoint
CREATE TABLE "public"."users" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "email" varchar(320) NOT NULL,
    "display_name" text NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_email_check" CHECK (position('@' in email) > 1)
);
--> statement-breakpoint
CREATE INDEX "comments_task_id_created_at_idx" ON "public"."comments" USING btree ("task_id", "created_at");
--> statement-breakpoint
CREATE INDEX "projects_owner_id_idx" ON "public"."projects" USING btree ("owner_id");
--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "public"."sessions" USING btree ("user_id");
--> statement-breakpoint
CREATE INDEX "tasks_open_assignee_idx" ON "public"."tasks" USING btree ("assignee_id") WHERE status <> 'done';
--> statement-breakpoint
CREATE INDEX "tasks_project_id_status_idx" ON "public"."tasks" USING btree ("project_id", "status");
--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "public"."users" USING btree ((lower(email)));
--> statement-breakpoint
ALTER TABLE "public"."comments" ADD CONSTRAINT "comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."comments" ADD CONSTRAINT "comments_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "public"."tasks" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."projects" ADD CONSTRAINT "projects_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "public"."users" ("id") ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE "public"."sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."tasks" ADD CONSTRAINT "tasks_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "public"."users" ("id") ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE "public"."tasks" ADD CONSTRAINT "tasks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "public"."projects" ("id") ON DELETE CASCADE;
--> statement-breakpoint
CREATE VIEW "public"."project_task_counts" AS
SELECT p.id AS project_id, p.key, count(t.id) FILTER (WHERE t.status <> 'done') AS open_tasks, count(t.id) AS all_tasks
FROM projects p LEFT JOIN tasks t ON t.project_id = p.id
GROUP BY p.id, p.key;
--> statement-breakpoint
COMMENT ON TABLE "public"."sessions" IS 'Sign-in sessions; the cookie carries the token, the database only its hash.';
--> statement-breakpoint
COMMENT ON TABLE "public"."users" IS 'People who sign in.';
--> statement-breakpoint
COMMENT ON VIEW "public"."project_task_counts" IS 'Open and all tasks per project.';
