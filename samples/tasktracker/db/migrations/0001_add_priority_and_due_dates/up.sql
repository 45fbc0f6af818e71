CREATE TYPE "public"."task_priority" AS ENUM ('low', 'normal', 'high', 'urgent');
--> statement-breakpoint
ALTER TABLE "public"."tasks" ADD COLUMN "priority" "public"."task_priority" DEFAULT 'normal' NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."tasks" ADD COLUMN "due_on" date;
--> statement-breakpoint
CREATE INDEX "tasks_open_due_idx" ON "public"."tasks" USING btree ("due_on") WHERE status <> 'done' AND due_on IS NOT NULL;
