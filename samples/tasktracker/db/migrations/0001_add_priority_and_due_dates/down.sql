-- strata:data-loss drops column public.tasks.priority and its values
-- strata:data-loss drops column public.tasks.due_on and its values

DROP VIEW "public"."project_task_counts";
--> statement-breakpoint
DROP INDEX "public"."tasks_open_due_idx";
--> statement-breakpoint
-- data loss: drops column public.tasks.priority and its values
ALTER TABLE "public"."tasks" DROP COLUMN "priority";
--> statement-breakpoint
-- data loss: drops column public.tasks.due_on and its values
ALTER TABLE "public"."tasks" DROP COLUMN "due_on";
--> statement-breakpoint
DROP TYPE "public"."task_priority";
--> statement-breakpoint
CREATE VIEW "public"."project_task_counts" AS
SELECT p.id AS project_id, p.key, count(t.id) FILTER (WHERE t.status <> 'done') AS open_tasks, count(t.id) AS all_tasks
FROM projects p LEFT JOIN tasks t ON t.project_id = p.id
GROUP BY p.id, p.key;
--> statement-breakpoint
COMMENT ON VIEW "public"."project_task_counts" IS 'Open and all tasks per project.';
