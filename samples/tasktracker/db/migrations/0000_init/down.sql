-- strata:data-loss drops table public.comments and all its rows
-- strata:data-loss drops table public.projects and all its rows
-- strata:data-loss drops table public.sessions and all its rows
-- strata:data-loss drops table public.tasks and all its rows
-- strata:data-loss drops table public.users and all its rows

DROP VIEW "public"."project_task_counts";
--> statement-breakpoint
ALTER TABLE "public"."comments" DROP CONSTRAINT "comments_author_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."comments" DROP CONSTRAINT "comments_task_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."projects" DROP CONSTRAINT "projects_owner_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."sessions" DROP CONSTRAINT "sessions_user_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."tasks" DROP CONSTRAINT "tasks_assignee_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."tasks" DROP CONSTRAINT "tasks_project_id_fkey";
--> statement-breakpoint
-- data loss: drops table public.comments and all its rows
DROP TABLE "public"."comments";
--> statement-breakpoint
-- data loss: drops table public.projects and all its rows
DROP TABLE "public"."projects";
--> statement-breakpoint
-- data loss: drops table public.sessions and all its rows
DROP TABLE "public"."sessions";
--> statement-breakpoint
-- data loss: drops table public.tasks and all its rows
DROP TABLE "public"."tasks";
--> statement-breakpoint
-- data loss: drops table public.users and all its rows
DROP TABLE "public"."users";
--> statement-breakpoint
DROP TYPE "public"."task_status";
