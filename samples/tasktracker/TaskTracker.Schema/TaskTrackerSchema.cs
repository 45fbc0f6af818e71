using Strata.Dsl;
using Strata.Model;

namespace TaskTracker.Schema;

/// <summary>
/// The task tracker's database: users and their sign-in sessions, projects, the tasks in them and the
/// comments on those tasks. `strata generate` turns changes to this class into SQL migrations.
/// </summary>
public sealed class TaskTrackerSchema : ISchemaDefinition
{
    public void Define(SchemaBuilder db)
    {
        var status = db.Enum("task_status", "todo", "in_progress", "done");
        var priority = db.Enum("task_priority", "low", "normal", "high", "urgent");

        db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Varchar(320)).NotNull().Check("position('@' in email) > 1");
            t.Column("display_name", Types.Text).NotNull();
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            // Sign-in compares e-mail addresses without regard to case, so they must be unique that way too.
            t.Index(IndexKey.Expression("lower(email)")).Named("users_email_lower_key").Unique();
            t.Comment("People who sign in.");
        });

        db.Table("sessions", t =>
        {
            t.Column("id", Types.Uuid).PrimaryKey().DefaultSql("gen_random_uuid()");
            t.Column("user_id", Types.BigInt).NotNull().References("users", "id", onDelete: ReferentialAction.Cascade);
            t.Column("token_hash", Types.Bytea).NotNull().Unique();
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Column("expires_at", Types.TimestampTz()).NotNull();
            t.Check("sessions_expiry_check", "expires_at > created_at");
            t.Index("user_id");
            t.Comment("Sign-in sessions; the cookie carries the token, the database only its hash.");
        });

        db.Table("projects", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("key", Types.Varchar(10)).NotNull().Unique().Check("key ~ '^[A-Z][A-Z0-9]*$'");
            t.Column("name", Types.Text).NotNull();
            // A user who owns projects cannot be deleted until the projects are handed over.
            t.Column("owner_id", Types.BigInt).NotNull().References("users", "id", onDelete: ReferentialAction.Restrict);
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Column("archived_at", Types.TimestampTz());
            t.Index("owner_id");
        });

        db.Table("tasks", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("project_id", Types.BigInt).NotNull().References("projects", "id", onDelete: ReferentialAction.Cascade);
            t.Column("title", Types.Text).NotNull().Check("length(title) BETWEEN 1 AND 200");
            t.Column("description", Types.Text);
            t.Column("status", status).NotNull().Default("todo");
            t.Column("priority", priority).NotNull().Default("normal");
            t.Column("due_on", Types.Date);
            t.Column("assignee_id", Types.BigInt).References("users", "id", onDelete: ReferentialAction.SetNull);
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Column("completed_at", Types.TimestampTz());
            t.Check("tasks_completed_check", "(status = 'done') = (completed_at IS NOT NULL)");
            t.Index("project_id", "status");
            t.Index("assignee_id").Named("tasks_open_assignee_idx").Where("status <> 'done'");
            t.Index("due_on").Named("tasks_open_due_idx").Where("status <> 'done' AND due_on IS NOT NULL");
        });

        db.Table("comments", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("task_id", Types.BigInt).NotNull().References("tasks", "id", onDelete: ReferentialAction.Cascade);
            t.Column("author_id", Types.BigInt).NotNull().References("users", "id", onDelete: ReferentialAction.Cascade);
            t.Column("body", Types.Text).NotNull().Check("length(body) > 0");
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Index("task_id", "created_at");
        });

        db.View("project_task_counts", """
            SELECT p.id AS project_id, p.key, count(t.id) FILTER (WHERE t.status <> 'done') AS open_tasks, count(t.id) AS all_tasks
            FROM projects p LEFT JOIN tasks t ON t.project_id = p.id
            GROUP BY p.id, p.key
            """).Comment("Open and all tasks per project.");
    }
}
