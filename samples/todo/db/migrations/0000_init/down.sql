-- strata:data-loss drops table public.items and all its rows
-- strata:data-loss drops table public.lists and all its rows
-- strata:data-loss drops table public.users and all its rows

DROP VIEW "public"."open_items";
--> statement-breakpoint
ALTER TABLE "public"."items" DROP CONSTRAINT "items_list_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."lists" DROP CONSTRAINT "lists_owner_id_fkey";
--> statement-breakpoint
-- data loss: drops table public.items and all its rows
DROP TABLE "public"."items";
--> statement-breakpoint
-- data loss: drops table public.lists and all its rows
DROP TABLE "public"."lists";
--> statement-breakpoint
-- data loss: drops table public.users and all its rows
DROP TABLE "public"."users";
--> statement-breakpoint
DROP TYPE "public"."priority";
