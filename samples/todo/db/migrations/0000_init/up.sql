CREATE TYPE "public"."priority" AS ENUM ('low', 'normal', 'high');
--> statement-breakpoint
CREATE TABLE "public"."items" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "list_id" uuid NOT NULL,
    "title" text NOT NULL,
    "priority" "public"."priority" DEFAULT 'normal' NOT NULL,
    "due_on" date,
    "done_at" timestamp with time zone,
    CONSTRAINT "items_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE TABLE "public"."lists" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "owner_id" bigint NOT NULL,
    "title" varchar(200) NOT NULL,
    "archived" boolean DEFAULT false NOT NULL,
    CONSTRAINT "lists_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "lists_owner_id_title_key" UNIQUE ("owner_id", "title"),
    CONSTRAINT "lists_title_check" CHECK (length(title) > 0)
);
--> statement-breakpoint
CREATE TABLE "public"."users" (
    "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    "email" varchar(320) NOT NULL,
    "display_name" text NOT NULL,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_email_key" UNIQUE ("email")
);
--> statement-breakpoint
CREATE INDEX "items_list_id_due_on_idx" ON "public"."items" USING btree ("list_id", "due_on");
--> statement-breakpoint
CREATE INDEX "items_open_due_idx" ON "public"."items" USING btree ("due_on") WHERE done_at IS NULL;
--> statement-breakpoint
CREATE INDEX "users_email_lower_idx" ON "public"."users" USING btree ((lower(email)));
--> statement-breakpoint
ALTER TABLE "public"."items" ADD CONSTRAINT "items_list_id_fkey" FOREIGN KEY ("list_id") REFERENCES "public"."lists" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."lists" ADD CONSTRAINT "lists_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE;
--> statement-breakpoint
CREATE VIEW "public"."open_items" AS
SELECT i.id, i.list_id, i.title, i.priority, i.due_on FROM items i WHERE i.done_at IS NULL;
--> statement-breakpoint
COMMENT ON COLUMN "public"."items"."done_at" IS 'When the item was ticked off; null while it is open.';
--> statement-breakpoint
COMMENT ON TABLE "public"."users" IS 'People who sign in.';
--> statement-breakpoint
COMMENT ON VIEW "public"."open_items" IS 'Items not done yet.';
